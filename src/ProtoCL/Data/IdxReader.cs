using static TorchSharp.torch;

namespace ProtoCL.Data;

/// <summary>
/// Reads MNIST / Fashion-MNIST IDX files, raw or gzip-compressed (detected by content, not name), into uint8
/// [N, 1, H, W] with the labels file found beside the images file. Every size the header declares is checked
/// against caps and against the bytes actually present before anything is allocated.
/// </summary>
public static class IdxReader
{
    /// <summary>
    /// The largest image payload accepted: 4 GiB, about 5.4 million 28x28 images (MNIST's train split is 47 MB),
    /// so a gzip bomb whose header tells the truth still cannot exhaust memory.
    /// </summary>
    public const long MaxPayloadBytes = 4L << 30;

    /// <summary>Reads an images file and, when one lies beside it (see <see cref="FindLabelsFile"/>), its labels.</summary>
    public static ImageDataset Read(string imagesPath, DataLoadOptions? options = null) =>
        Read(imagesPath, FindLabelsFile(imagesPath), options);

    /// <summary>Reads an images file and an explicit labels file (null: unlabelled).</summary>
    public static ImageDataset Read(string imagesPath, string? labelsPath, DataLoadOptions? options = null,
        IReadOnlyList<string>? classNames = null)
    {
        using var images = DataFiles.OpenOrThrow(imagesPath);
        using var labels = labelsPath is null ? null : DataFiles.OpenOrThrow(labelsPath);
        return Read(images, imagesPath, labels, labelsPath ?? "", imagesPath, options, classNames);
    }

    /// <summary>Reads IDX data from seekable streams (e.g. embedded resources); <paramref name="source"/> names them in messages.</summary>
    public static ImageDataset Read(Stream images, Stream? labels, string source, DataLoadOptions? options = null,
        IReadOnlyList<string>? classNames = null) =>
        Read(images, source, labels, source + " (labels)", source, options, classNames);

