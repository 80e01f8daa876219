#!/usr/bin/env bash
# Reading a folder of phone-sized photos at --image-size 64: the build as it is (JPEGs decoded at a reduced scale where
# the centred square still covers 64 px) against the same build with the reduced-scale decode switched off (a one-line
# patch applied to a scratch clone). Writes nothing into the repository; prints the wall times and the pixel difference.
# Usage: bench/photo-decode.sh [REPEATS]   (needs Debian's python3-pil and python3-numpy for the images)
set -euo pipefail
repeats=${1:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 200 JPEGs of 4032 x 3024 (12 MP, a phone camera's size): colour ramps plus noise, quality 90.
/usr/bin/python3 - "$work/photos" <<'PY'
import os, sys
import numpy as np
from PIL import Image
out = sys.argv[1]; os.makedirs(out)
rng = np.random.default_rng(0)
yy, xx = np.mgrid[0:3024, 0:4032]
for i in range(200):
    a = rng.uniform(0, 1, 3)
    img = np.stack([(xx * a[0] / 16 + yy * a[1] / 16 + rng.integers(0, 40, (3024, 4032))) % 256 for _ in range(3)], -1)
    Image.fromarray(img.astype(np.uint8)).save(f"{out}/{i:04d}.jpg", quality=90)
PY

git clone -q "$root" "$work/full"
sed -i 's/for (float scale = 0.125f; scale < 1f; scale \*= 2)/for (float scale = 0.125f; scale < 0f; scale *= 2)/' "$work/full/src/ProtoCL/Data/ImageDecoder.cs"
git -C "$work/full" diff --quiet && { echo "the patch no longer applies: update it" >&2; exit 1; }
dotnet build -c Release "$root/src/ProtoCL.Cli" > /dev/null
dotnet build -c Release "$work/full/src/ProtoCL.Cli" > /dev/null

for build in "$root" "$work/full"; do
  name=$([ "$build" = "$root" ] && echo "reduced-scale decode" || echo "full-size decode")
  for r in $(seq "$repeats"); do
    /usr/bin/time -f "$name: %e s wall, %M KB peak RSS" "$build/src/ProtoCL.Cli/bin/Release/net10.0/ProtoCL.Cli" \
      embed --checkpoint raw --data "$work/photos" --image-size 64 --out "$work/$([ "$build" = "$root" ] && echo a || echo b).npy" --force 2>&1 | grep wall
  done
done
/usr/bin/python3 -c "
import numpy as np
a, b = np.load('$work/a.npy'), np.load('$work/b.npy')
d = np.abs(a - b) * 255
print(f'pixel difference (gray levels): mean {d.mean():.2f}, max {d.max():.1f}')"
