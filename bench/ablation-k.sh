#!/usr/bin/env bash
# The PCL levels for small data, chosen by a small ablation rather than by guess (issue: Table 1 reproduction).
# Trains PCL with several K sets (and MoCo, no prototypes) on the first 10,000 images of Fashion-MNIST's train
# split with one short budget, then scores low-shot SVMs, kNN and clustering on the 10,000 test images.
# Usage: bench/ablation-k.sh [OUT=results/ablation]
set -eu
out=${1:-results/ablation}
runs=${RUNS:-runs/ablation}
train=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
test=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
mkdir -p "$out" "$runs"
# PASSIVE: idle OpenMP threads sleep instead of spinning, so another process on the same cores does not slow training tenfold.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
protocl() { dotnet src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll "$@"; }
budget=(--preset small --data "$train" --limit 10000 --epochs 4 --warmup-epochs 1 --threads 2 --seed 0)
for name in moco k25-50-100 k100-200-400 k250-500-1000; do
  case $name in
    moco) extra=(--method moco) ;;
    *) ks=${name#k}; extra=(--method pcl --clusters "${ks//-/,}") ;;
  esac
  if [ ! -f "$out/$name-lowshot.json" ]; then
    protocl train --out "$runs/$name" "${budget[@]}" "${extra[@]}" $( [ -f "$runs/$name/config.json" ] && echo --resume ) > "$runs/$name.log" 2>&1
    for p in lowshot knn cluster; do
      protocl eval $p --force --checkpoint "$runs/$name" --train-data "$train" --limit 10000 --test-data "$test" --json "$out/$name-$p.json" >> "$runs/$name.log" 2>&1
    done
  fi
  echo "$name done $(date -u +%H:%M:%S)"
done
python3 - "$out" <<'PY'
import json, sys, glob, os
out = sys.argv[1]
rows = []
for name in ["moco", "k25-50-100", "k100-200-400", "k250-500-1000"]:
    try:
        ls = json.load(open(f"{out}/{name}-lowshot.json"))["results"]
        knn = json.load(open(f"{out}/{name}-knn.json"))["accuracy"]
        cl = json.load(open(f"{out}/{name}-cluster.json"))
    except FileNotFoundError:
        continue
    accs = [ls[k]["accuracy_mean"] for k in ["1", "2", "4", "8", "16"]]
    levels = "; ".join(f"K={l['k']} AMI {l['ami']:.3f}" for l in cl.get("levels", []))
    rows.append((name, accs, sum(accs) / 5, knn, cl["ami"], levels))
with open(f"{out}/ablation.md", "w") as f:
    f.write("# Which K for small data? (PCL levels ablation)\n\n")
    f.write("PCL trained on the first 10,000 images of the Fashion-MNIST train split, 4 epochs (1 warm-up), preset `small`\n")
    f.write("(ResNet-18 width 16, batch 128, lr 0.06 cosine, queue 4096, m 0.99, tau 0.2), seed 0, 2 threads; scored on the 10,000 test images\n")
    f.write("with low-shot SVMs (train pool: the same 10,000 training images), kNN and k-means (K = 10). Command: `bench/ablation-k.sh`.\n\n")
    f.write("| run | low-shot k=1 | k=2 | k=4 | k=8 | k=16 | mean | kNN | AMI (test) | AMI of the run's own levels (train) |\n|---|---|---|---|---|---|---|---|---|---|\n")
    for name, accs, mean, knn, ami, levels in rows:
        f.write(f"| {name} | " + " | ".join(f"{100*a:.1f}" for a in accs) + f" | {100*mean:.1f} | {100*knn:.1f} | {ami:.3f} | {levels} |\n")
    best = max((r for r in rows if r[0] != "moco"), key=lambda r: r[2], default=None)
    if best:
        f.write(f"\nBest mean low-shot accuracy: **{best[0]}** (N/K from {10000//int(best[0][1:].split('-')[-1])} to {10000//int(best[0][1:].split('-')[0])} images per cluster).\n")
print(open(f"{out}/ablation.md").read())
PY
