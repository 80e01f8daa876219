#!/usr/bin/env python3
"""Markdown table of the eval finetune JSONs in a folder (bench/finetune-table1.sh's output), one row per checkpoint.
Usage: bench/finetune-table.py results/finetune"""
import json, os, sys

folder = sys.argv[1] if len(sys.argv) > 1 else "results/finetune"
order = ["random", "moco", "pcl", "simclr", "pcl-simclr"]
rows = []
for name in order:
    path = os.path.join(folder, name + ".json")
    if not os.path.exists(path):
        continue
    j = json.load(open(path))
    rows.append((name, j))
if not rows:
    sys.exit(f"no finetune JSONs in {folder}")
percents = sorted({float(p) for _, j in rows for p in j["results"]})
key = lambda p: format(p, "g")
head = ["checkpoint"] + [f"{key(p)} % labels: top-1 / top-5" for p in percents] + [f"{key(p)} %: fit of the subset" for p in percents]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for name, j in rows:
    cells = [name if name != "random" else "random init (supervised from scratch)"]
    for p in percents:
        r = j["results"].get(key(p))
        cells.append(f"{100 * r['accuracy']:.1f} / {100 * r['top5_accuracy']:.1f}" if r else "")
    for p in percents:
        r = j["results"].get(key(p))
        cells.append(f"{100 * r['train_accuracy']:.1f}" if r else "")
    print("| " + " | ".join(cells) + " |")
first = rows[0][1]
print()
print("Subsets: " + ", ".join(f"{key(p)} % = {first['results'][key(p)]['labelled_images']:,} images, {first['results'][key(p)]['epochs']} epochs, {first['results'][key(p)]['steps']} steps"
                          for p in percents if key(p) in first["results"]) + ".")
