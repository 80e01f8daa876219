#!/usr/bin/env python3
"""How much each PCL level of a run's last E-step splits the classes: per level, the effective number of clusters a
class spreads over (exp of the entropy of its members' clusters; 1 = the class sits in one cluster) and the fraction
of same-class pairs of training images that land in different clusters (their prototypes are then negatives of each
other in the prototype term). Labels: Fashion-MNIST train labels (the E-step clusters the training split).
Usage: bench/cluster-fragmentation.py RUN_DIR [RUN_DIR ...]   (Debian's python3 with numpy)"""
import glob
import gzip
import os
import sys

import numpy as np

LABELS = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"


def main(runs):
    with gzip.open(LABELS) as f:
        y = np.frombuffer(f.read()[8:], dtype=np.uint8)
    classes = int(y.max()) + 1
    print("| run | level | effective clusters per class (classes 0-9) | mean | same-class pairs split |")
    print("|---|---|---|---|---|")
    for run in runs:
        epochs = sorted(glob.glob(os.path.join(run, "clusters", "epoch-*")))
        if not epochs:
            sys.exit(f"{run}: no clusters/epoch-* folder (not a PCL run?)")
        for path in sorted(glob.glob(os.path.join(epochs[-1], "level*-assignments.npy"))):
            a = np.load(path)
            if len(a) != len(y):
                sys.exit(f"{path}: {len(a)} assignments for {len(y)} labels")
            k = int(a.max()) + 1
            eff, split = [], []
            for c in range(classes):
                share = np.bincount(a[y == c], minlength=k) / (y == c).sum()
                p = share[share > 0]
                eff.append(float(np.exp(-(p * np.log(p)).sum())))
                split.append(1.0 - float((share ** 2).sum()))
            level = os.path.basename(path).split("-")[1]
            print(f"| {run} ({os.path.basename(epochs[-1])}) | {level} | {' '.join(f'{e:.1f}' for e in eff)} | "
                  f"{np.mean(eff):.1f} | {np.mean(split):.2f} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
