"""Shared by the bench scripts that set scikit-learn beside ProtoCL on the same features (lowshot-vs-sklearn.py,
cluster-vs-sklearn.py, linear-vs-sklearn.py): the CLI, IDX labels and the features `protocl embed` writes."""
import gzip, json, os, subprocess

import numpy as np

DLL = os.environ.get("PROTOCL_DLL", "src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll")
FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
SPLIT = {"train": "train", "test": "t10k"}


def protocl(*args):
    """Runs the CLI (PROTOCL_DLL picks another build), its standard output discarded; fails on a non-zero exit."""
    subprocess.run(["dotnet", DLL, *args], check=True, stdout=subprocess.DEVNULL)


def images(data, split):
    """The IDX image file of a split ("train" or "test") in DATA."""
    return os.path.join(data, f"{SPLIT[split]}-images-idx3-ubyte.gz")


def labels(data, split):
    """The labels of a split, from DATA's gzipped IDX label file."""
    with gzip.open(os.path.join(data, f"{SPLIT[split]}-labels-idx1-ubyte.gz")) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=8).astype(np.int64)


def features(checkpoint, data, out, split):
    """The backbone features of a split as float64 [N, D], from OUT/<split>.npy (written by `protocl embed` if absent)."""
    path = os.path.join(out, f"{split}.npy")
    if not os.path.exists(path):
        protocl("embed", "--checkpoint", checkpoint, "--data", images(data, split), "--out", path)
    return np.load(path).astype(np.float64)


def l2_normalised(x):
    """Rows divided by their L2 norm, as the evaluations normalise features."""
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def evaluation(protocol, checkpoint, data, out, *extra, name=None):
    """The JSON of `protocl eval PROTOCOL` on DATA's splits, from OUT/<name or protocol>.json (run with EXTRA flags if absent)."""
    report = os.path.join(out, f"{name or protocol}.json")
    if not os.path.exists(report):
        protocl("eval", protocol, "--checkpoint", checkpoint, "--train-data", images(data, "train"), "--test-data", images(data, "test"),
                *extra, "--json", report)
    with open(report) as f:
        return json.load(f)
