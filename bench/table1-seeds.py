#!/usr/bin/env python3
"""Sets two or more Table 1 runs that differ in one thing (the training seed, a training revision) against each other,
over the same labelled images.

Usage: bench/table1-seeds.py RESULTS_A RESULTS_B [RESULTS_C ...]   (each a reproduce --out folder with evals/ and
draws/ from bench/table1-draws.sh, so that all hold draw seeds 0-4)

Draw seed s and draw i pick the same labelled images in both folders (the draws depend on the seed and the labels only),
so every difference below is paired. Printed per k, mean ± standard error over the 25 draws (draws won):
- each Table 1 claim in each run, and over all the runs together (25 pairs per run);
- each method's B - A (C - A, ...): how far the difference between the runs moves a row.
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


dirs = sys.argv[1:]
if len(dirs) < 2:
    sys.exit(__doc__)
names = [chr(ord("A") + i) for i in range(len(dirs))]
runs = [{m: load(d, m) for m in methods} for d in dirs]
for m in methods:
    for k in ks:
        for d, run in zip(dirs[1:], runs[1:]):
            if set(runs[0][m][k]) != set(run[m][k]) or len(runs[0][m][k]) != 25:
                sys.exit(f"{m}, k = {k}: {len(runs[0][m][k])} draws in {dirs[0]}, {len(run[m][k])} in {d}; run bench/table1-draws.sh on all first")

listed = " and ".join(f"{d} ({n})" for d, n in zip(dirs, names)) if len(dirs) == 2 else ", ".join(f"{d} ({n})" for d, n in zip(dirs, names))
print(f"# {'Two' if len(dirs) == 2 else len(dirs)} Table 1 runs: {listed}, 25 draws each (draw seeds 0-4), accuracy in points\n")
print("| claim | run | " + " | ".join(f"k={k}" for k in ks) + " |")
print("|---|---|" + "---|" * len(ks))
together = " and ".join(names) if len(dirs) == 2 else "all " + str(len(dirs))
for x, y in claims:
    for name, group in [(n, [r]) for n, r in zip(names, runs)] + [(together, runs)]:
        cells = []
        for k in ks:
            first = {(r, key): v for r, run in enumerate(group) for key, v in run[x][k].items()}
            second = {(r, key): v for r, run in enumerate(group) for key, v in run[y][k].items()}
            cells.append(cell(first, second))
        print(f"| {x} - {y} | {name} | " + " | ".join(cells) + " |")
for n, run in zip(names[1:], runs[1:]):
    print(f"\nSame method, {n} - A (what the difference between the runs does to a row):\n")
    print("| method | " + " | ".join(f"k={k}" for k in ks) + " |")
    print("|---|" + "---|" * len(ks))
    for m in methods:
        print(f"| {m} | " + " | ".join(cell(run[m][k], runs[0][m][k]) for k in ks) + " |")
