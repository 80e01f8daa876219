#!/usr/bin/env python3
"""Sets two Table 1 runs that differ in one thing (the training seed, a training revision) against each other, over the
same labelled images.

Usage: bench/table1-seeds.py RESULTS_A RESULTS_B   (each a reproduce --out folder with evals/ and draws/ from
bench/table1-draws.sh, so that both hold draw seeds 0-4)

Draw seed s and draw i pick the same labelled images in both folders (the draws depend on the seed and the labels only),
so every difference below is paired. Printed per k, mean ± standard error over the 25 draws (draws won):
- each Table 1 claim in A, in B, and over both training runs together (50 pairs);
- each method's B - A: how far the difference between the runs moves a row.
"""
import glob, json, os, sys

from lowshot_pairs import KS as ks, paired

methods = ["raw", "moco", "pcl", "simclr", "pcl-simclr"]
claims = [("pcl", "moco"), ("pcl-simclr", "simclr"), ("moco", "raw"), ("pcl", "raw"), ("simclr", "raw"), ("pcl-simclr", "raw")]


def load(res, m):
    """k -> {(draw seed, draw index): accuracy} over the table's evaluation and its extra draws."""
    files = [os.path.join(res, "evals", f"{m}-lowshot.json")] + glob.glob(os.path.join(res, "draws", f"{m}-lowshot-seed*.json"))
    acc = {k: {} for k in ks}
    for f in files:
        d = json.load(open(f))
        for k in ks:
            for i, a in enumerate(d["results"][k]["accuracies"]):
                acc[k][(d["seed"], i)] = a
    return acc


def cell(first, second):
    keys = sorted(set(first) & set(second))
    d, mean, se, wins = paired([first[x] for x in keys], [second[x] for x in keys])
    return f"{mean:+.1f} ± {se:.1f} ({wins}/{len(d)})"


a_dir, b_dir = sys.argv[1], sys.argv[2]
a = {m: load(a_dir, m) for m in methods}
b = {m: load(b_dir, m) for m in methods}
for m in methods:
    for k in ks:
        if set(a[m][k]) != set(b[m][k]) or len(a[m][k]) != 25:
            sys.exit(f"{m}, k = {k}: {len(a[m][k])} draws in {a_dir}, {len(b[m][k])} in {b_dir}; run bench/table1-draws.sh on both first")

print(f"# Two Table 1 runs: {a_dir} (A) and {b_dir} (B), 25 draws each (draw seeds 0-4), accuracy in points\n")
print("| claim | run | " + " | ".join(f"k={k}" for k in ks) + " |")
print("|---|---|" + "---|" * len(ks))
for x, y in claims:
    for name, runs in (("A", [a]), ("B", [b]), ("A and B", [a, b])):
        cells = []
        for k in ks:
            first = {(r, key): v for r, run in enumerate(runs) for key, v in run[x][k].items()}
            second = {(r, key): v for r, run in enumerate(runs) for key, v in run[y][k].items()}
            cells.append(cell(first, second))
        print(f"| {x} - {y} | {name} | " + " | ".join(cells) + " |")
print("\nSame method, B - A (what the difference between the runs does to a row):\n")
print("| method | " + " | ".join(f"k={k}" for k in ks) + " |")
print("|---|" + "---|" * len(ks))
for m in methods:
    print(f"| {m} | " + " | ".join(cell(b[m][k], a[m][k]) for k in ks) + " |")
