using static TorchSharp.torch;

namespace ProtoCL.Data;

/// <summary>
/// Reads a folder of images (PNG, JPEG, BMP, GIF, WebP; see <see cref="Extensions"/>) into uint8 [N, C, H, W]:
/// class sub-folders give the labels, C is 1 when every image is grayscale and 3 otherwise, and every image is
/// brought to one common size (each image's centred region of that shape, resized). Unreadable files fail the read or are skipped, per <see cref="BadImagePolicy"/>.
/// </summary>
public static class ImageFolderReader
{
    /// <summary>The file extensions read as images (case-insensitive); other files are ignored.</summary>
    public static IReadOnlyList<string> Extensions => ImageFolderScanner.Extensions;

    /// <summary>
    /// Reads <paramref name="root"/>. Sub-folders of the root are classes (labels index their ordinal-sorted names);
    /// images directly in the root get <see cref="ImageDataset.Unlabelled"/>, and Labels is null when there are
    /// no class folders. Images keep file order (root files, then each class's files, sorted by path).
    /// </summary>
    public static ImageDataset Read(string root, DataLoadOptions? options = null)
    {
        options ??= DataLoadOptions.Default;
        options.Validate();
        if (!Directory.Exists(root))
            throw new DataException($"no such file or folder: {root}");
        var scan = ImageFolderScanner.Scan(root);
        if (scan.Files.Count == 0)
            throw new DataException($"no images found in {root} (looked for {string.Join(", ", Extensions)} files in it and in its sub-folders)");

        var kept = new List<(DecodeResult Image, ImageFile File)>();
        var skipped = new List<SkippedImage>();
        int limit = options.Limit ?? int.MaxValue;
        (int Width, int Height)? asked = options.ImageSize is int side ? (side, side) : null;
        (int Width, int Height)? target = null;
        int next = 0;
        long toRead = Math.Min(scan.Files.Count, limit);             // files to decode, unless bad ones are skipped on the way

        // Decode one at a time until one image succeeds: without an explicit size it sets the size, and either way its
        // channels size the memory check below (a colour image makes the whole set three channels).
        for (; target is null && next < scan.Files.Count; next++)
        {
            var result = ImageDecoder.Decode(scan.Files[next].Path, asked, options.MaxPixelsPerImage, options.ApplyExifOrientation);
            Accept(scan.Files[next], result, options.BadImagePolicy, kept, skipped);
            if (result.Pixels is not null)
                target = asked ?? (result.Width, result.Height);
        }

        if (target is (int tw, int th))
            ThrowIfTooLarge(root, toRead, kept.Count > 0 && !kept[0].Image.Gray ? 3 : 1, tw, th,
                options.ImageSize is null ? scan.Files[next - 1].Path : null, options.MemoryBudgetBytes);

        // The rest in parallel, a batch at a time, so only a few full-size decodes are alive at once (bounded memory)
        // and results are accepted in file order (Fail reports the first bad file; Limit takes the first N).
        int parallelism = Math.Max(1, Environment.ProcessorCount);
        while (next < scan.Files.Count && kept.Count < limit)
        {
            int batch = Math.Min(scan.Files.Count - next, Math.Min(8 * parallelism, limit - kept.Count));
            var results = new DecodeResult[batch];
            var size = target;
            int first = next;
            Parallel.For(0, batch, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
                i => results[i] = ImageDecoder.Decode(scan.Files[first + i].Path, size, options.MaxPixelsPerImage, options.ApplyExifOrientation));
            for (int i = 0; i < batch; i++)
                Accept(scan.Files[first + i], results[i], options.BadImagePolicy, kept, skipped);
            next += batch;
            if (next < toRead) options.Progress?.Invoke(next, toRead);
        }

        options.Progress?.Invoke(toRead, toRead);                    // once, at the end (also when skipped files were replaced)
        if (kept.Count == 0)
            throw new DataException($"all {skipped.Count} images in {root} were unreadable (first: {skipped[0].Path}: {skipped[0].Reason}); check the files");
        if (kept.Count > limit)
            kept.RemoveRange(limit, kept.Count - limit);

        var images = Assemble(kept);
        int[]? labels = scan.Labelled ? kept.Select(k => k.File.Label).ToArray() : null;
        return new ImageDataset(images, labels, root, scan.Labelled ? scan.ClassNames : null)
        {
            Files = kept.Select(k => k.File.Path).ToArray(),
            SkippedCount = skipped.Count,
            Skipped = skipped,
            ExifOriented = options.ApplyExifOrientation,
        };
    }

