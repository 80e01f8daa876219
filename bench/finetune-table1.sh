#!/usr/bin/env bash
# The semi-supervised protocol (protocl eval finetune: 1 % and 10 % of the labels, the paper's Table 2) on the checkpoints of
# one Table 1 run and on the supervised baseline (random:RUN/pcl, the same architecture trained from scratch on the same
# labels). Writes OUT/<method>.json; a method whose JSON exists is skipped, so the script can be re-run to finish.
# Usage: bench/finetune-table1.sh RUNS_DIR [OUT [METHODS]]   (15-20 minutes per checkpoint on 2 cores; METHODS: the rows
# to fine-tune, default "random moco pcl simclr pcl-simclr"; PROTOCL_DLL runs another build of the CLI, e.g. a copy out
# of the work tree)
set -u
runs=${1:?usage: bench/finetune-table1.sh RUNS_DIR [OUT]}
out=${2:-results/finetune}
methods=${3:-random moco pcl simclr pcl-simclr}
mkdir -p "$out"
protocl() { dotnet "${PROTOCL_DLL:-src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll}" "$@"; }
for m in $methods; do
  [ -f "$out/$m.json" ] && continue
  ck="$runs/$m"; [ "$m" = random ] && ck="random:$runs/pcl"
  start=$(date +%s)
  protocl eval finetune --checkpoint "$ck" --json "$out/$m.json" || exit 1
  echo "$m: $(( $(date +%s) - start )) s" >> "$out/seconds.txt"
done
