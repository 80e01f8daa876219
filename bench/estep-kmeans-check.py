#!/usr/bin/python3
"""Is a PCL level's clustering a k-means failure? The E-step's k-means as the reference runs it (faiss, 20 iterations,
5 restarts, seed = level index, at most 1000 points per centroid) against scikit-learn's k-means++ (5 restarts, up to
100 iterations), on the same embeddings: objective (sum of squared distances) and AMI against the labels.

Usage: bench/estep-kmeans-check.py TRAIN_LABELS.gz NAME=EMBEDDINGS.npy [...] [--k 10,20,40]
EMBEDDINGS.npy: `protocl embed --checkpoint RUN --data <train images> --kind embedding --out E.npy` (the L2-normalised
head output that the E-step clusters; for PCL the momentum encoder's, here the checkpoint's query encoder).
"""
import gzip
import sys

import faiss
import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_mutual_info_score

args = sys.argv[1:]
ks = [10, 20, 40]
if '--k' in args:
    i = args.index('--k')
    ks = [int(k) for k in args[i + 1].split(',')]
    args = args[:i] + args[i + 2:]
labels = np.frombuffer(gzip.open(args[0]).read()[8:], dtype=np.uint8)
for name, path in (a.split('=', 1) for a in args[1:]):
    x = np.load(path).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y = labels[:len(x)]
    for level, k in enumerate(ks):
        km = faiss.Kmeans(x.shape[1], k, niter=20, nredo=5, seed=level, verbose=False, max_points_per_centroid=1000)
        km.train(x)
        dist, assigned = km.index.search(x, 1)
        pp = KMeans(k, init='k-means++', n_init=5, max_iter=100, random_state=0).fit(x)
        print(f'{name} K={k}: faiss objective {dist.sum():.1f} AMI {adjusted_mutual_info_score(y, assigned[:, 0]):.3f} | '
              f'k-means++ objective {pp.inertia_:.1f} AMI {adjusted_mutual_info_score(y, pp.labels_):.3f}', flush=True)
