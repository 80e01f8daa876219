#!/usr/bin/env python3
"""Every MoCo checkpoint whose low-shot evaluation is committed under RESULTS, against raw pixels on the same labelled
images: one-shot accuracy (k = 1) in the Table 1 protocol's own five draws (draw seed 0), and where draw seeds 1-4 were
also evaluated, the mean over all 25 draws paired with raw pixels' 25; the k-means AMI (seed 0) where it was evaluated.
A MoCo checkpoint is one whose path's last folder starts with "moco" (Table 1 runs name their MoCo row runs/<table>/moco;
MoCo-only pilots runs/moco-*). Raw pixels' draws are read from TABLE (its evals/ for seed 0, draws/ for seeds 1-4).
Usage: bench/moco-vs-raw.py [RESULTS [TABLE]]   (defaults results, results/table1; Debian's python3)"""
import collections, glob, json, os, sys

from lowshot_pairs import paired

root = sys.argv[1] if len(sys.argv) > 1 else "results"
table = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "table1")


def load(path):
    try:
        with open(path) as f:
            d = json.load(f)
    except (OSError, ValueError):
        return None
    return d if isinstance(d, dict) else None


def is_moco(checkpoint):
    return not checkpoint.startswith(("random", "raw")) and os.path.basename(checkpoint.rstrip("/")).startswith("moco")


raw = {}
for s in range(5):
    f = os.path.join(table, "evals", "raw-lowshot.json") if s == 0 else os.path.join(table, "draws", f"raw-lowshot-seed{s}.json")
    d = load(f)
    if d is None or d["seed"] != s:
        sys.exit(f"{f}: raw pixels' draws of seed {s} are needed")
    raw[s] = d["results"]["1"]["accuracies"]

lowshot = collections.defaultdict(dict)   # checkpoint -> seed -> (accuracies at k = 1, file)
ami = {}                                  # checkpoint -> AMI at k-means seed 0
for f in sorted(glob.glob(os.path.join(root, "**", "*.json"), recursive=True)):
    d = load(f)
    if d is None or not is_moco(str(d.get("checkpoint", ""))):
        continue
    c = d["checkpoint"]
    if d.get("protocol") == "lowshot":
        accs = d["results"]["1"]["accuracies"]
        seen = lowshot[c].get(d["seed"])
        if seen is not None and seen[0] != accs:
            sys.exit(f"{f} and {seen[1]}: the same checkpoint and draw seed with different accuracies")
        lowshot[c].setdefault(d["seed"], (accs, f))
    elif d.get("protocol") == "cluster" and d.get("seed") == 0:
        ami.setdefault(c, d["ami"])

mean = lambda xs: 100 * sum(xs) / len(xs)
all_raw = [a for s in range(5) for a in raw[s]]
print(f"Raw pixels, k = 1: {mean(raw[0]):.1f} in the table's five draws (seed 0), {mean(all_raw):.1f} over draw seeds 0-4 (25 draws).\n")
print("| MoCo checkpoint | first record | k=1, table's 5 draws | minus raw | k=1, 25 draws | minus raw, paired (draws won) | AMI (seed 0) |")
print("|---|---|---|---|---|---|---|")
rows = sorted((c for c in lowshot if 0 in lowshot[c]), key=lambda c: -mean(lowshot[c][0][0]))
for c in rows:
    seeds = lowshot[c]
    accs0, first = seeds[0]
    line = f"| `{c}` | `{os.path.relpath(os.path.dirname(first), root)}` | {mean(accs0):.1f} | {mean(accs0) - mean(raw[0]):+.1f} |"
    if all(s in seeds for s in range(5)):
        mine = [a for s in range(5) for a in seeds[s][0]]
        _, diff, se, won = paired(mine, all_raw)
        line += f" {mean(mine):.1f} | {diff:+.1f} ± {se:.1f} ({won}/25) |"
    else:
        line += " | |"
    line += f" {ami[c]:.3f} |" if c in ami else " |"
    print(line)
best = max(mean(lowshot[c][0][0]) for c in rows)
print(f"\n{len(rows)} MoCo checkpoints scored on the table's draws; the best reaches {best:.1f} against raw pixels' {mean(raw[0]):.1f}.")
