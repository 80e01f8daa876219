#!/usr/bin/env bash
# MoCo at twice the Table 1 budget (16 epochs), every other setting the table's; low-shot SVMs over the table's 25
# draws (seeds 0-4) and k-means AMI over seeds 0-4, then the paired comparison with raw pixels and the table's MoCo.
# A diagnostic (results/ablation/moco-budget.md): the reported table is not changed by it.
# Usage: bench/moco-budget.sh OUT   (PROTOCL_DLL runs another build of the CLI, e.g. a copy)
set -eu
out=$1
mkdir -p "$out" runs
protocl() { dotnet "${PROTOCL_DLL:-src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll}" "$@"; }
run=runs/moco-e16
if [ ! -f "$run/checkpoint.pcl" ] || ! grep -q "\"epoch\":16," "$run/metrics.jsonl" 2>/dev/null; then
  resume=""; [ -f "$run/config.json" ] && resume="--resume"
  protocl train --preset small --method moco --epochs 16 --warmup-epochs 1 --clusters 5,10,20 --crop-min 0.5 \
    --precision bf16 --threads 2 --mlp --data /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \
    --out "$run" $resume > "$out/train.log" 2>&1
fi
cp "$run/config.json" "$run/metrics.jsonl" "$out/"
for s in 0 1 2 3 4; do
  [ -f "$out/moco-e16-lowshot-seed$s.json" ] || protocl eval lowshot --checkpoint "$run" --seed "$s" --json "$out/moco-e16-lowshot-seed$s.json" > /dev/null
  [ -f "$out/moco-e16-cluster-seed$s.json" ] || protocl eval cluster --checkpoint "$run" --seed "$s" --json "$out/moco-e16-cluster-seed$s.json" > /dev/null
done
/usr/bin/python3 bench/moco-budget.py "$out" results/table1 | tee "$out/README.md"
