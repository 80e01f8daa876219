#!/usr/bin/env bash
# The pilot that chose the augmentation of the Table 1 budget (results/ablation/crop.md): MoCo on the first 20,000
# Fashion-MNIST training images, 3 epochs (1 warm-up), bf16, small preset; low-shot SVMs on the full splits.
# Usage: bench/crop-pilot.sh [OUT]   (about 3-4 minutes per configuration on 2 cores)
set -u
out=${1:-results/ablation/crop}
mkdir -p "$out"
protocl() { dotnet src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll "$@"; }
train=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
run() {
  name=$1; shift
  [ -f "$out/$name.json" ] && return
  protocl train --preset small --method moco --epochs 3 --warmup-epochs 1 --limit 20000 --precision bf16 --threads 2 \
    --data $train --out "runs/crop-pilot/$name" --force "$@" > "runs/crop-pilot/$name.log" 2>&1
  protocl eval lowshot --force --checkpoint "runs/crop-pilot/$name" --json "$out/$name.json"
}
mkdir -p runs/crop-pilot
run base                       # the small preset as it is: v1 augmentation, crop area 0.2-1, linear head
run mlp --mlp                  # MoCo v2's MLP head
run crop5 --crop-min 0.5       # crop area 0.5-1
run crop8 --crop-min 0.8       # crop area 0.8-1
