#!/usr/bin/env bash
# More low-shot draws for the Table 1 checkpoints: `protocl eval lowshot` with the four draw seeds of 0-4 that the
# table did not use (1-4 for a table made with seed 0), so each method has 25 draws per k and the claims can be read as
# paired differences over the same labelled images.
# The evaluation is the table's (same SVMs, same k, same features); only the seed of the draws changes.
# Usage: bench/table1-draws.sh [RESULTS_DIR]   (default results/table1; writes RESULTS_DIR/draws/; PROTOCL_DLL runs another
# build of the CLI, e.g. a copy out of the work tree; a draw already in draws/ is kept, so raw pixels' can be copied in)
set -eu
res=${1:-results/table1}
mkdir -p "$res/draws"
protocl() { dotnet "${PROTOCL_DLL:-src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll}" "$@"; }
table_seed=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['seed'])" "$res/evals/raw-lowshot.json")
for seed in 0 1 2 3 4; do
  [ "$seed" = "$table_seed" ] && continue
  for m in raw moco pcl simclr pcl-simclr; do
    out="$res/draws/$m-lowshot-seed$seed.json"
    [ -f "$out" ] && continue
    ckpt=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['checkpoint'])" "$res/evals/$m-lowshot.json")
    protocl eval lowshot --force --checkpoint "$ckpt" --seed "$seed" --json "$out" > /dev/null
  done
done
/usr/bin/python3 bench/table1-draws.py "$res" | tee "$res/draws/README.md"
