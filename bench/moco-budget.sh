#!/usr/bin/env bash
# MoCo alone at another budget than the Table 1 run's, every other setting the table's: low-shot SVMs over the table's
# 25 draws (seeds 0-4) and k-means AMI over seeds 0-4, then the paired comparison with raw pixels and the table's MoCo.
# A diagnostic (results/ablation/moco-budget.md: 16 epochs; results/ablation/moco-width.md: width 32): the reported
# table is not changed by it.
# Usage: bench/moco-budget.sh OUT [NAME EPOCHS WIDTH LR SEED TABLE]   (default moco-e16 16 16 0.06 0 results/table1:
# the table to compare with must be trained with SEED;
# results/ablation/moco-lr.md: lr 0.03; PROTOCL_DLL runs another build of the
# CLI, e.g. a copy; MOCO_EXTRA adds training flags, e.g. "--weight-decay 0.0005" for results/ablation/moco-wd.md).
# The run goes to runs/NAME and its evaluations to OUT/NAME-<protocol>-seed<s>.json.
set -eu
out=$1 name=${2:-moco-e16} epochs=${3:-16} width=${4:-16} lr=${5:-0.06} seed=${6:-0} table=${7:-results/table1}
mkdir -p "$out" runs
protocl() { dotnet "${PROTOCL_DLL:-src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll}" "$@"; }
run=runs/$name
if [ ! -f "$run/checkpoint.pcl" ] || ! grep -q "\"epoch\":$epochs," "$run/metrics.jsonl" 2>/dev/null; then
  resume=""; [ -f "$run/config.json" ] && resume="--resume"
  protocl train --preset small --method moco --epochs "$epochs" --warmup-epochs 1 --clusters 5,10,20 --crop-min 0.5 \
    --width "$width" --lr "$lr" --seed "$seed" --precision bf16 --threads 2 --mlp --data /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \
    --out "$run" $resume ${MOCO_EXTRA:-} > "$out/train.log" 2>&1
fi
cp "$run/config.json" "$run/metrics.jsonl" "$out/"
for s in 0 1 2 3 4; do
  [ -f "$out/$name-lowshot-seed$s.json" ] || protocl eval lowshot --force --checkpoint "$run" --seed "$s" --json "$out/$name-lowshot-seed$s.json" > /dev/null
  [ -f "$out/$name-cluster-seed$s.json" ] || protocl eval cluster --force --checkpoint "$run" --seed "$s" --json "$out/$name-cluster-seed$s.json" > /dev/null
done
/usr/bin/python3 bench/moco-budget.py "$out" "$table" "$name" "$epochs" "$width" "$lr" "${MOCO_EXTRA:-}" | tee "$out/README.md"
