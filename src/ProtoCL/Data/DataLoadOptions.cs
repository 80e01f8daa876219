namespace ProtoCL.Data;

/// <summary>How the dataset readers (IDX, CIFAR-10, image folders) and the loader that dispatches to them load a dataset.</summary>
public sealed record DataLoadOptions
{
    /// <summary>Default cap on the pixels of one image: 40 megapixels (a 160 MB RGBA decode), far above any training image.</summary>
    public const long DefaultMaxPixelsPerImage = 40_000_000;

    /// <summary>The defaults: everything, fail on bad images, size of the first image, 40 MP cap.</summary>
    public static DataLoadOptions Default { get; } = new();

    /// <summary>Use only the first N images (in file order); null for all. Readers stop reading after N.</summary>
    public int? Limit { get; init; }

    /// <summary>What an image-folder read does with undecodable files (IDX and CIFAR files are all-or-nothing).</summary>
    public BadImagePolicy BadImagePolicy { get; init; } = BadImagePolicy.Fail;

    /// <summary>Resize every folder image to ImageSize x ImageSize; null keeps the first readable image's width x height.</summary>
    public int? ImageSize { get; init; }

    /// <summary>Images whose header claims more pixels than this are refused as bad before any decode allocates.</summary>
    public long MaxPixelsPerImage { get; init; } = DefaultMaxPixelsPerImage;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when an option is out of range (a caller's mistake, not bad data).</summary>
    public void Validate()
    {
        if (Limit is < 1)
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, "Limit must be at least 1 (or null for all images)");
        if (ImageSize is < 1 or > 65_536)
            throw new ArgumentOutOfRangeException(nameof(ImageSize), ImageSize, "ImageSize must be between 1 and 65536 (or null)");
        if (MaxPixelsPerImage < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxPixelsPerImage), MaxPixelsPerImage, "MaxPixelsPerImage must be at least 1");
        // Resizing up to a size no source image may have would defeat the cap's purpose (bounded memory per image).
        if (ImageSize is int side && (long)side * side > MaxPixelsPerImage)
            throw new ArgumentOutOfRangeException(nameof(ImageSize), ImageSize, $"ImageSize^2 must not exceed MaxPixelsPerImage ({MaxPixelsPerImage})");
        if (!Enum.IsDefined(BadImagePolicy))
            throw new ArgumentOutOfRangeException(nameof(BadImagePolicy), BadImagePolicy, "unknown BadImagePolicy");
    }
}
