#!/usr/bin/python3
"""How class-concentrated a set of frozen features is (the diagnostic of results/ablation/table1-pilots.md).

Usage: bench/feature-geometry.py LABELS.idx1-ubyte.gz FEATURES.npy [FEATURES.npy ...]
Each .npy comes from `protocl embed --checkpoint RUN --out F.npy` (backbone features of the test split, the features
the evaluations use). Features are L2-normalised, then: the norm of their mean (1 = all identical direction), the
effective rank of the centred features (exp of the entropy of the PCA spectrum), the mean cosine within a class and
over all pairs, and ratio = (within - all) / (1 - all): the share of the room left by the common direction that the
classes use. Low-shot SVMs with one or two labelled images per class track the ratio.
Last, `exemplar`: the accuracy of labelling every test image with the class of its most cosine-similar exemplar, one
random exemplar per class (40 draws, seed 0), on the features as they are and after removing their mean (`centred`):
if the common direction were what hurts one-shot use, centring would raise it.
"""
import gzip
import sys

import numpy as np

labels = np.frombuffer(gzip.open(sys.argv[1]).read()[8:], dtype=np.uint8)
rng = np.random.default_rng(0)
draws = [np.array([rng.choice(np.flatnonzero(labels == c)) for c in np.unique(labels)]) for _ in range(40)]


def exemplar_accuracy(f):
    f = f / np.linalg.norm(f, axis=1, keepdims=True)
    return np.mean([(np.unique(labels)[np.argmax(f @ f[d].T, axis=1)] == labels).mean() for d in draws])


for path in sys.argv[2:]:
    x = np.load(path).astype(np.float64)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    mean = x.mean(0)
    s = np.linalg.svd(x - mean, compute_uv=False)
    ev = s ** 2 / (s ** 2).sum()
    effective_rank = np.exp(-(ev * np.log(ev + 1e-12)).sum())
    within = np.mean([(x[labels == c] @ x[labels == c].T).mean() for c in np.unique(labels)])
    sample = x[:2000]
    overall = (sample @ sample.T).mean()
    print(f"{path}: |mean| {np.linalg.norm(mean):.3f}  effective rank {effective_rank:.1f}  "
          f"cos within {within:.3f}  all {overall:.3f}  ratio {(within - overall) / (1 - overall):.2f}  "
          f"exemplar {100 * exemplar_accuracy(x):.1f} %  centred {100 * exemplar_accuracy(x - mean):.1f} %")
