#!/usr/bin/python3
"""ProtoCL's low-shot SVMs against scikit-learn's LinearSVC, the solver of the reference script (eval_svm_voc.py), on
the same frozen features and the same labelled images: `protocl embed` writes the backbone features of the training
and test splits, `protocl eval lowshot` scores its draws and records which images each draw labelled
(`train_indices`), and this script trains LinearSVC one class against the rest on exactly those images, with the
reference's settings (C 0.5, class weights {1: 2, -1: 1}, squared hinge, L2, dual, tol 1e-4, max_iter 2000, intercept
scaling 1), on L2-normalised features, and scores the test split: accuracy (argmax of the decision values) and mAP
(scikit-learn's average_precision_score per class). It prints both per draw and the largest differences.
Usage: bench/lowshot-vs-sklearn.py CHECKPOINT OUT [DATA_DIR]   (CHECKPOINT: a run folder or raw; DATA_DIR defaults to
Debian's Fashion-MNIST; PROTOCL_DLL runs another build of the CLI; Debian's python3 with python3-sklearn)"""
import os, sys

import numpy as np
from sklearn.metrics import average_precision_score
from sklearn.svm import LinearSVC

from protocl_features import FASHION_MNIST, evaluation, features, l2_normalised, labels

checkpoint, out = sys.argv[1], sys.argv[2]
data = sys.argv[3] if len(sys.argv) > 3 else FASHION_MNIST
os.makedirs(out, exist_ok=True)

ours = evaluation("lowshot", checkpoint, data, out)
xtr, xte = (l2_normalised(features(checkpoint, data, out, split)) for split in ("train", "test"))
ytr, yte = labels(data, "train"), labels(data, "test")
classes = int(ytr.max()) + 1

rows, worst_acc, worst_map, flips = [], 0.0, 0.0, 0
for k, r in sorted(ours["results"].items(), key=lambda kv: int(kv[0])):
    if "train_indices" not in r:
        sys.exit(f"{os.path.join(out, 'lowshot.json')} does not record its draws (train_indices): made by a ProtoCL older than this script")
    for draw, rows_drawn in enumerate(r["train_indices"]):
        idx = np.asarray(rows_drawn)
        scores = np.empty((len(yte), classes))
        for c in range(classes):
            svm = LinearSVC(C=ours["cost"], class_weight={1: ours["positive_weight"], -1: ours["negative_weight"]},
                            intercept_scaling=1.0, penalty="l2", loss="squared_hinge", tol=ours["tolerance"], dual=True,
                            max_iter=ours["max_iterations"], random_state=0)
            svm.fit(xtr[idx], np.where(ytr[idx] == c, 1, -1))
            scores[:, c] = svm.decision_function(xte)
        acc = float((scores.argmax(1) == yte).mean())
        ap = float(np.mean([average_precision_score(yte == c, scores[:, c]) for c in range(classes)]))
        mine_acc, mine_map = r["accuracies"][draw], r["maps"][draw]
        worst_acc, worst_map = max(worst_acc, abs(acc - mine_acc)), max(worst_map, abs(ap - mine_map))
        rows.append((k, draw, mine_acc, acc, mine_map, ap))

print(f"Low-shot SVMs on `{checkpoint}` ({ours['feature_dim']}-d features, {len(ytr)} training and {len(yte)} test images, draw seed {ours['seed']}): ProtoCL against scikit-learn's LinearSVC on the same draws.\n")
print("| k | draw | accuracy, ProtoCL | accuracy, LinearSVC | mAP, ProtoCL | mAP, LinearSVC |")
print("|---|---|---|---|---|---|")
for k, draw, a1, a2, m1, m2 in rows:
    print(f"| {k} | {draw} | {100 * a1:.2f} | {100 * a2:.2f} | {100 * m1:.2f} | {100 * m2:.2f} |")
print(f"\nLargest difference over {len(rows)} draws: accuracy {100 * worst_acc:.3f} points "
      f"({worst_acc * len(yte):.0f} of {len(yte)} test images), mAP {100 * worst_map:.3f} points.")
