using ProtoCL.Data;
using ProtoCL.IO;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Reporting;

/// <summary>
/// A grid of sample images for the largest clusters of one clustering level: one row per cluster (largest first, ties
/// by smaller id), a label column with the cluster id and size, then up to <c>perCluster</c> images drawn at random,
/// upscaled with nearest-neighbour sampling by <see cref="UpscaleFactor"/>.
/// Image size: width = <see cref="LabelWidth"/> + perCluster · cellW + (perCluster + 1) · <see cref="Padding"/>,
/// height = rows · cellH + (rows + 1) · <see cref="Padding"/>, with cellW = W · scale, cellH = H · scale.
/// </summary>
public static class PrototypeGrid
{
    /// <summary>Gap in pixels between cells and around the grid.</summary>
    public const int Padding = 4;

    /// <summary>Width in pixels of the label column on the left.</summary>
    public const int LabelWidth = 130;

    /// <summary>Smallest cell side the upscaling aims for, in pixels.</summary>
    public const int MinCellSide = 56;

    /// <summary>Integer nearest-neighbour upscale factor: ceil(<see cref="MinCellSide"/> / max(H, W)), at least 1 (28 × 28 → 2).</summary>
    public static int UpscaleFactor(int height, int width) =>
        Math.Max(1, (MinCellSide + Math.Max(height, width) - 1) / Math.Max(height, width));

    /// <summary>
    /// Writes the grid PNG and returns its rows. Negative assignments (unassigned) are ignored.
    /// Grayscale (C = 1) and RGB (C = 3; a fourth channel is ignored) images are supported; other channel counts show channel 0.
    /// </summary>
    /// <param name="images">The dataset the assignments refer to.</param>
    /// <param name="assignments">Cluster id per image (length N).</param>
    /// <param name="pngPath">Output PNG path.</param>
    /// <param name="seed">Seed for picking the images shown in each row.</param>
    /// <param name="clusters">How many of the largest clusters to show.</param>
    /// <param name="perCluster">Images per row.</param>
    public static IReadOnlyList<PrototypeGridRow> Write(ImageDataset images, long[] assignments, string pngPath, int seed, int clusters = 8, int perCluster = 10)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(assignments);
        if (assignments.Length != images.Count)
            throw new ArgumentException($"{assignments.Length} assignments for {images.Count} images", nameof(assignments));
        if (clusters < 1 || perCluster < 1) throw new ArgumentOutOfRangeException(nameof(clusters), "clusters and perCluster must be positive");

        var rows = ChooseRows(assignments, clusters, perCluster, new Random(seed));
        if (rows.Count == 0) throw new ArgumentException("no image is assigned to a cluster", nameof(assignments));

        int scale = UpscaleFactor(images.Height, images.Width);
        int cellW = images.Width * scale, cellH = images.Height * scale;
        int width = LabelWidth + perCluster * cellW + (perCluster + 1) * Padding;
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
        var sampling = new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None);

        int next = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            int top = Padding + r * (cellH + Padding);
            float mid = top + cellH / 2f;
            canvas.DrawText($"cluster {rows[r].Cluster}", Padding, mid - 2, SKTextAlign.Left, font, textPaint);
            canvas.DrawText($"n = {rows[r].Size}", Padding, mid + 14, SKTextAlign.Left, font, textPaint);
            for (int c = 0; c < rows[r].Samples.Length; c++, next++)
            {
                using var image = SKImage.FromPixelCopy(info, pixels[next])
                    ?? throw new InvalidOperationException("SkiaSharp could not wrap image pixels");
                int left = LabelWidth + Padding + c * (cellW + Padding);
                canvas.DrawImage(image, SKRect.Create(left, top, cellW, cellH), sampling);
            }
        }

        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(pngPath, png.ToArray());
        return rows;
    }

    /// <summary>The largest <paramref name="clusters"/> clusters (ties: smaller id first) with a seeded random sample of members each.</summary>
    internal static List<PrototypeGridRow> ChooseRows(long[] assignments, int clusters, int perCluster, Random random)
    {
        var members = new Dictionary<long, List<int>>();
        for (int i = 0; i < assignments.Length; i++)
        {
            if (assignments[i] < 0) continue;
            if (!members.TryGetValue(assignments[i], out var list)) members[assignments[i]] = list = [];
            list.Add(i);
        }
        var rows = new List<PrototypeGridRow>();
        foreach (var (id, list) in members.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key).Take(clusters))
        {
            var pool = list.ToArray();
            int take = Math.Min(perCluster, pool.Length);
            for (int i = 0; i < take; i++)
            {
                int j = random.Next(i, pool.Length);
                (pool[i], pool[j]) = (pool[j], pool[i]);
            }
            rows.Add(new PrototypeGridRow(id, list.Count, pool[..take]));
        }
        return rows;
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
