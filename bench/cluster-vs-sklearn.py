#!/usr/bin/python3
"""ProtoCL's clustering protocol against scikit-learn on the same features: `protocl eval cluster --seed S` (k-means++
with 10 restarts and at most 300 iterations on the L2-normalised test features, K = the number of classes) and
scikit-learn's KMeans with the same settings (n_init 10, max_iter 300, random_state S) on the L2-normalised features
`protocl embed` writes, for S = 0..SEEDS-1. Prints each seed's inertia (sum of squared distances to the assigned
centroid: lower is the better k-means solution), AMI and NMI from both (scikit-learn's: arithmetic normalisation,
as ProtoCL's), and their means.
Usage: bench/cluster-vs-sklearn.py CHECKPOINT OUT [SEEDS [DATA_DIR]]   (CHECKPOINT: a run folder or raw; SEEDS default 5;
DATA_DIR defaults to Debian's Fashion-MNIST; PROTOCL_DLL runs another build of the CLI; Debian's python3 with
python3-sklearn)"""
import os, sys

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_mutual_info_score, normalized_mutual_info_score

from protocl_features import FASHION_MNIST, evaluation, features, l2_normalised, labels

checkpoint, out = sys.argv[1], sys.argv[2]
seeds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
data = sys.argv[4] if len(sys.argv) > 4 else FASHION_MNIST
os.makedirs(out, exist_ok=True)
truth = labels(data, "test")
x = l2_normalised(features(checkpoint, data, out, "test"))
k = len(np.unique(truth))

rows = []
for s in range(seeds):
    ours = evaluation("cluster", checkpoint, data, out, "--seed", str(s), name=f"cluster-seed{s}")
    km = KMeans(n_clusters=k, init="k-means++", n_init=10, max_iter=300, random_state=s).fit(x)
    rows.append((s, ours["inertia"], ours["ami"], ours["nmi"], float(km.inertia_),
                 adjusted_mutual_info_score(truth, km.labels_), normalized_mutual_info_score(truth, km.labels_)))

print(f"k-means (K = {k}) on the L2-normalised test features of `{checkpoint}` ({x.shape[1]}-d, {len(truth)} images): "
      "ProtoCL's `eval cluster` against scikit-learn's KMeans, the same seed.\n")
print("| seed | inertia, ProtoCL | inertia, scikit-learn | AMI, ProtoCL | AMI, scikit-learn | NMI, ProtoCL | NMI, scikit-learn |")
print("|---|---|---|---|---|---|---|")
for s, i1, a1, n1, i2, a2, n2 in rows:
    print(f"| {s} | {i1:.2f} | {i2:.2f} | {a1:.4f} | {a2:.4f} | {n1:.4f} | {n2:.4f} |")
mean = lambda j: sum(r[j] for r in rows) / len(rows)
print(f"| mean | {mean(1):.2f} | {mean(4):.2f} | {mean(2):.4f} | {mean(5):.4f} | {mean(3):.4f} | {mean(6):.4f} |")
