#!/usr/bin/env bash
# SimCLR and PCL-SimCLR with BatchNorm over the whole batch (--bn-groups 1) against the default 8 slices, on the pilot
# budget of results/ablation/table1-pilots.md (first 20,000 Fashion-MNIST training images, 6 epochs with 1 warm-up,
# crop 0.5-1, bf16, MLP head, small preset otherwise; PCL-SimCLR with K = 5/10/20 as in the reported Table 1).
# Why: the two views go through the encoder in two passes in the same order, so with 8 slices an image's two views are
# normalised in the same slice, with statistics of the same 16 images (MoCo shuffles its keys to avoid exactly that;
# SimCLR's paper uses BatchNorm over the global batch). Low-shot SVMs on the full 60,000/10,000 splits (5 draws, seed 0)
# and k-means AMI. About 6-8 minutes per configuration on 2 cores.
# Usage: bench/simclr-bn-pilots.sh [OUT]   (PROTOCL_DLL picks another build of the CLI)
set -u
out=${1:-results/ablation/simclr-bn}
mkdir -p "$out" runs/simclr-bn
protocl() { dotnet "${PROTOCL_DLL:-src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll}" "$@"; }
train=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
run() {
  name=$1; method=$2; shift 2
  [ -f "$out/$name-cluster.json" ] && return
  protocl train --preset small --method "$method" --epochs 6 --warmup-epochs 1 --limit 20000 --crop-min 0.5 --precision bf16 \
    --threads 2 --mlp --clusters 5,10,20 --data $train --out "runs/simclr-bn/$name" --force "$@" > "runs/simclr-bn/$name.log" 2>&1 \
    || { echo "$name: training failed"; return; }
  for p in lowshot cluster; do protocl eval $p --force --checkpoint "runs/simclr-bn/$name" --json "$out/$name-$p.json" > /dev/null; done
}
run simclr-g8 simclr --bn-groups 8
run simclr-g1 simclr --bn-groups 1
run pclsim-g8 pcl-simclr --bn-groups 8
run pclsim-g1 pcl-simclr --bn-groups 1
