#!/usr/bin/env python3
"""MoCo at another budget (OUT/NAME-{lowshot,cluster}-seed<s>.json, s = 0..4) against the Table 1 run's raw pixels and
MoCo (8 epochs, width 16; TABLE/evals/<m>-*.json for the table's own draw seed, TABLE/draws/ and TABLE/cluster-seeds/
for the other seeds of 0-4): low-shot accuracy over the same 25 draws, paired, and AMI per k-means seed.
Usage: bench/moco-budget.py OUT TABLE [NAME EPOCHS WIDTH LR [EXTRA]]   (default moco-e16 16 16 0.06; EXTRA: the run's other
training flags, named in the heading; Debian's python3)"""
import json, os, statistics, sys

from lowshot_pairs import KS, paired

out, table = sys.argv[1], sys.argv[2]
name, epochs, width, lr = (sys.argv[3:7] + ["moco-e16", "16", "16", "0.06"][len(sys.argv[3:7]):])
extra = sys.argv[7].strip() if len(sys.argv) > 7 else ""
budget = json.load(open(os.path.join(table, "table1.json")))["budget"]


def table_file(m, protocol, seed):
    """The table's own evaluation where its seed is this one, else the extra draws / k-means seeds beside it."""
    own = os.path.join(table, "evals", f"{m}-{protocol}.json")
    if os.path.exists(own) and json.load(open(own))["seed"] == seed:
        return own
    sub = "draws" if protocol == "lowshot" else "cluster-seeds"
    return os.path.join(table, sub, f"{m}-{protocol}-seed{seed}.json")


def files(m, protocol):
    if m == name:
        return [os.path.join(out, f"{name}-{protocol}-seed{s}.json") for s in range(5)]
    return [table_file(m, protocol, s) for s in range(5)]


rows = ["raw", "moco", name]
acc = {}
for m in rows:
    acc[m] = {k: [] for k in KS}
    for i, f in enumerate(files(m, "lowshot")):
        d = json.load(open(f))
        if d["seed"] != i:
            sys.exit(f"{f}: draw seed {d['seed']}, expected {i}")
        for k in KS:
            acc[m][k].extend(d["results"][k]["accuracies"])
n = len(acc["raw"]["1"])
flags = f", {extra}" if extra else ""
print(f"# MoCo at {epochs} epochs, width {width}, lr {lr}{flags} ({name}) against raw pixels and the MoCo of {table} "
      f"({budget['epochs']} epochs, width {budget['encoder']['width']}, lr {budget['learning_rate']}, weight decay {budget['weight_decay']})\n")
print(f"Low-shot accuracy (%), mean over {n} draws (draw seeds 0-4, 5 draws each; the same labelled images for every row):\n")
print("| row | " + " | ".join(f"k={k}" for k in KS) + " |")
print("|---|" + "---|" * len(KS))
for m in rows:
    print(f"| {m} | " + " | ".join(f"{100 * statistics.mean(acc[m][k]):.1f}" for k in KS) + " |")
print("\nPaired differences (points, first minus second over the same draws), mean ± standard error, draws won by the first:\n")
print("| pair | " + " | ".join(f"k={k}" for k in KS) + " |")
print("|---|" + "---|" * len(KS))
for a, b in [(name, "raw"), (name, "moco"), ("moco", "raw")]:
    cells = []
    for k in KS:
        diffs, mean, se, won = paired(acc[a][k], acc[b][k])
        cells.append(f"{mean:+.1f} ± {se:.1f} ({won}/{len(diffs)})")
    print(f"| {a} - {b} | " + " | ".join(cells) + " |")
print("\nAveraged over k (each draw's mean over k = 1..16 of the paired difference), mean ± standard error, draws won:\n")
for a, b in [(name, "raw"), (name, "moco"), ("moco", "raw")]:
    per_draw = [[x for x in paired(acc[a][k], acc[b][k])[0]] for k in KS]
    means = [statistics.mean(col) for col in zip(*per_draw)]
    _, mean, se, won = paired([m / 100 for m in means], [0.0] * len(means))
    print(f"- {a} - {b}: {mean:+.2f} ± {se:.2f} ({won}/{len(means)})")
first = {m: json.load(open(files(m, "lowshot")[0]))["results"]["1"]["accuracy_mean"] for m in rows}
print(f"\nIn draw seed 0's 5 draws, k = 1: raw {100 * first['raw']:.1f}, moco {100 * first['moco']:.1f}, {name} {100 * first[name]:.1f}.")
print("\nClustering AMI (k-means with K = 10 on the test features) per k-means seed:\n")
print("| row | seed 0 | seed 1 | seed 2 | seed 3 | seed 4 | mean |")
print("|---|---|---|---|---|---|---|")
for m in rows:
    a = [json.load(open(f))["ami"] for f in files(m, "cluster")]
    print(f"| {m} | " + " | ".join(f"{x:.3f}" for x in a) + f" | {statistics.mean(a):.3f} |")
