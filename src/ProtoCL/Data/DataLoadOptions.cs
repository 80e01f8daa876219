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

    /// <summary>
    /// Bring every folder image to ImageSize x ImageSize (its centred square, resized); null: the first readable image's
    /// width x height (other images keep their centred region of that shape). IDX and CIFAR files are read at their own
    /// size, so for them it must equal that size or be null.
    /// </summary>
    public int? ImageSize { get; init; }

    /// <summary>
    /// Bytes an image-folder read may hold at its peak (the decoded images and the tensor they are copied into); a folder
    /// that needs more is refused before its images are decoded. Null: the memory available to this process.
    /// </summary>
    public long? MemoryBudgetBytes { get; init; }

    /// <summary>Called as an image folder is read, with the files decoded so far and the number to decode (a folder of
    /// photos can take minutes); null: no reports. IDX and CIFAR files are read in one go and do not report.</summary>
    public Action<long, long>? Progress { get; init; }

    /// <summary>
    /// Turn each folder image upright by its EXIF orientation tag (JPEG; phone photos are often stored sideways with the
    /// tag saying so), before it is cropped and resized. Off by default: the reference implementation's loader (PIL's
    /// <c>Image.open(...).convert("RGB")</c>, torchvision's ImageFolder) ignores the tag, and so do ProtoCL's pixel digests of
    /// existing runs. IDX, CIFAR-10 and embedded data have no such tag: setting it for them throws <see cref="DataException"/>.
    /// </summary>
    public bool ApplyExifOrientation { get; init; }

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
        if (MemoryBudgetBytes is < 1)
            throw new ArgumentOutOfRangeException(nameof(MemoryBudgetBytes), MemoryBudgetBytes, "MemoryBudgetBytes must be at least 1 (or null)");
        if (!Enum.IsDefined(BadImagePolicy))
            throw new ArgumentOutOfRangeException(nameof(BadImagePolicy), BadImagePolicy, "unknown BadImagePolicy");
    }
}
