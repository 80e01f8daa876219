#!/usr/bin/env python3
"""--exif-orientation against PIL's ImageOps.exif_transpose, pixel for pixel.

Writes a blocky 32 x 16 JPEG with each EXIF orientation tag 1-8 (PIL), reads each with
`protocl embed --checkpoint raw --exif-orientation` (pixels scaled to [0, 1], flattened) and compares with
PIL's exif_transpose(...).convert("L"). Usage (from the project's root, after `dotnet build -c Release`):
    /usr/bin/python3 bench/exif-vs-pil.py
Python is only the referee here; ProtoCL does not need it.
"""
import os, subprocess, sys, tempfile
import numpy as np
from PIL import Image, ImageOps

cli = ["dotnet", "src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli.dll"]
rng = np.random.default_rng(0)
stored = np.kron((rng.random((4, 8)) * 255).astype(np.uint8), np.ones((4, 4), np.uint8))  # 16 x 32, 4 x 4 blocks
worst = 0.0
with tempfile.TemporaryDirectory() as tmp:
    for tag in range(1, 9):
        folder = os.path.join(tmp, f"tag{tag}")
        os.makedirs(folder)
        path = os.path.join(folder, "photo.jpg")
        exif = Image.Exif()
        exif[0x0112] = tag
        Image.fromarray(stored, "L").convert("RGB").save(path, quality=100, exif=exif.tobytes())
        pil = np.asarray(ImageOps.exif_transpose(Image.open(path)).convert("L"), dtype=np.float64)
        out = os.path.join(tmp, f"tag{tag}.npy")
        subprocess.run(cli + ["embed", "--checkpoint", "raw", "--data", folder, "--exif-orientation", "--out", out],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ours = np.load(out)[0] * 255
        if ours.size != pil.size:
            sys.exit(f"tag {tag}: ProtoCL read {ours.size} pixels, PIL {pil.size}")
        diff = np.abs(ours.reshape(pil.shape) - pil).max()
        worst = max(worst, diff)
        print(f"tag {tag}: upright {pil.shape[1]} x {pil.shape[0]}, largest pixel difference {diff:.3f} (of 255)")
print(f"largest difference over the 8 tags: {worst:.3f}")
