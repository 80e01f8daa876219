#!/usr/bin/env bash
# Peak resident memory of short training runs against the estimate `protocl train` prints ("memory: about ..."), the
# data behind ProtoCL.Training.MemoryEstimate's constants (results/bench/memory.md). Images: the first 512 Fashion-MNIST
# training images blown up 4x to 112 x 112 (so ResNets use the ImageNet stem), written as an IDX file; Debian's
# python3-numpy. Each run: MoCo (or the method named) for one warm-up epoch of three minibatches, 2 threads; the
# "long" runs train 2 epochs of 512 images (16 or 128 steps, and PCL's E-step), to show how the peak grows over a run.
# With "allocator" after OUT it runs only long-r50-b8, the run that grew most, under glibc malloc settings (environment
# variables read when the process starts) to see whether the growth is the allocator's: OUT/allocator.md. A run whose log
# in OUT is complete is not run again (its row is read from the log), so the script can be re-run to finish.
# Usage: bench/memory-calibration.sh OUT [allocator]   (PROTOCL_DLL runs another build of the CLI; about 10 minutes on 2 cores)
set -eu
source "$(dirname "$0")/time-v.sh"
out=${1:?usage: bench/memory-calibration.sh OUT [allocator]}
mode=${2:-calibration}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work/fm112-idx3-ubyte" <<'PY'
import gzip, struct, sys
import numpy as np
raw = gzip.open('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz').read()
x = np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 28, 28)[:512]
y = np.kron(x, np.ones((4, 4), np.uint8))  # [512, 112, 112]
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('>IIII', 0x803, len(y), 112, 112))
    f.write(y.tobytes())
PY
dll=${PROTOCL_DLL:-src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll}
table=$out/memory.md; [ "$mode" = allocator ] && table=$out/allocator.md
echo "| run | arch | width | batch | precision | method | images | epochs | estimate (GB) | peak resident (GB) | peak / estimate |" > "$table"
echo "|---|---|---|---|---|---|---|---|---|---|---|" >> "$table"
run() { # NAME ARCH WIDTH BATCH PRECISION METHOD IMAGES EPOCHS [VAR=VALUE ...: the run's environment]
  local log="$out/$1.log"
  grep -q "Maximum resident" "$log" 2>/dev/null || env "${@:9}" /usr/bin/time -v dotnet "$dll" train --preset small --method "$6" --arch "$2" --width "$3" --batch-size "$4" --precision "$5" \
    --epochs "$8" --warmup-epochs 1 --clusters 10 --limit "$7" --threads 2 --bn-groups 4 --queue 256 \
    --data "$work/fm112-idx3-ubyte" --out "$work/run-$1" > "$log" 2>&1
  local est peak
  est=$(estimate_gb "$log")
  peak=$(peak_gb "$log")
  echo "| $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 | $est | $peak | $(awk -v p="$peak" -v e="$est" 'BEGIN {printf "%.2f", p / e}') |" >> "$table"
}
if [ "$mode" = allocator ]; then
  run alloc-default resnet50 32 8 fp32 moco 512 2
  run alloc-arena2 resnet50 32 8 fp32 moco 512 2 MALLOC_ARENA_MAX=2
  run alloc-mmap128k resnet50 32 8 fp32 moco 512 2 MALLOC_MMAP_THRESHOLD_=131072
  run alloc-trim128k resnet50 32 8 fp32 moco 512 2 MALLOC_TRIM_THRESHOLD_=131072
  run alloc-arena2-mmap128k resnet50 32 8 fp32 moco 512 2 MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
  run alloc-mmap1m resnet50 32 8 fp32 moco 512 2 MALLOC_MMAP_THRESHOLD_=1048576
  run alloc-mmap4m resnet50 32 8 fp32 moco 512 2 MALLOC_MMAP_THRESHOLD_=4194304
  run alloc-mmap32m resnet50 32 8 fp32 moco 512 2 MALLOC_MMAP_THRESHOLD_=33554432
  run alloc-default-again resnet50 32 8 fp32 moco 512 2
  cat "$table"
  exit 0
fi
run r50-b8 resnet50 32 8 fp32 moco 24 1
run r50-b32 resnet50 32 32 fp32 moco 96 1
run r50-b64 resnet50 32 64 fp32 moco 192 1
run r50-b32-bf16 resnet50 32 32 bf16 moco 96 1
run r50-b64-bf16 resnet50 32 64 bf16 moco 192 1
run r18-b32 resnet18 32 32 fp32 moco 96 1
run r18-b128 resnet18 32 128 fp32 moco 384 1
run r18-b32-simclr resnet18 32 32 fp32 simclr 96 1
run r18-b128-simclr resnet18 32 128 fp32 simclr 384 1
run long-r50-b64 resnet50 32 64 fp32 moco 512 2
run long-r50-b8 resnet50 32 8 fp32 moco 512 2
run long-r50-b8-pcl resnet50 32 8 fp32 pcl 512 2
cat "$table"
