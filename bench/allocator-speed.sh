#!/usr/bin/env bash
# Training speed and peak resident memory of the Table 1 workload (MoCo, ResNet-18 at width 16, 28 x 28 Fashion-MNIST,
# batch 128, bf16, MLP head, crop 0.5-1; one epoch of the first 12,800 training images: 100 steps) under glibc malloc
# settings, in rounds so that each setting is timed next to the others (results/bench/memory.md, "Why whole runs grow").
# Usage: bench/allocator-speed.sh OUT [ROUNDS]   (PROTOCL_DLL runs another build of the CLI; about 1 minute per run on 2 cores)
set -eu
source "$(dirname "$0")/time-v.sh"
out=${1:?usage: bench/allocator-speed.sh OUT [ROUNDS]}
rounds=${2:-2}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dll=${PROTOCL_DLL:-src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll}
table=$out/speed.md
echo "| round | environment | images/s | peak resident (GB) | estimate (GB) |" > "$table"
echo "|---|---|---|---|---|" >> "$table"
for r in $(seq "$rounds"); do
  for setting in "" MALLOC_MMAP_THRESHOLD_=131072 MALLOC_MMAP_THRESHOLD_=1048576; do
    name=round$r-${setting:-default}; log="$out/$name.log"
    # shellcheck disable=SC2086
    env $setting /usr/bin/time -v dotnet "$dll" train --preset small --method moco --epochs 1 --warmup-epochs 1 --limit 12800 \
      --crop-min 0.5 --mlp --precision bf16 --threads 2 --data /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \
      --out "$work/$name" > "$log" 2>&1
    ips=$(sed -n 's/^epoch 1: .*, \([0-9]*\) img\/s, .*/\1/p' "$log")
    peak=$(peak_gb "$log")
    est=$(estimate_gb "$log")
    echo "| $r | ${setting:-(none)} | $ips | $peak | $est |" >> "$table"
  done
done
cat "$table"
