#!/usr/bin/python3
"""Times faiss CPU k-means + concentration phi per level, at the settings ProtoCL's E-step uses.

Reference: salesforce/PCL main_pcl.py run_kmeans (faiss.Clustering, niter 20, nredo 5,
seed = level index, max/min points per centroid 1000/10, then index.search(x, 1) for every point).
phi is computed here with vectorised numpy (bincount), following METHOD.md "Concentration phi".

Usage:
  /usr/bin/python3 bench/kmeans_vs_faiss.py FEATURES.npy --ks 1000,1500,2000 [--threads 2]
      [--repeats 3] [--temperature 0.2] [--save DIR]

ProtoCL's side of the comparison, on the same file and K list:
  protocl bench --features FEATURES.npy --clusters 1000,1500,2000 --threads 2 --repeats 3   (bench/kmeans-side-by-side.sh runs both)

Prints one line per level and repeat, then the median seconds and objective per level.

BLAS matters: Debian's python3-faiss links libblas.so.3, which on these machines is the reference
(netlib) BLAS, about 6 GFLOP/s. For a fast-BLAS faiss baseline, preload libtorch_cpu.so from the
TorchSharp native folder, which exports MKL's Fortran sgemm_ (the symbol faiss calls):
  N=~/.nuget/packages/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native
  LD_LIBRARY_PATH=$N LD_PRELOAD=$N/libtorch_cpu.so /usr/bin/python3 bench/kmeans_vs_faiss.py ...
The objective is the sum over ALL N points of the squared L2 distance to the nearest final
centroid (the same quantity as ProtoCL's KMeansResult.Objective); `train_obj` is faiss's own
last-iteration objective on its training sample.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np


def concentration(dist2, assign, k, temperature, alpha=10.0):
    """phi_c = sum_z ||v_z - c|| / (Z log(Z + alpha)), Z<=1 -> max, clip p10..p90, mean = temperature."""
    dist = np.sqrt(np.maximum(dist2.astype(np.float64), 0.0))
    z = np.bincount(assign, minlength=k).astype(np.float64)
    s = np.bincount(assign, weights=dist, minlength=k)
    phi = np.zeros(k)
    big = z > 1
    phi[big] = s[big] / (z[big] * np.log(z[big] + alpha))
    phi[~big] = phi[big].max() if big.any() else 1.0
    phi = np.clip(phi, np.percentile(phi, 10), np.percentile(phi, 90))
    return (temperature * phi / phi.mean()).astype(np.float32)


def run_level(faiss, x, k, seed, args):
    n, d = x.shape
    t0 = time.perf_counter()
    clus = faiss.Clustering(d, k)
    clus.verbose = False
    clus.niter = args.niter
    clus.nredo = args.nredo
    clus.seed = seed
    clus.max_points_per_centroid = args.max_points
    clus.min_points_per_centroid = args.min_points
    index = faiss.IndexFlatL2(d)
    clus.train(x, index)
    dist2, idx = index.search(x, 1)
    t1 = time.perf_counter()
    assign = idx[:, 0].astype(np.int64)
    phi = concentration(dist2[:, 0], assign, k, args.temperature)
    t2 = time.perf_counter()
    stats = clus.iteration_stats
    train_obj = stats.at(stats.size() - 1).obj
    objective = float(np.maximum(dist2[:, 0].astype(np.float64), 0.0).sum())
    centroids = faiss.vector_to_array(clus.centroids).reshape(k, d)
    return t1 - t0, t2 - t1, objective, train_obj, centroids, assign, phi


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("features", help="float32 .npy, N x D (L2-normalised embeddings)")
    p.add_argument("--ks", default="1000,1500,2000", help="comma-separated K per level")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--niter", type=int, default=20)
    p.add_argument("--nredo", type=int, default=5)
    p.add_argument("--max-points", type=int, default=1000)
    p.add_argument("--min-points", type=int, default=10)
    p.add_argument("--temperature", type=float, default=0.2)
    p.add_argument("--save", help="folder for faiss centroids / assignments / phi per level (.npy)")
    args = p.parse_args()

    # BLAS and OpenMP read these when loaded, so set them before importing faiss.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    import faiss

    faiss.omp_set_num_threads(args.threads)
    x = np.ascontiguousarray(np.load(args.features), dtype=np.float32)
    ks = [int(k) for k in args.ks.split(",")]
    print(f"faiss {faiss.__version__}, numpy {np.__version__}, threads {args.threads}, "
          f"N={x.shape[0]} D={x.shape[1]}, niter {args.niter}, nredo {args.nredo}", flush=True)

    per_level = {m: [] for m in range(len(ks))}
    for r in range(args.repeats):
        total = 0.0
        for m, k in enumerate(ks):
            tk, tp, obj, train_obj, cen, assign, phi = run_level(faiss, x, k, m, args)
            total += tk + tp
            per_level[m].append((tk, tp, obj))
            print(f"repeat {r} level {m} K={k}: kmeans {tk:.3f} s, phi {tp:.4f} s, "
                  f"objective {obj:.6f}, train_obj {train_obj:.6f}", flush=True)
            if args.save:
                os.makedirs(args.save, exist_ok=True)
                np.save(os.path.join(args.save, f"level{m}-k{k}-centroids.npy"), cen.astype(np.float32))
                np.save(os.path.join(args.save, f"level{m}-k{k}-assignments.npy"), assign)
                np.save(os.path.join(args.save, f"level{m}-k{k}-phi.npy"), phi)
        print(f"repeat {r} total {total:.3f} s", flush=True)

    print("median over repeats:")
    for m, k in enumerate(ks):
        rows = per_level[m]
        print(f"level {m} K={k}: kmeans {statistics.median(r[0] for r in rows):.3f} s, "
              f"phi {statistics.median(r[1] for r in rows):.4f} s, "
              f"objective {statistics.median(r[2] for r in rows):.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
