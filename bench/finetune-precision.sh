#!/usr/bin/env bash
# Wall time and accuracy of `eval finetune` in fp32 and in bf16 on the same checkpoint and subset, in rounds so that each
# precision is timed next to the other on this shared machine (results/finetune/precision.md). One percentage (10 % of
# each class's labelled training images: 6,000 Fashion-MNIST images), EPOCHS passes, no step floor, then the 10,000
# test images; everything else is eval finetune's default (batch 256, lr 0.01 / 0.1, seed 0).
# Usage: bench/finetune-precision.sh CHECKPOINT OUT [ROUNDS [EPOCHS]]   (PROTOCL_DLL runs another build of the CLI)
set -eu
source "$(dirname "$0")/time-v.sh"
ckpt=${1:?usage: bench/finetune-precision.sh CHECKPOINT OUT [ROUNDS [EPOCHS]]}
out=${2:?usage: bench/finetune-precision.sh CHECKPOINT OUT [ROUNDS [EPOCHS]]}
rounds=${3:-2}
epochs=${4:-4}
mkdir -p "$out"
dll=${PROTOCL_DLL:-src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll}
data=/usr/share/datasets/fashion-mnist
table=$out/precision-table.md
echo "| round | precision | wall seconds | top-1 (10 %) | peak resident (GB) |" > "$table"
echo "|---|---|---|---|---|" >> "$table"
for r in $(seq "$rounds"); do
  for p in fp32 bf16; do
    name=round$r-$p; log="$out/$name.log"
    start=$(date +%s.%N)
    /usr/bin/time -v dotnet "$dll" eval finetune --checkpoint "$ckpt" --percent 10 --epochs "$epochs" --min-steps 0 \
      --precision "$p" --train-data $data/train-images-idx3-ubyte.gz --test-data $data/t10k-images-idx3-ubyte.gz \
      --json "$out/$name.json" --force > "$log" 2>&1
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    top1=$(python3 -c "import json,sys; print(f\"{100*json.load(open(sys.argv[1]))['results']['10']['accuracy']:.1f}\")" "$out/$name.json")
    peak=$(peak_gb "$log")
    printf '| %s | %s | %.0f | %s | %s |\n' "$r" "$p" "$wall" "$top1" "$peak" >> "$table"
  done
done
cat "$table"
