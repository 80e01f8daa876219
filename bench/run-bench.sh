#!/usr/bin/env bash
# Benchmarks of issue 4 on 10,000 Fashion-MNIST images with the anchors' configuration (ResNet-18, CIFAR stem,
# 28x28x1, batch 128, queue 512, 20 k-means iterations, 5 restarts), fp32 and bf16, widths 16 and 64.
# Writes results/bench/<config>.json; bench/summarise-bench.py turns them into results/bench/README.md.
set -eu
out=${1:-results/bench}
mkdir -p "$out"
protocl() { dotnet src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll "$@"; }
data=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
for precision in ${PRECISIONS:-fp32 bf16}; do
  for width in ${WIDTHS:-16 64}; do
    # width 64 trains at ~50 images/s: 10 minibatches per measured epoch keep the run short
    if [ "$width" = 64 ]; then ks=1000,1500,2000; steps=10; else ks=700,1000,1400; steps=20; fi
    protocl bench --force --data "$data" --limit ${LIMIT:-10000} --arch resnet18 --width $width --batch-size 128 --queue 512 \
      --clusters $ks --threads 2 --precision $precision --steps $steps --repeats ${REPEATS:-1} --json "$out/w$width-$precision.json" | tee "$out/w$width-$precision.txt"
  done
done
