#!/usr/bin/env python3
"""Paired low-shot comparison of eval JSONs made with the same draw seed (so draw d used the same labelled images in
each): mean accuracy per k, and the per-draw difference A - B with how many draws A wins.
Usage: bench/compare-lowshot.py A-lowshot.json B-lowshot.json [C-lowshot.json ...]   (each compared with B)"""
import json
import sys

from lowshot_pairs import KS as ks, paired


def load(path):
    with open(path) as f:
        d = json.load(f)
    return d["seed"], {k: d["results"][k]["accuracies"] for k in ks}


def main(paths):
    base_seed, base = load(paths[1])
    for path in [paths[0]] + paths[2:]:
        seed, acc = load(path)
        if seed != base_seed:
            sys.exit(f"{path}: draw seed {seed} differs from {paths[1]}'s {base_seed}; the draws are not paired")
        print(f"{path} - {paths[1]}")
        for k in ks:
            diffs, mean, _, wins = paired(acc[k], base[k])
            mean_a = 100 * sum(acc[k]) / len(acc[k])
            mean_b = 100 * sum(base[k]) / len(base[k])
            print(f"  k={k:>2}: {mean_a:5.1f} vs {mean_b:5.1f}  diff {mean:+5.1f}  "
                  f"(wins {wins}/{len(diffs)}: {' '.join(f'{d:+.1f}' for d in diffs)})")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1:])
