#!/usr/bin/python3
"""Writes the image fixtures of ImageFormatInputs (Debian's python3-pil 9.4; run once, the files are committed).
Formats SkiaSharp cannot encode: CMYK JPEG, progressive JPEG, BMP, GIF, animated GIF."""
import os
from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))

def rgb(x, y):  # the same colour function as ImageBadInputs.Rgb16Value
    return (x * 60 + y * 20, 255 - x * 40, y * 100)

# CMYK JPEG 4x2: left half C0 M255 Y255 K0 (red), right half C255 M255 Y0 K0 (blue).
im = Image.new('CMYK', (4, 2))
for x in range(4):
    for y in range(2):
        im.putpixel((x, y), (0, 255, 255, 0) if x < 2 else (255, 255, 0, 0))
im.save(os.path.join(here, 'cmyk.jpg'), 'JPEG', quality=100)

# Progressive grayscale JPEG 8x8: columns 0-3 are 100, columns 4-7 are 132 (flat 4x4 halves survive quality 100).
g = Image.new('L', (8, 8))
for x in range(8):
    for y in range(8):
        g.putpixel((x, y), 100 if x < 4 else 132)
g.save(os.path.join(here, 'progressive.jpg'), 'JPEG', quality=100, progressive=True)

# 24-bit BMP 3x2.
b = Image.new('RGB', (3, 2))
for x in range(3):
    for y in range(2):
        b.putpixel((x, y), rgb(x, y))
b.save(os.path.join(here, 'rgb.bmp'), 'BMP')

# GIF 3x2 with an explicit 6-colour palette, index = y * 3 + x.
def paletted(w, h, colours, index):
    p = Image.new('P', (w, h))
    flat = [c for colour in colours for c in colour]
    p.putpalette(flat + [0] * (768 - len(flat)))
    for x in range(w):
        for y in range(h):
            p.putpixel((x, y), index(x, y))
    return p

paletted(3, 2, [rgb(x, y) for y in range(2) for x in range(3)], lambda x, y: y * 3 + x).save(os.path.join(here, 'palette.gif'), 'GIF')

# Animated GIF 2x2, two frames: solid (10,20,30) then solid (200,100,50). Only the first frame is read.
f1 = paletted(2, 2, [(10, 20, 30), (200, 100, 50)], lambda x, y: 0)
f2 = paletted(2, 2, [(10, 20, 30), (200, 100, 50)], lambda x, y: 1)
f1.save(os.path.join(here, 'animated.gif'), 'GIF', save_all=True, append_images=[f2], duration=100, loop=0)
