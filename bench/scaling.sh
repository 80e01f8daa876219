#!/usr/bin/env bash
# How the E-step's k-means + phi grow with N (10k, 60k, 240k) and with K (100 .. 20,000), and its memory:
# synthetic L2-normalised 128-d features (40 Gaussian blobs), 20 iterations, 1 restart (restarts multiply
# the time by a constant), 2 threads. Writes results/bench/scaling-*.json and scaling.png.
set -eu
out=${1:-results/bench}
mkdir -p "$out"
tmp=$(mktemp -d)
protocl() { dotnet src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll "$@"; }
for n in 10000 60000 240000; do
  /usr/bin/python3 -c "
import numpy as np, sys
n=int(sys.argv[1]); rng=np.random.default_rng(0)
c=rng.normal(size=(40,128)); x=c[rng.integers(0,40,n)]+0.7*rng.normal(size=(n,128))
x/=np.linalg.norm(x,axis=1,keepdims=True); np.save(sys.argv[2], x.astype(np.float32))" $n "$tmp/x$n.npy"
done
for n in 10000 60000 240000; do
  protocl bench --force --features "$tmp/x$n.npy" --clusters 1000 --kmeans-restarts 1 --threads 2 --repeats 1 --json "$out/scaling-n$n-k1000.json"
done
for k in 100 1000 5000 20000; do
  protocl bench --force --features "$tmp/x60000.npy" --clusters $k --kmeans-restarts 1 --threads 2 --repeats 1 --json "$out/scaling-n60000-k$k.json"
done
/usr/bin/python3 - "$out" <<'PY'
import json, glob, sys, os
import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt
out = sys.argv[1]
rows = [json.load(open(p)) for p in glob.glob(os.path.join(out, "scaling-*.json"))]
byn = sorted([r for r in rows if r["levels"][0]["k"] == 1000], key=lambda r: r["n"])
byk = sorted([r for r in rows if r["n"] == 60000], key=lambda r: r["levels"][0]["k"])
fig, ax = plt.subplots(1, 3, figsize=(15, 4.2))
ax[0].plot([r["n"] for r in byn], [r["kmeans_seconds"] + r["phi_seconds"] for r in byn], "o-"); ax[0].set(xlabel="N (K = 1000)", ylabel="k-means + phi, s", title="time vs N")
ax[1].plot([r["levels"][0]["k"] for r in byk], [r["kmeans_seconds"] + r["phi_seconds"] for r in byk], "o-"); ax[1].set(xlabel="K (N = 60,000)", ylabel="k-means + phi, s", title="time vs K")
ax[2].plot([r["n"] for r in byn], [r["peak_memory_bytes"] / 2**20 for r in byn], "o-", label="vs N (K=1000)")
ax[2].plot([r["levels"][0]["k"] * 4 for r in byk], [r["peak_memory_bytes"] / 2**20 for r in byk], "s-", label="vs K (N=60k), x = 4K")
ax[2].set(xlabel="N, or 4K", ylabel="peak process memory, MiB", title="memory"); ax[2].legend()
for a in ax[:2]: a.set_xscale("log"); a.set_yscale("log")
fig.tight_layout(); fig.savefig(os.path.join(out, "scaling.png"), dpi=110)
with open(os.path.join(out, "scaling.md"), "w") as f:
    f.write("| N | K | k-means s | phi s | peak MiB | features MiB (N x 128 x 4) |\n|---|---|---|---|---|---|\n")
    for r in byn + [r for r in byk if r["levels"][0]["k"] != 1000]:
        f.write(f"| {r['n']} | {r['levels'][0]['k']} | {r['kmeans_seconds']:.2f} | {r['phi_seconds']:.3f} | {r['peak_memory_bytes']/2**20:.0f} | {r['n']*128*4/2**20:.0f} |\n")
print(open(os.path.join(out, "scaling.md")).read())
PY
