#!/usr/bin/env python3
"""Turns results/bench/*.json (written by bench/run-bench.sh) into results/bench/README.md with the
issue's anchors (salesforce/PCL on this machine) and the target ratios. Only the part above the first `## `
heading is generated: the hand-written sections from that heading on (targets, notes) are kept as they are."""
import json, glob, os, sys

out = sys.argv[1] if len(sys.argv) > 1 else "results/bench"
# Anchors: the reference implementation on this machine (issue 4), images/s and seconds.
ref = {
    16: {"warm": 393.0, "pcl": 353.5, "feat": 1560.0, "kmeans": 18.5},
    64: {"warm": 51.5, "pcl": 50.7, "feat": 165.0, "kmeans": 26.0},
}
rows = []
for path in sorted(glob.glob(os.path.join(out, "w*-*.json"))):
    b = json.load(open(path))
    w = b["options"]["encoder"]["width"]
    r = ref[w]
    rows.append(
        f"| {w} | {b['precision']} | {b['train_warmup_images_per_second']:.0f} ({b['train_warmup_images_per_second']/r['warm']:.2f}x) "
        f"| {b['train_pcl_images_per_second']:.0f} ({b['train_pcl_images_per_second']/r['pcl']:.2f}x) "
        f"| {b['estep_feature_images_per_second']:.0f} ({b['estep_feature_images_per_second']/r['feat']:.2f}x) "
        f"| {b['kmeans_seconds'] + b['phi_seconds']:.1f} ({r['kmeans']/(b['kmeans_seconds'] + b['phi_seconds']):.2f}x) "
        f"| {100*b['augment_fraction_of_step']:.1f} % | {b['train_effective_gflops']:.0f} / {b['matmul_peak_gflops']:.0f} ({100*b['fraction_of_matmul_peak']:.0f} %) "
        f"| {b['peak_memory_bytes']/2**20:.0f} |")
readme = os.path.join(out, "README.md")
kept = ""
if os.path.exists(readme):
    old = open(readme).read()
    at = old.find("\n## ")
    kept = old[at:] if at >= 0 else ""
machine = json.load(open(glob.glob(os.path.join(out, "w*-*.json"))[0]))["machine"] if rows else "?"
with open(readme, "w") as f:
    f.write("# Benchmarks (issue 4)\n\n")
    f.write(f"Machine: {machine}; 2 threads; Fashion-MNIST test split (10,000 images, 28x28x1); ResNet-18, CIFAR stem; batch 128; queue 512; ")
    f.write("k-means 20 iterations, 5 restarts, K = 700/1000/1400 (width 16) and 1000/1500/2000 (width 64).\n")
    f.write("Command: `bench/run-bench.sh` then `bench/summarise-bench.py`. Each figure: median of the measured runs after one warm-up run.\n")
    f.write("Ratios in brackets are against the reference implementation's anchors measured on this machine (issue 4), not re-run here.\n\n")
    f.write("| width | precision | train warm-up img/s | train PCL img/s | E-step features img/s | k-means + phi s (speed-up) | augmentation share of step | effective GFLOP/s / matmul peak | peak MiB |\n")
    f.write("|---|---|---|---|---|---|---|---|---|\n")
    f.write("\n".join(rows) + "\n")
    f.write(kept)
print(open(readme).read())
