#!/usr/bin/env bash
# Full-size MoCo with the key encoder's momentum varied (results/ablation/table1-momentum.md): the Table 1 budget
# (60,000 images, 8 epochs, 1 warm-up, crop 0.5-1, bf16, small preset otherwise) with --moco-momentum M; low-shot SVMs
# (5 draws, seed 0) and k-means AMI on the full 60,000/10,000 splits. About 12-15 minutes per run on 2 cores.
# Usage: bench/table1-momentum.sh [OUT] [M ...]   (default M: 0.999 0.996)
set -u
out=${1:-results/ablation/table1-momentum}
shift || true
ms=("$@"); [ ${#ms[@]} -eq 0 ] && ms=(0.999 0.996)
mkdir -p "$out" runs/table1-momentum
protocl() { dotnet src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll "$@"; }
train=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
for m in "${ms[@]}"; do
  name=moco-m$m
  [ -f "$out/$name-cluster.json" ] && continue
  protocl train --preset small --method moco --epochs 8 --warmup-epochs 1 --clusters 10,20,40 --crop-min 0.5 --precision bf16 \
    --threads 2 --moco-momentum "$m" --data $train --out "runs/table1-momentum/$name" --force > "runs/table1-momentum/$name.log" 2>&1
  for p in lowshot cluster; do protocl eval $p --force --checkpoint "runs/table1-momentum/$name" --json "$out/$name-$p.json"; done
done
