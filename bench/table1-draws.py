#!/usr/bin/env python3
"""Reads RESULTS_DIR/evals/<m>-lowshot.json (the table's draw seed) and RESULTS_DIR/draws/<m>-lowshot-seed<s>.json and prints,
per k, each method's mean over all draws and the paired difference of each Table 1 claim over the same draws
(mean, standard error, how many draws the first method wins)."""
import glob, json, os, sys

from lowshot_pairs import KS as ks, paired

res = sys.argv[1] if len(sys.argv) > 1 else "results/table1"
methods = ["raw", "moco", "pcl", "simclr", "pcl-simclr"]
pairs = [("pcl", "moco"), ("pcl-simclr", "simclr"), ("moco", "raw"), ("pcl", "raw"), ("simclr", "raw"), ("pcl-simclr", "raw")]

def load(m):
    files = [os.path.join(res, "evals", f"{m}-lowshot.json")] + sorted(glob.glob(os.path.join(res, "draws", f"{m}-lowshot-seed*.json")))
    acc = {k: [] for k in ks}
    seeds = []
    for f in files:
        d = json.load(open(f))
        seeds.append(d["seed"])
        for k in ks:
            acc[k].extend(d["results"][k]["accuracies"])
    return seeds, acc

data = {m: load(m) for m in methods}
seeds = data["raw"][0]
for m in methods:
    if data[m][0] != seeds:
        sys.exit(f"{m} has draw seeds {data[m][0]}, raw has {seeds}: run bench/table1-draws.sh first")
n = len(data["raw"][1]["1"])
print(f"# Low-shot accuracy over {n} draws (draw seeds {', '.join(map(str, seeds))}; 5 draws each)\n")
print("Checkpoints and evaluation as in table1.md; only the draw seed changes. Accuracy in %.\n")
print("| method | " + " | ".join(f"k={k}" for k in ks) + " |")
print("|---|" + "---|" * len(ks))
for m in methods:
    acc = data[m][1]
    print(f"| {m} | " + " | ".join(f"{100 * sum(acc[k]) / len(acc[k]):.1f}" for k in ks) + " |")
print("\nPaired differences (first minus second, same labelled images), mean ± standard error, draws won by the first:\n")
print("| pair | " + " | ".join(f"k={k}" for k in ks) + " |")
print("|---|" + "---|" * len(ks))
for a, b in pairs:
    cells = []
    for k in ks:
        d, mean, se, wins = paired(data[a][1][k], data[b][1][k])
        cells.append(f"{mean:+.1f} ± {se:.1f} ({wins}/{len(d)})")
    print(f"| {a} - {b} | " + " | ".join(cells) + " |")
