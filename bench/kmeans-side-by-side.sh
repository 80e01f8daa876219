#!/usr/bin/env bash
# ProtoCL's E-step k-means + phi and faiss's CPU k-means (Debian's python3-faiss) on the very same features,
# same K, 20 iterations, 5 restarts, seed = level, 2 threads. The features are the embeddings ProtoCL
# clusters: the L2-normalised embeddings (protocl embed --kind embedding) of a trained run on 10,000 images.
# Usage: bench/kmeans-side-by-side.sh RUN_DIR [K list] [OUT]
set -eu
run=$1; ks=${2:-700,1000,1400}; out=${3:-results/bench}
mkdir -p "$out"
protocl() { dotnet src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll "$@"; }
feats=$(mktemp -d)/features.npy
protocl embed --checkpoint "$run" --data /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz --kind embedding --out "$feats" >/dev/null
echo "== ProtoCL (K $ks)"; protocl bench --force --features "$feats" --clusters "$ks" --threads 2 --repeats ${REPEATS:-3} --json "$out/kmeans-protocl-${ks//,/-}.json"
echo "== faiss as Debian ships it (reference BLAS) (K $ks)"; /usr/bin/python3 bench/kmeans_vs_faiss.py "$feats" --ks "$ks" --threads 2 --repeats ${REPEATS:-3}
# A fair, fast-BLAS faiss: libtorch_cpu.so exports MKL's sgemm_, preloaded so faiss's matrix products use it.
native=$(ls -d /root/.nuget/packages/libtorch-cpu-linux-x64/*/runtimes/linux-x64/native | head -1)
echo "== faiss with MKL sgemm (K $ks)"; LD_LIBRARY_PATH=$native LD_PRELOAD=$native/libtorch_cpu.so OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/kmeans_vs_faiss.py "$feats" --ks "$ks" --threads 2 --repeats ${REPEATS:-3}
