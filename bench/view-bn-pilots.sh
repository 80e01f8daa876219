#!/usr/bin/env bash
# SimCLR with its second view shuffled across the BatchNorm slices (--view-bn shuffled) against both views in batch
# order (--view-bn same, training revisions 1-4), on the pilot budget of results/ablation/simclr-bn.md (first 20,000
# Fashion-MNIST training images, 6 epochs with 1 warm-up, crop 0.5-1, bf16, MLP head, 8 slices, small preset
# otherwise). Why: with 8 slices an image's two views are normalised in the same slice by the same 16 images'
# statistics, a shortcut for the instance task that MoCo's shuffled BN exists to remove; whole-batch BatchNorm removed
# it too but lost 5-6 points at k = 1 (simclr-bn.md), which mixes the shortcut with the slices' size. This pilot keeps
# the slices and removes only the sharing. Low-shot SVMs on the full 60,000/10,000 splits (5 draws, seed 0), k-means
# AMI. About 6-8 minutes per configuration on 2 cores.
# Usage: bench/view-bn-pilots.sh [OUT]   (PROTOCL_DLL picks another build of the CLI)
set -u
out=${1:-results/ablation/view-bn}
mkdir -p "$out" runs/view-bn
protocl() { dotnet "${PROTOCL_DLL:-src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll}" "$@"; }
train=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
run() {
  name=$1; method=$2; shift 2
  [ -f "$out/$name-cluster.json" ] && return
  protocl train --preset small --method "$method" --epochs 6 --warmup-epochs 1 --limit 20000 --crop-min 0.5 --precision bf16 \
    --threads 2 --mlp --clusters 5,10,20 --bn-groups 8 --data $train --out "runs/view-bn/$name" --force "$@" > "runs/view-bn/$name.log" 2>&1 \
    || { echo "$name: training failed"; return; }
  for p in lowshot cluster; do protocl eval $p --force --checkpoint "runs/view-bn/$name" --json "$out/$name-$p.json" > /dev/null; done
}
run simclr-same simclr --view-bn same
run simclr-shuffled simclr --view-bn shuffled
if [ -n "${PCL_SIMCLR:-}" ]; then   # PCL_SIMCLR=1: the same pair for PCL-SimCLR (K = 5/10/20)
  run pclsim-same pcl-simclr --view-bn same
  run pclsim-shuffled pcl-simclr --view-bn shuffled
fi
