#!/usr/bin/env bash
# The pilots behind the third Table 1 budget (results/ablation/table1-pilots.md): each method on the first 20,000
# Fashion-MNIST training images, 6 epochs (1 warm-up), crop 0.5-1, bf16, small preset; low-shot SVMs on the full
# 60,000/10,000 splits (5 draws, seed 0). About 3-7 minutes per configuration on 2 cores.
# Usage: bench/table1-pilots.sh [OUT]
set -u
out=${1:-results/ablation/table1-pilots}
mkdir -p "$out" runs/table1-pilots
protocl() { dotnet src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll "$@"; }
train=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
run() {
  name=$1; method=$2; shift 2
  [ -f "$out/$name.json" ] && return
  protocl train --preset small --method "$method" --epochs 6 --warmup-epochs 1 --limit 20000 --crop-min 0.5 --precision bf16 \
    --threads 2 --data $train --out "runs/table1-pilots/$name" --force "$@" > "runs/table1-pilots/$name.log" 2>&1
  protocl eval lowshot --force --checkpoint "runs/table1-pilots/$name" --json "$out/$name.json"
}
run moco6 moco                                             # MoCo as in the previous Table 1 budget (queue 4096, tau 0.2, m 0.99)
run moco6-lr03 moco --lr 0.03                             # half the learning rate
run moco6-t03 moco --temperature 0.3                       # between 0.2 and 0.5
run moco6-mlp moco --mlp                                   # MoCo v2's MLP head
run simclr6 simclr                                         # SimCLR, same budget
run moco6-t05 moco --temperature 0.5                       # softer temperature
run moco6-sym moco --symmetric                             # both views as queries (MoCo's CIFAR demo)
run moco6-q256 moco --queue 256                            # as many negatives as SimCLR's batch gives
run moco6-q256-m09 moco --queue 256 --moco-momentum 0.9    # and a key encoder closer to the query encoder
run pclsim6 pcl-simclr --clusters 50,100,200               # PCL-SimCLR with the K of results/ablation scaled to 20,000 images
run pclsim6-k10 pcl-simclr --clusters 10,20,40             # coarser levels, near the number of classes
# Fourth round (after the K = 10/20/40 Table 1 run): MoCo changes not tried before, same budget otherwise.
run moco6-bn2 moco --bn-groups 2                           # BatchNorm over 64 images per slice instead of 16
run moco6-wd5e4 moco --weight-decay 5e-4                   # MoCo's CIFAR demo weight decay
run moco6-v2aug moco --aug v2                              # MoCo v2 augmentation (stronger jitter, blur), linear head
run moco6-q256-t03 moco --queue 256 --temperature 0.3      # the two changes that helped k = 1 most, together
run moco6-b256 moco --batch-size 256                       # the paper's batch (half the steps)
run moco6-q256-t04 moco --queue 256 --temperature 0.4      # a little softer still
run moco6-q128-t03 moco --queue 128 --temperature 0.3      # fewer negatives still
# Full-size check of the best fourth-round pilot (60,000 images, 8 epochs, the Table 1 budget otherwise):
[ -f "$out/full-moco-q256-t03-lowshot.json" ] || {
  protocl train --preset small --method moco --epochs 8 --warmup-epochs 1 --clusters 10,20,40 --crop-min 0.5 --precision bf16 \
    --threads 2 --queue 256 --temperature 0.3 --data $train --out runs/moco-full-q256-t03 > runs/moco-full-q256-t03.log 2>&1
  for p in lowshot cluster; do protocl eval $p --force --checkpoint runs/moco-full-q256-t03 --json "$out/full-moco-q256-t03-$p.json"; done
}