    /// <summary>
    /// Refuses a read whose images cannot all be held: <paramref name="count"/> images of <paramref name="channels"/> x
    /// <paramref name="height"/> x <paramref name="width"/> bytes, twice (each decoded copy and the tensor), against
    /// <paramref name="budget"/> or the memory available to this process. <paramref name="sizedBy"/> names the image that
    /// set the size when no size was asked for.
    /// </summary>
    internal static void ThrowIfTooLarge(string root, long count, int channels, int width, int height, string? sizedBy, long? budget)
    {
        long available = budget ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        double need = 2.0 * count * channels * width * height;
        if (need <= available) return;
        string size = sizedBy is null ? $"{width}x{height}" : $"{width}x{height} (the size of its first image, {sizedBy})";
        throw new DataException($"{root}: {count:N0} images at {size} need at least {IO.ByteSize.Readable(need)} of memory to load, " +
                                $"more than the {IO.ByteSize.Readable(available)} available; pass --image-size (e.g. 64 or 224) to load them smaller, or --limit to load fewer");
    }

    /// <summary>
    /// Reads single image files as <paramref name="like"/>'s images are held: brought to its width and height (the centred
    /// region of that shape, resized; turned upright first when <paramref name="like"/>'s were, <see cref="ImageDataset.ExifOriented"/>), and with
    /// its channel count (a colour image becomes gray with PIL's convert("L") luma, (19595 R + 38470 G + 7471 B + 2^15) >> 16,
    /// for one-channel data; a gray image is repeated over three channels for colour data). Labels are null; Files hold the
    /// full paths. Throws <see cref="DataException"/> naming the first file that cannot be read.
    /// </summary>
    public static ImageDataset ReadFilesLike(IReadOnlyList<string> paths, ImageDataset like, long maxPixelsPerImage = DataLoadOptions.DefaultMaxPixelsPerImage)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(like);
        if (like.Channels is not (1 or 3)) throw new ArgumentException($"images are read as 1 or 3 channels, not {like.Channels}");
        int plane = like.Height * like.Width;
        var images = empty([paths.Count, like.Channels, like.Height, like.Width], ScalarType.Byte); // [n, C, H, W]
        try
        {
            for (int i = 0; i < paths.Count; i++)
            {
                var result = ImageDecoder.Decode(paths[i], (like.Width, like.Height), maxPixelsPerImage, like.ExifOriented);
                if (result.Error is not null) throw new DataException($"{paths[i]}: {result.Error}");
                var pixels = result.Pixels!;                                     // [1 or 3, H, W] planar
                if (like.Channels == 3 && result.Gray) pixels = [.. pixels, .. pixels, .. pixels];
                else if (like.Channels == 1 && !result.Gray) pixels = Luma(pixels, plane);
                TensorFill.CopyImage(images, i, pixels);                         // row i of [n, C, H, W]
            }
        }
        catch
        {
            images.Dispose();
            throw;
        }
        return new ImageDataset(images, null, "query images") { Files = paths.Select(Path.GetFullPath).ToArray(), ExifOriented = like.ExifOriented };
    }

    /// <summary>Planar RGB to one gray plane, rounded as PIL's RGB to L conversion rounds it.</summary>
    private static byte[] Luma(byte[] rgb, int plane)
    {
        var gray = new byte[plane];
        for (int i = 0; i < plane; i++)
            gray[i] = (byte)((rgb[i] * 19595 + rgb[plane + i] * 38470 + rgb[2 * plane + i] * 7471 + 0x8000) >> 16);
        return gray;
    }

    private static void Accept(ImageFile file, DecodeResult result, BadImagePolicy policy,
        List<(DecodeResult, ImageFile)> kept, List<SkippedImage> skipped)
    {
        if (result.Error is null)
            kept.Add((result, file));
        else if (policy == BadImagePolicy.Skip)
            skipped.Add(new SkippedImage(file.Path, result.Error));
        else
            throw new DataException($"{file.Path}: {result.Error}; fix or remove the file, or use --on-bad-image skip to leave unreadable images out");
    }

    /// <summary>Copies the images into one tensor: C = 1 when all are gray, else 3 with gray images repeated per channel.</summary>
    private static Tensor Assemble(List<(DecodeResult Image, ImageFile File)> kept)
    {
        var (w, h) = (kept[0].Image.Width, kept[0].Image.Height);
        int channels = kept.All(k => k.Image.Gray) ? 1 : 3;
        int plane = w * h;
        var images = empty([kept.Count, channels, h, w], ScalarType.Byte);
        var expanded = channels == 3 ? new byte[3 * plane] : null;
        for (int i = 0; i < kept.Count; i++)
        {
            var image = kept[i].Image;
            var pixels = image.Pixels!;
            if (expanded is not null && image.Gray)
            {
                for (int c = 0; c < 3; c++)
                    pixels.CopyTo(expanded, c * plane);
                pixels = expanded;
            }
            TensorFill.CopyImage(images, i, pixels); // [C, H, W]
            // Drop each decoded copy once it is in the tensor, so the two copies do not both stay alive.
            kept[i] = (image with { Pixels = null }, kept[i].File);
        }
        return images;
    }
}
