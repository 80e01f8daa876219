#!/usr/bin/python3
"""ProtoCL's weighted kNN against a plain numpy version of the same rule on the same features: `protocl eval knn`
(k = 200 neighbours by cosine similarity of L2-normalised backbone features, each voting for its class with weight
exp(similarity / 0.07), InstDisc's and MoCo's monitor) and the rule written out here in float64 on the features
`protocl embed` writes. Prints both accuracies and the classes whose count of correct test images differs.
Usage: bench/knn-vs-numpy.py CHECKPOINT OUT [DATA_DIR]   (OUT may already hold train.npy / test.npy from
bench/lowshot-vs-sklearn.py; PROTOCL_DLL runs another build of the CLI; Debian's python3)"""
import os, sys

import numpy as np

from protocl_features import FASHION_MNIST, evaluation, features, l2_normalised, labels

checkpoint, out = sys.argv[1], sys.argv[2]
data = sys.argv[3] if len(sys.argv) > 3 else FASHION_MNIST
os.makedirs(out, exist_ok=True)

ours = evaluation("knn", checkpoint, data, out)
k, temperature = ours["k"], ours["temperature"]
xtr, xte = (l2_normalised(features(checkpoint, data, out, split)) for split in ("train", "test"))
ytr, yte = labels(data, "train"), labels(data, "test")
classes = int(ytr.max()) + 1

predicted = np.empty(len(yte), dtype=np.int64)
for start in range(0, len(yte), 500):
    sim = xte[start:start + 500] @ xtr.T                                  # [B, N_train] cosine similarities
    top = np.argpartition(-sim, k - 1, axis=1)[:, :k]                     # [B, k] the k most similar, unordered
    votes = np.zeros((len(top), classes))
    for row in range(len(top)):
        np.add.at(votes[row], ytr[top[row]], np.exp(sim[row, top[row]] / temperature))
    predicted[start:start + len(top)] = votes.argmax(1)                    # ties go to the lower class, as in ProtoCL
accuracy = float((predicted == yte).mean())
theirs = np.array(ours["per_class_correct"])
mine = np.bincount(yte[predicted == yte], minlength=classes)
differ = [f"class {c}: {theirs[c]} against {mine[c]}" for c in range(classes) if theirs[c] != mine[c]]
print(f"Weighted kNN (k = {k}, T = {temperature}) on `{checkpoint}` ({xtr.shape[1]}-d features): ProtoCL {100 * ours['accuracy']:.2f} %, "
      f"numpy {100 * accuracy:.2f} %; correct test images per class differ in: {'; '.join(differ) if differ else 'none'}.")
