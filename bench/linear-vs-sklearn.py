#!/usr/bin/python3
"""ProtoCL's linear probe against the optimum of the objective it minimises: `protocl eval linear` trains softmax
regression on the frozen backbone features, standardised with the training split's mean and population standard
deviation, with Adam (100 epochs, cosine, weight decay 1e-5 on weights and bias); nearly the same objective, mean
cross-entropy + (1e-5 / 2) ||W||^2 with the bias not decayed, is solved to convergence by scikit-learn's
LogisticRegression (multinomial, L-BFGS, C = 1 / (1e-5 N): that objective times N) on the same standardisation of the
features `protocl embed` writes. Prints both test accuracies (ProtoCL does not export the probe's weights, so the
objectives reached are not compared): they say whether the probe's numbers are its objective's, not an under-trained
classifier's.
Usage: bench/linear-vs-sklearn.py CHECKPOINT OUT [DATA_DIR]   (CHECKPOINT: a run folder or raw; OUT may already hold
train.npy / test.npy from bench/lowshot-vs-sklearn.py; PROTOCL_DLL runs another build of the CLI; Debian's python3
with python3-sklearn)"""
import os, sys, time

from sklearn.linear_model import LogisticRegression

from protocl_features import FASHION_MNIST, evaluation, features, labels

checkpoint, out = sys.argv[1], sys.argv[2]
data = sys.argv[3] if len(sys.argv) > 3 else FASHION_MNIST
os.makedirs(out, exist_ok=True)

ours = evaluation("linear", checkpoint, data, out)
xtr, xte = (features(checkpoint, data, out, split) for split in ("train", "test"))
ytr, yte = labels(data, "train"), labels(data, "test")
mean, std = xtr.mean(0), xtr.std(0)
std[std <= 1e-12] = 1.0                       # a constant feature stays zero after centring, as in the probe
xtr, xte = (xtr - mean) / std, (xte - mean) / std
decay = 1e-5
start = time.time()
clf = LogisticRegression(C=1.0 / (decay * len(ytr)), multi_class="multinomial", solver="lbfgs", max_iter=5000, tol=1e-8).fit(xtr, ytr)
seconds = time.time() - start
acc = float((clf.predict(xte) == yte).mean())
print(f"Linear probe on `{checkpoint}` ({xtr.shape[1]}-d features, {len(ytr)} training and {len(yte)} test images): "
      f"ProtoCL {100 * ours['accuracy']:.2f} %, scikit-learn's LogisticRegression at the optimum {100 * acc:.2f} % "
      f"(L-BFGS, {int(clf.n_iter_[0])} iterations, {seconds:.0f} s); difference {100 * (ours['accuracy'] - acc):+.2f} points.")
