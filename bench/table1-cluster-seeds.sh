#!/usr/bin/env bash
# The clustering protocol's k-means seed as a source of noise: `protocl eval cluster` on the Table 1 checkpoints with
# the k-means seeds of 0-4 that the table did not use (1-4 for a table made with seed 0; same features, same protocol:
# K = classes, 10 restarts, lowest inertia kept).
# Usage: bench/table1-cluster-seeds.sh [RESULTS_DIR] [METHODS]   (default results/table1, "raw moco pcl simclr pcl-simclr";
# PROTOCL_DLL runs another build of the CLI; a result already in cluster-seeds/ is kept;
# writes RESULTS_DIR/cluster-seeds/ and prints AMI per seed, the table's first, its mean and range)
set -eu
res=${1:-results/table1}
methods=${2:-raw moco pcl simclr pcl-simclr}
mkdir -p "$res/cluster-seeds"
protocl() { dotnet "${PROTOCL_DLL:-src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll}" "$@"; }
field() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
first=${methods%% *}
table_seed=$(field "$res/evals/$first-cluster.json" seed)   # every row of a table is evaluated with the same seed
for m in $methods; do
  src="$res/evals/$m-cluster.json"
  for seed in 0 1 2 3 4; do
    [ "$seed" = "$table_seed" ] && continue
    out="$res/cluster-seeds/$m-cluster-seed$seed.json"
    [ -f "$out" ] && continue
    protocl eval cluster --force --checkpoint "$(field "$src" checkpoint)" --train-data "$(field "$src" train_data)" \
      --test-data "$(field "$src" test_data)" --seed "$seed" --json "$out" > /dev/null
  done
done
/usr/bin/python3 - "$res" $methods <<'PY' | tee "$res/cluster-seeds/README.md"
import json, sys, statistics
res, methods = sys.argv[1], sys.argv[2:]
table_seed = json.load(open(f"{res}/evals/{methods[0]}-cluster.json"))["seed"]
seeds = [table_seed] + [s for s in range(5) if s != table_seed]
print(f"# Clustering AMI over k-means seeds 0-4 (seed {table_seed} is the table's)\n")
print("| method | " + " | ".join(f"seed {s}" for s in seeds) + " | mean | min | max |")
print("|---|---|---|---|---|---|---|---|---|")
for m in methods:
    files = [f"{res}/evals/{m}-cluster.json"] + [f"{res}/cluster-seeds/{m}-cluster-seed{s}.json" for s in seeds[1:]]
    a = [json.load(open(f))["ami"] for f in files]
    print(f"| {m} | " + " | ".join(f"{x:.3f}" for x in a) + f" | {statistics.mean(a):.3f} | {min(a):.3f} | {max(a):.3f} |")
PY