    /// <summary>
    /// The labels file that belongs to an images file, when it exists: "X-images-idx3-ubyte[.gz]" pairs with
    /// "X-labels-idx1-ubyte[.gz]" (either compression, the images file's own first), "X-images.idx3-ubyte" with
    /// "X-labels.idx1-ubyte". Null when there is none.
    /// </summary>
    public static string? FindLabelsFile(string imagesPath)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(imagesPath)) ?? ".";
        string file = Path.GetFileName(imagesPath);
        bool gz = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        string stem = gz ? file[..^3] : file;
        int at = stem.LastIndexOf("images", StringComparison.Ordinal);
        if (at < 0)
            return null;
        string labelStem = (stem[..at] + "labels" + stem[(at + "images".Length)..]).Replace("idx3", "idx1", StringComparison.Ordinal);
        string[] candidates = gz ? [labelStem + ".gz", labelStem] : [labelStem, labelStem + ".gz"];
        return candidates.Select(c => Path.Combine(dir, c)).FirstOrDefault(File.Exists);
    }

    private static ImageDataset Read(Stream images, string imagesName, Stream? labels, string labelsName, string source,
        DataLoadOptions? options, IReadOnlyList<string>? classNames)
    {
        options ??= DataLoadOptions.Default;
        options.Validate();
        var tensor = ReadImages(images, imagesName, options, out int declared);
        try
        {
            int[]? labelArray = labels is null ? null : ReadLabels(labels, labelsName, declared, (int)tensor.shape[0]);
            return new ImageDataset(tensor, labelArray, source, classNames);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Reads the first min(N, Limit) images; <paramref name="declared"/> is the header's N.</summary>
    private static Tensor ReadImages(Stream raw, string name, DataLoadOptions options, out int declared)
    {
        long stored = raw.Length - raw.Position;
        Stream? gzip = null;
        Tensor? tensor = null;
        try
        {
            var payload = MaybeGzip.Open(raw, out bool gz);
            gzip = gz ? payload : null;
            var header = IdxHeader.ReadImages(payload, name, options.MaxPixelsPerImage, MaxPayloadBytes);
            CheckLength(name, stored, gz, IdxHeader.ImagesHeaderBytes, header.Count * header.ImageBytes,
                $"{header.Count} images of {header.Height}x{header.Width}");
            int take = Math.Min(header.Count, options.Limit ?? int.MaxValue);
            tensor = empty([take, 1, header.Height, header.Width], ScalarType.Byte);
            long complete = TensorFill.ReadImages(payload, tensor, take); // [take, 1, H, W]
            if (complete < take)
                throw IdxHeader.Fail(name, $"truncated: the header declares {header.Count} images but the data ends after {complete}");
            if (gz && take == header.Count)
                CheckEnd(payload, name, $"{header.Count} images");
            declared = header.Count;
            return tensor;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            tensor?.Dispose();
            throw Wrap(name, e);
        }
        catch
        {
            tensor?.Dispose();
            throw;
        }
        finally
        {
            gzip?.Dispose();
        }
    }

    private static int[] ReadLabels(Stream raw, string name, int imageCount, int take)
    {
        long stored = raw.Length - raw.Position;
        Stream? gzip = null;
        try
        {
            var payload = MaybeGzip.Open(raw, out bool gz);
            gzip = gz ? payload : null;
            int count = IdxHeader.ReadLabels(payload, name);
            if (count != imageCount)
                throw IdxHeader.Fail(name, $"holds {count} labels but the images file holds {imageCount} images",
                    "use the labels file that belongs to the images file");
            CheckLength(name, stored, gz, IdxHeader.LabelsHeaderBytes, count, $"{count} labels");
            var bytes = new byte[take];
            int got = payload.ReadAtLeast(bytes, take, throwOnEndOfStream: false);
            if (got < take)
                throw IdxHeader.Fail(name, $"truncated: the header declares {count} labels but the data ends after {got}");
            if (gz && take == count)
                CheckEnd(payload, name, $"{count} labels");
            return Array.ConvertAll(bytes, b => (int)b);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw Wrap(name, e);
        }
        finally
        {
            gzip?.Dispose();
        }
    }

    /// <summary>
    /// Compares the declared payload with what the stored bytes can hold: exact for raw files (truncation and trailing
    /// junk both show), an upper bound for gzip (the deflate ratio), so a lying header fails before any allocation.
    /// </summary>
    private static void CheckLength(string name, long stored, bool gz, int headerBytes, long claimed, string what)
    {
        if (!gz && stored != headerBytes + claimed)
            throw IdxHeader.Fail(name, stored < headerBytes + claimed
                ? $"truncated: the header declares {what} ({headerBytes + claimed} bytes) but the file has {stored} bytes"
                : $"the file has {stored - headerBytes - claimed} bytes beyond the {what} its header declares");
        if (gz && claimed > MaybeGzip.MaxPayload(stored, gz))
            throw IdxHeader.Fail(name, $"the header declares {what} ({claimed} bytes), more than a {stored}-byte gzip file can hold; the header is corrupt");
    }

    /// <summary>Reads one byte past the declared data: there must be none, and reaching the end lets gzip verify its CRC.</summary>
    private static void CheckEnd(Stream payload, string name, string what)
    {
        if (payload.ReadByte() != -1)
            throw IdxHeader.Fail(name, $"the decompressed data is longer than the {what} its header declares");
    }

    /// <summary>
    /// Turns the stream's own failures into <see cref="DataException"/>. .NET reports every zlib error as "unsupported
    /// compression method", which misleads, so the message says what is known and the cause stays as the inner exception.
    /// </summary>
    private static DataException Wrap(string name, Exception e) =>
        new(IdxHeader.Fail(name, e is InvalidDataException ? "corrupt gzip data (the decompressor rejected it)" : $"read error ({e.Message})").Message, e);
}
