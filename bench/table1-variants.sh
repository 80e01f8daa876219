#!/usr/bin/env bash
# One method's variants (any of the four) at the Table 1 budget of results/table1-k10-20-40-mlp (60,000 images, 8 epochs, 1 warm-up,
# crop 0.5-1, bf16, MLP head, small preset otherwise; K = 10/20/40 unless the variant's flags give --clusters), one
# flag set per variant; low-shot SVMs (5 draws, seed 0) and k-means AMI on the full 60,000/10,000 splits, to set
# against the table's rows. About 20 minutes per variant on 2 cores. FLAGS with their own --clusters or --epochs replace
# those defaults. PROTOCL_DLL runs another build of the CLI (e.g. a copy, so that rebuilding the tree cannot touch a
# running job).
# Usage: bench/table1-variants.sh OUT METHOD NAME "EXTRA FLAGS" [NAME "EXTRA FLAGS" ...]
set -u
out=$1; method=$2; shift 2
mkdir -p "$out" runs/table1-variants
protocl() { dotnet "${PROTOCL_DLL:-src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll}" "$@"; }
train=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
while [ $# -ge 2 ]; do
  name=$method-$1; extra=$2; shift 2
  [ -f "$out/$name-cluster.json" ] && continue
  case " $extra " in *" --clusters "*) clusters="" ;; *) clusters="--clusters 10,20,40" ;; esac
  case " $extra " in *" --epochs "*) epochs="" ;; *) epochs="--epochs 8" ;; esac
  # shellcheck disable=SC2086
  protocl train --preset small --method "$method" $epochs --warmup-epochs 1 $clusters --crop-min 0.5 \
    --precision bf16 --threads 2 --mlp $extra --data $train --out "runs/table1-variants/$name" --force \
    > "runs/table1-variants/$name.log" 2>&1 || { echo "$name: training failed"; continue; }
  for p in lowshot cluster; do protocl eval $p --force --checkpoint "runs/table1-variants/$name" --json "$out/$name-$p.json"; done
done
