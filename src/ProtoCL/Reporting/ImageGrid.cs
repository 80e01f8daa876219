using ProtoCL.Data;
using ProtoCL.IO;
using SkiaSharp;
using static TorchSharp.torch;

namespace ProtoCL.Reporting;

/// <summary>One row of an <see cref="ImageGrid"/>: caption lines, the dataset images shown and an optional frame colour per image.</summary>
/// <param name="Caption">Lines written in the label column (one or two fit a row).</param>
/// <param name="Samples">Dataset indices, left to right.</param>
/// <param name="Frames">A frame colour per sample (null entries or a null array: no frame).</param>
internal sealed record ImageGridRow(string[] Caption, int[] Samples, SKColor?[]? Frames = null);

/// <summary>
/// Draws rows of dataset images behind a label column, each image upscaled with nearest-neighbour sampling by
/// <see cref="UpscaleFactor"/>. Image size: width = <see cref="LabelWidth"/> + columns · cellW + (columns + 1) ·
/// <see cref="Padding"/>, height = rows · cellH + (rows + 1) · <see cref="Padding"/>, with cellW = W · scale,
/// cellH = H · scale. Frames are drawn in the padding around a cell, never over its pixels.
/// </summary>
internal static class ImageGrid
{
    /// <summary>Gap in pixels between cells and around the grid.</summary>
    public const int Padding = 4;

    /// <summary>Width in pixels of the label column on the left.</summary>
    public const int LabelWidth = 130;

    /// <summary>Smallest cell side the upscaling aims for, in pixels.</summary>
    public const int MinCellSide = 56;

    /// <summary>Frame line width in pixels: half the padding, so that the frames of neighbouring cells never overlap.</summary>
    public const int FrameWidth = 2;

    /// <summary>Integer nearest-neighbour upscale factor: ceil(<see cref="MinCellSide"/> / max(H, W)), at least 1 (28 × 28 → 2).</summary>
    public static int UpscaleFactor(int height, int width) =>
        Math.Max(1, (MinCellSide + Math.Max(height, width) - 1) / Math.Max(height, width));

    /// <summary>Writes the PNG. Grayscale (C = 1) and RGB (C = 3; a fourth channel is ignored) images are supported; other channel counts show channel 0.</summary>
    /// <param name="images">The dataset the rows' indices refer to.</param>
    /// <param name="rows">Rows top to bottom.</param>
    /// <param name="columns">Image columns (the longest row must fit).</param>
    /// <param name="pngPath">Output PNG path (written atomically).</param>
    public static void Write(ImageDataset images, IReadOnlyList<ImageGridRow> rows, int columns, string pngPath)
    {
        if (rows.Count == 0) throw new ArgumentException("a grid needs at least one row", nameof(rows));
        if (rows.Any(r => r.Samples.Length > columns)) throw new ArgumentException($"a row holds more than {columns} images", nameof(rows));
        int scale = UpscaleFactor(images.Height, images.Width);
        int cellW = images.Width * scale, cellH = images.Height * scale;
        int width = LabelWidth + columns * cellW + (columns + 1) * Padding;
        int height = rows.Count * cellH + (rows.Count + 1) * Padding;

        var pixels = ReadRgba(images, rows.SelectMany(r => r.Samples).ToArray());
        var info = new SKImageInfo(images.Width, images.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("SkiaSharp could not create a raster surface");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = ReportFonts.Typeface();
        using var font = new SKFont(typeface, 14);
        using var textPaint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var framePaint = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = FrameWidth, IsAntialias = false };
        var sampling = new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None);

        int next = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            int top = Padding + r * (cellH + Padding);
            float mid = top + cellH / 2f;
            var caption = rows[r].Caption;
            for (int line = 0; line < caption.Length; line++)
                canvas.DrawText(caption[line], Padding, mid - 2 + 16 * (line - (caption.Length - 1) / 2f), SKTextAlign.Left, font, textPaint);
            for (int c = 0; c < rows[r].Samples.Length; c++, next++)
            {
                using var image = SKImage.FromPixelCopy(info, pixels[next])
                    ?? throw new InvalidOperationException("SkiaSharp could not wrap image pixels");
                int left = LabelWidth + Padding + c * (cellW + Padding);
                var cell = SKRect.Create(left, top, cellW, cellH);
                canvas.DrawImage(image, cell, sampling);
                if (rows[r].Frames is { } frames && frames[c] is SKColor colour)
                {
                    framePaint.Color = colour;
                    var frame = cell;
                    frame.Inflate(FrameWidth / 2f, FrameWidth / 2f); // the stroke lies outside the cell, inside the padding
                    canvas.DrawRect(frame, framePaint);
                }
            }
        }

        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(pngPath, png.ToArray());
    }

    /// <summary>
    /// Up to <paramref name="take"/> distinct entries of <paramref name="pool"/> in random order (a partial Fisher-Yates
    /// shuffle, which reorders <paramref name="pool"/> in place).
    /// </summary>
    public static int[] Sample(int[] pool, int take, Random random)
    {
        take = Math.Min(take, pool.Length);
        for (int i = 0; i < take; i++)
        {
            int j = random.Next(i, pool.Length);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..take];
    }

    /// <summary>Opaque RGBA8888 pixels (H · W · 4 bytes) of each requested image, in request order.</summary>
    private static byte[][] ReadRgba(ImageDataset images, int[] indices)
    {
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            int c = images.Channels, h = images.Height, w = images.Width, plane = h * w;
            var picked = images.Images.index_select(0, tensor(indices.Select(i => (long)i).ToArray())) // [M, C, H, W]
                .contiguous().data<byte>().ToArray();
            var result = new byte[indices.Length][];
            for (int m = 0; m < indices.Length; m++)
            {
                int baseOffset = m * c * plane;
                int g = c >= 3 ? plane : 0, b = c >= 3 ? 2 * plane : 0; // channel offsets; grayscale repeats channel 0
                var rgba = new byte[plane * 4];
                for (int p = 0; p < plane; p++)
                {
                    rgba[4 * p] = picked[baseOffset + p];
                    rgba[4 * p + 1] = picked[baseOffset + g + p];
                    rgba[4 * p + 2] = picked[baseOffset + b + p];
                    rgba[4 * p + 3] = 255;
                }
                result[m] = rgba;
            }
            return result;
        }
    }
}
