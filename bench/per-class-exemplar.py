#!/usr/bin/python3
"""Where one-shot use wins and loses, class by class, and what the last E-step's clusters hold.

Usage: bench/per-class-exemplar.py TEST_LABELS.gz TRAIN_LABELS.gz NAME=FEATURES.npy [...] [--clusters NAME=ASSIGNMENTS.npy ...]
FEATURES.npy: `protocl embed --checkpoint RUN --data <test images> --out F.npy` (backbone features of the test split).
For each feature set: the accuracy, per class, of labelling every test image with the class of its most
cosine-similar exemplar, one random exemplar per class (40 draws, seed 0; the nearest-exemplar rule that the k = 1
low-shot SVMs follow, see results/ablation/table1-pilots.md).
ASSIGNMENTS.npy: a PCL level's assignments of the training images (RUN/clusters/epoch-NNNN/levelL-kK-assignments.npy);
for each class, the clusters that hold at least 20 % of it, and for each cluster, the classes that make up at least
20 % of it.
"""
import gzip
import sys

import numpy as np

NAMES = ['T-shirt', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Boot']


def read_labels(path):
    return np.frombuffer(gzip.open(path).read()[8:], dtype=np.uint8)


args = sys.argv[1:]
test, train = read_labels(args[0]), read_labels(args[1])
rest = args[2:]
split = rest.index('--clusters') if '--clusters' in rest else len(rest)
features = [a.split('=', 1) for a in rest[:split]]
clusterings = [a.split('=', 1) for a in rest[split + 1:]]
classes = np.unique(test)
names = NAMES if len(classes) == 10 else [str(c) for c in classes]

rng = np.random.default_rng(0)
draws = [np.array([rng.choice(np.flatnonzero(test == c)) for c in classes]) for _ in range(40)]
table = {}
for name, path in features:
    f = np.load(path).astype(np.float64)
    f /= np.linalg.norm(f, axis=1, keepdims=True)
    acc = np.zeros(len(classes))
    for d in draws:
        predicted = classes[np.argmax(f @ f[d].T, axis=1)]
        acc += np.array([(predicted[test == c] == c).mean() for c in classes]) / len(draws)
    table[name] = acc

print('one-exemplar accuracy (%) per class, 40 draws')
print(f"{'class':10} " + ' '.join(f'{n:>11}' for n in table))
for i, c in enumerate(classes):
    print(f'{names[i]:10} ' + ' '.join(f'{100 * table[n][i]:11.1f}' for n in table))
print(f"{'mean':10} " + ' '.join(f'{100 * table[n].mean():11.1f}' for n in table))

for name, path in clusterings:
    a = np.load(path).astype(np.int64)
    counts = np.zeros((len(classes), a.max() + 1), dtype=np.int64)
    np.add.at(counts, (train[:len(a)], a), 1)
    print(f'\n{name}: K = {counts.shape[1]}; each class -> the clusters holding >= 20 % of it')
    for i in range(len(classes)):
        share = counts[i] / counts[i].sum()
        print(f'  {names[i]:10}', ', '.join(f'c{k} {100 * share[k]:.0f}%' for k in np.argsort(-share) if share[k] >= 0.2))
    print('  each cluster -> the classes making up >= 20 % of it:')
    for k in range(counts.shape[1]):
        share = counts[:, k] / max(counts[:, k].sum(), 1)
        print(f'  c{k:<3} ' + ' + '.join(names[i] for i in np.argsort(-share) if share[i] >= 0.2))
