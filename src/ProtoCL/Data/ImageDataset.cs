using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Data;

/// <summary>
/// A decoded image collection held once in memory as a compact uint8 tensor [N, C, H, W],
/// with optional integer labels. All readers (IDX, image folders, CIFAR-10) produce this.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    /// <summary>Creates a dataset; takes ownership of <paramref name="images"/>.</summary>
    public ImageDataset(Tensor images, int[]? labels, string source, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(source);
        if (images.dtype != ScalarType.Byte || images.dim() != 4)
            throw new ArgumentException("images must be a uint8 tensor [N, C, H, W]");
        if (labels is not null && labels.Length != images.shape[0])
            throw new ArgumentException($"{labels.Length} labels for {images.shape[0]} images");
        if (labels is not null && labels.FirstOrDefault(l => l < Unlabelled, 0) is < Unlabelled and var bad)
            throw new ArgumentException($"label {bad} is not a class index (0 or more) nor {Unlabelled} (no class)", nameof(labels));
        _images = images;
        Labels = labels;
        Source = source;
        ClassNames = classNames;
    }

    /// <summary>uint8 [N, C, H, W]; owned by the dataset (freed by <see cref="Dispose"/>, after which reading it throws <see cref="ObjectDisposedException"/>).</summary>
    public Tensor Images => _disposed ? throw new ObjectDisposedException(nameof(ImageDataset), $"the dataset read from {Source} was disposed") : _images;

    private readonly Tensor _images;
    private bool _disposed;

    /// <summary>Class index per image, or null when the source has no labels.</summary>
    public int[]? Labels { get; }

    /// <summary>Where the images came from (path, or "embedded:fashion-mnist-test").</summary>
    public string Source { get; }

    /// <summary>Class names in label order, when known.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The file of each image, in order, when the images came from a folder; null for IDX, CIFAR-10 and embedded data.</summary>
    public IReadOnlyList<string>? Files { get; init; }

    /// <summary>Whether the images were read from a folder turned upright by their EXIF orientation
    /// (<see cref="DataLoadOptions.ApplyExifOrientation"/>); images read later to match them are read the same way.</summary>
    public bool ExifOriented { get; init; }

    /// <summary>Number of images that were skipped as unreadable (policy skip).</summary>
    public int SkippedCount { get; init; }

    /// <summary>The files skipped as unreadable (policy skip), each with the reason; empty when none were.</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; init; } = [];

    /// <summary>Label of an image that belongs to no class (a file directly in the root of a folder that also has class folders).</summary>
    public const int Unlabelled = -1;

    /// <summary>Number of images N.</summary>
    public int Count => (int)Images.shape[0];
    /// <summary>Channels C: 1 (grayscale) or 3 (RGB).</summary>
    public int Channels => (int)Images.shape[1];
    /// <summary>Image height H in pixels.</summary>
    public int Height => (int)Images.shape[2];
    /// <summary>Image width W in pixels.</summary>
    public int Width => (int)Images.shape[3];

    /// <summary>
    /// SHA-256 of the pixels and their shape (hex; computed once, on first use): what a checkpoint records of the
    /// images it trained on, so that a resume, an evaluation of its E-step or a report can tell the same images from others.
    /// </summary>
    public string ContentDigest
    {
        get
        {
            if (_contentDigest is null)
            {
                using var pixels = Images.contiguous(); // [N, C, H, W]
                _contentDigest = TensorFill.Digest(pixels);
            }
            return _contentDigest;
        }
    }

    private string? _contentDigest;

    /// <summary>A label in words: its class name when known, else "class N"; "no label" for <see cref="Unlabelled"/>.</summary>
    public string ClassName(int label) =>
        label == Unlabelled ? "no label" : ClassNames is { } names && label >= 0 && label < names.Count ? names[label] : $"class {label}";

    /// <summary>Number of distinct classes (max label + 1), or 0 without labels.</summary>
    public int ClassCount => Labels is null || Labels.Length == 0 ? 0 : Labels.Max() + 1;

    /// <summary>The images [start, start + count) as a new dataset (a copy; this one stays valid).</summary>
    public ImageDataset Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"slice [{start}, {start + count}) outside 0..{Count}");
        using var view = Images.narrow(0, start, count);     // [count, C, H, W], this dataset's memory
        var images = view.clone();                           // [count, C, H, W]
        var labels = Labels?.Skip(start).Take(count).ToArray();
        var files = Files?.Skip(start).Take(count).ToArray();
        return new ImageDataset(images, labels, Source, ClassNames) { Files = files, SkippedCount = SkippedCount, Skipped = Skipped, ExifOriented = ExifOriented };
    }

    /// <summary>
    /// The images at <paramref name="indices"/>, in that order, as a new dataset holding copies of those images only (both
    /// sets stay valid): index i &lt; <see cref="Count"/> is this dataset's image i, index Count + j is
    /// <paramref name="more"/>'s image j. It keeps this dataset's source and class names; <paramref name="more"/>'s images
    /// are unlabelled when this one has labels, and files are kept where either set has them (empty strings for the other's).
    /// What a picture or table of a few images from two sets needs, without joining the sets themselves.
    /// </summary>
    public ImageDataset Gather(IReadOnlyList<int> indices, ImageDataset? more = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (more is not null && (more.Channels != Channels || more.Height != Height || more.Width != Width))
            throw new ArgumentException($"cannot gather {more.Channels}x{more.Height}x{more.Width} images with {Channels}x{Height}x{Width} ones");
        int total = Count + (more?.Count ?? 0);
        foreach (var i in indices)
            if (i < 0 || i >= total) throw new ArgumentOutOfRangeException(nameof(indices), i, $"image index outside 0..{total - 1}");
        var mine = indices.Where(i => i < Count).Select(i => (long)i).ToArray();
        var theirs = indices.Where(i => i >= Count).Select(i => (long)(i - Count)).ToArray();
        // Row r of [mine, theirs] comes from the r-th index of its set; put the rows back in the order asked for.
        var order = new long[indices.Count];
        int a = 0, b = mine.Length;
        for (int r = 0; r < indices.Count; r++) order[r] = indices[r] < Count ? a++ : b++;
        using var scope = torch.NewDisposeScope();
        var parts = new List<Tensor> { Images.index_select(0, torch.tensor(mine)) };               // [A, C, H, W]
        if (theirs.Length > 0) parts.Add(more!.Images.index_select(0, torch.tensor(theirs)));     // [B, C, H, W]
        var images = torch.cat(parts, 0).index_select(0, torch.tensor(order)).MoveToOuterDisposeScope(); // [A + B, C, H, W]
        var labels = Labels is null ? null : indices.Select(i => i < Count ? Labels[i] : Unlabelled).ToArray();
        var files = Files is null && more?.Files is null ? null
            : indices.Select(i => i < Count ? Files?[i] ?? "" : more!.Files?[i - Count] ?? "").ToArray();
        return new ImageDataset(images, labels, Source, ClassNames) { Files = files, ExifOriented = ExifOriented };
    }

    /// <summary>The first <paramref name="n"/> images (all when n exceeds the count).</summary>
    public ImageDataset Take(int n) => Slice(0, Math.Min(n, Count));

    /// <summary>Frees the images' memory; the dataset cannot be used afterwards. A second call does nothing.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _images.Dispose();
    }
}
