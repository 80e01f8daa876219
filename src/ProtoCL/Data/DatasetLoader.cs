namespace ProtoCL.Data;

/// <summary>
/// Loads a dataset from whatever a path names: IDX files (MNIST, Fashion-MNIST), CIFAR-10 binary batches, a folder
/// of images, or "embedded" for the Fashion-MNIST test split built into this assembly.
/// </summary>
public static class DatasetLoader
{
    /// <summary>The path string that selects <see cref="LoadEmbedded"/>.</summary>
    public const string EmbeddedPath = "embedded";

    /// <summary>The <see cref="ImageDataset.Source"/> of the embedded set.</summary>
    public const string EmbeddedSource = "embedded:fashion-mnist-test";

    /// <summary>Fashion-MNIST's train images as installed by Debian's dataset-fashion-mnist package.</summary>
    public const string FashionMnistTrainPath = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

    /// <summary>Fashion-MNIST's test images as installed by Debian's dataset-fashion-mnist package.</summary>
    public const string FashionMnistTestPath = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

    /// <summary>Fashion-MNIST's class names in label order (Xiao, Rasul and Vollgraf 2017, Table 1).</summary>
    public static IReadOnlyList<string> FashionMnistClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private const string EmbeddedImages = "ProtoCL.Data.t10k-images-idx3-ubyte.gz";
    private const string EmbeddedLabels = "ProtoCL.Data.t10k-labels-idx1-ubyte.gz";

    /// <summary>
    /// Loads <paramref name="path"/>: "embedded"; a folder with IDX images files (the train file when present,
    /// else the first by name); a folder with CIFAR-10 batches; any other folder as images; a .bin file as a
    /// CIFAR-10 batch; any other file as IDX (raw or gzip). Throws <see cref="DataException"/> for bad input.
    /// </summary>
    public static ImageDataset Load(string path, DataLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= DataLoadOptions.Default;
        options.Validate();
        if (IsImageFolder(path))
            return ImageFolderReader.Read(path, options);
        if (options.ApplyExifOrientation)
            throw new DataException($"--exif-orientation turns the photos of an image folder upright; {path} is not an image folder (IDX, CIFAR-10 and embedded images have no orientation tag)");
        var data = LoadAtOwnSize(path, options);
        if (options.ImageSize is int side && (data.Height != side || data.Width != side))
        {
            var (h, w) = (data.Height, data.Width);
            data.Dispose();
            throw new DataException($"--image-size {side} brings the images of a folder to one size; {path} holds {h}x{w} images, which are read at their own size (leave --image-size out)");
        }
        return data;
    }

    /// <summary>True when <see cref="Load"/> reads <paramref name="path"/> as a folder of image files (so that
    /// <see cref="DataLoadOptions.ImageSize"/> sizes its images), not as "embedded", IDX or CIFAR-10.</summary>
    public static bool IsImageFolder(string path) =>
        path != EmbeddedPath && Directory.Exists(path)
        && DataFiles.ListOrThrow(path, () => FindIdxImages(path)) is null
        && DataFiles.ListOrThrow(path, () => CifarReader.BatchFiles(path)).Count == 0;

    private static ImageDataset LoadAtOwnSize(string path, DataLoadOptions options)
    {
        if (path == EmbeddedPath)
            return LoadEmbedded(options.Limit);
        if (Directory.Exists(path))
        {
            if (DataFiles.ListOrThrow(path, () => FindIdxImages(path)) is { } idx)
                return LoadIdx(idx, options);
            return CifarReader.Read(path, options);
        }
        if (!File.Exists(path))
            throw new DataException($"no such file or folder: {path}");
        if (path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
            return CifarReader.Read(path, options);
        if (ImageFolderScanner.IsImageName(path))
            throw new DataException($"{path} is a single image; pass the folder that holds the images instead");
        return LoadIdx(path, options);
    }

    /// <summary>The path that loads a dataset again from its <see cref="ImageDataset.Source"/> (as a run's config and
    /// checkpoint record it): <see cref="EmbeddedPath"/> for the embedded set, the source itself otherwise.</summary>
    public static string PathOf(string source) =>
        source.StartsWith(EmbeddedPath, StringComparison.Ordinal) ? EmbeddedPath : source;

    /// <summary>Whether two dataset sources or paths (a run's recorded source, a --data value) load the same data: both
    /// the embedded set, or the same file or folder (<see cref="DataFiles.SamePath"/>, links resolved).</summary>
    public static bool SameSource(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        string pa = PathOf(a), pb = PathOf(b);
        return pa == EmbeddedPath || pb == EmbeddedPath ? pa == pb : DataFiles.SamePath(pa, pb);
    }

    /// <summary>The Fashion-MNIST test split (10,000 images, 1x28x28, 10 classes) embedded in this assembly.</summary>
    public static ImageDataset LoadEmbedded(int? limit = null)
    {
        var assembly = typeof(DatasetLoader).Assembly;
        using var images = assembly.GetManifestResourceStream(EmbeddedImages)
            ?? throw new InvalidOperationException($"resource {EmbeddedImages} is missing from {assembly.GetName().Name}; the build is broken");
        using var labels = assembly.GetManifestResourceStream(EmbeddedLabels)
            ?? throw new InvalidOperationException($"resource {EmbeddedLabels} is missing from {assembly.GetName().Name}; the build is broken");
        return IdxReader.Read(images, labels, EmbeddedSource, new DataLoadOptions { Limit = limit }, FashionMnistClassNames);
    }

    /// <summary>
    /// The IDX images file of a folder: names containing "images" and "idx3" (train-images-idx3-ubyte.gz,
    /// t10k-images.idx3-ubyte, ...); one starting with "train" first, else the first by ordinal name.
    /// </summary>
    public static string? FindIdxImages(string folder)
    {
        var candidates = Directory.EnumerateFiles(folder)
            .Where(f => Path.GetFileName(f) is var n
                && n.Contains("images", StringComparison.OrdinalIgnoreCase)
                && n.Contains("idx3", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => Path.GetFileName(f).StartsWith("train", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToList();
        return candidates.FirstOrDefault();
    }

    /// <summary>IDX with Fashion-MNIST's class names when the file is Debian's Fashion-MNIST copy.</summary>
    private static ImageDataset LoadIdx(string imagesPath, DataLoadOptions options)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(imagesPath));
        var names = folder == Path.GetDirectoryName(FashionMnistTrainPath) ? FashionMnistClassNames : null;
        return IdxReader.Read(imagesPath, IdxReader.FindLabelsFile(imagesPath), options, names);
    }
}
