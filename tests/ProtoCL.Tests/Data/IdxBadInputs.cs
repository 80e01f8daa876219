namespace ProtoCL.Tests.Data;

/// <summary>Broken IDX files: truncated, bit-flipped, wrong magic, lying headers, gzip bombs, mismatched labels.</summary>
public static class IdxBadInputs
{
    private const uint Images = 0x00000803, Labels = 0x00000801;

    /// <summary>5 images of 4x3 with 5 labels, the valid file every mutation starts from.</summary>
    private static byte[] ValidImages => IdxBytes.Images(5, 4, 3, IdxBytes.PixelData(5, 4, 3));

    /// <summary>200 images of 28x28 noise: big enough that its deflate stream has a middle to damage.</summary>
    private static byte[] NoisyImages()
    {
        var pixels = new byte[200 * 28 * 28];
        new Random(7).NextBytes(pixels);
        return IdxBytes.Images(200, 28, 28, pixels);
    }

    /// <summary>An images file named as MNIST names it (labels absent unless written).</summary>
    private static Func<TempFolder, BadInputFiles> File(Func<byte[]> bytes, string name = "bad-images-idx3-ubyte") =>
        dir =>
        {
            var path = dir.Write(name, bytes());
            return new BadInputFiles(path, path);
        };

    /// <summary>A valid images file with a broken labels file beside it; the labels file is the culprit.</summary>
    private static Func<TempFolder, BadInputFiles> WithLabels(Func<byte[]> labels) =>
        dir =>
        {
            var images = dir.Write("bad-images-idx3-ubyte", ValidImages);
            return new BadInputFiles(images, dir.Write("bad-labels-idx1-ubyte", labels()));
        };

    /// <summary>A copy with bit <paramref name="bit"/> of byte <paramref name="index"/> flipped.</summary>
    private static byte[] FlipBit(byte[] bytes, Index index, int bit = 0)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= (byte)(1 << bit);
        return copy;
    }

    private static byte[] FlipMiddleBit(byte[] bytes) => FlipBit(bytes, bytes.Length / 2, 3);

    private static byte[] Head(byte[] bytes, double fraction) => bytes[..(int)(bytes.Length * fraction)];

    public static IEnumerable<BadInput> All =>
    [
        BadInput.Fatal("idx-zero-byte-file", File(() => [])),
        BadInput.Fatal("idx-truncated-header", File(() => ValidImages[..10])),
        BadInput.Fatal("idx-truncated-pixels", File(() => ValidImages[..^7])),
        BadInput.Fatal("idx-truncated-gzip", File(() => Head(IdxBytes.Gzip(NoisyImages()), 0.6), "bad-images-idx3-ubyte.gz")),
        BadInput.Fatal("idx-bit-flipped-deflate-data", File(() => FlipMiddleBit(IdxBytes.Gzip(NoisyImages())), "bad-images-idx3-ubyte.gz")),
        BadInput.Fatal("idx-bit-flipped-gzip-crc", File(() => FlipBit(IdxBytes.Gzip(ValidImages), ^6))),
        BadInput.Fatal("idx-bit-flipped-header-count", File(() => FlipBit(ValidImages, 4, 7))),
        BadInput.Fatal("idx-bit-flipped-header-rows", File(() => FlipBit(ValidImages, 11, 1))),
        BadInput.Fatal("idx-labels-magic-in-images-file", File(() => [.. IdxBytes.Header(Labels, 5, 4, 3), .. IdxBytes.PixelData(5, 4, 3)])),
        BadInput.Fatal("idx-wrong-magic", File(() => [.. IdxBytes.Header(0x12345678, 5, 4, 3), .. IdxBytes.PixelData(5, 4, 3)])),
        BadInput.Fatal("idx-float-type-magic", File(() => [.. IdxBytes.Header(0x00000D03, 5, 4, 3), .. IdxBytes.PixelData(5, 4, 3)])),
        BadInput.Fatal("idx-zero-rows", File(() => IdxBytes.Header(Images, 5, 0, 3))),
        BadInput.Fatal("idx-zero-count", File(() => IdxBytes.Header(Images, 0, 4, 3))),
        BadInput.Fatal("idx-negative-int32-dims", File(() => [.. IdxBytes.Header(Images, 5, 0xFFFFFFFF, 3), .. IdxBytes.PixelData(5, 4, 3)])),
        BadInput.Fatal("idx-header-claims-more-than-file", File(() => [.. IdxBytes.Header(Images, 100, 4, 3), .. IdxBytes.PixelData(5, 4, 3)])),
        BadInput.Fatal("idx-trailing-bytes", File(() => [.. ValidImages, 1, 2, 3])),
        BadInput.Fatal("idx-gzip-longer-than-header", File(() => IdxBytes.Gzip([.. ValidImages, 9]))),
        BadInput.Fatal("idx-gzip-bomb-small-header-20MB-zeros", File(() => IdxBytes.Gzip([.. IdxBytes.Header(Images, 1, 28, 28), .. new byte[20 << 20]]))),
        BadInput.Fatal("idx-gzip-bomb-header-claims-4GB", File(() => IdxBytes.Gzip([.. IdxBytes.Header(Images, 1000, 2000, 2000), .. new byte[20 << 20]]))),
        BadInput.Fatal("idx-terapixel-header-raw", File(() => IdxBytes.Header(Images, 1_000_000, 1000, 1000))),
        BadInput.Fatal("idx-terapixel-header-gzip", File(() => IdxBytes.Gzip(IdxBytes.Header(Images, 1_000_000, 1000, 1000)))),
        BadInput.Fatal("idx-gzip-header-claims-60000-images", File(() => IdxBytes.Gzip([.. IdxBytes.Header(Images, 60_000, 28, 28), .. new byte[784]]))),
        BadInput.Fatal("idx-random-bytes-named-gz", File(() => Random(500, 11), "bad-images-idx3-ubyte.gz")),
        BadInput.Fatal("idx-gzip-of-random-bytes", File(() => IdxBytes.Gzip(Random(500, 12)))),
        BadInput.Fatal("idx-corrupt-gzip-header", File(() => [0x1f, 0x8b, 0x08, 0xff, .. Random(60, 13)])),
        BadInput.Fatal("idx-labels-count-mismatch", WithLabels(() => IdxBytes.Labels([1, 2, 3]))),
        BadInput.Fatal("idx-labels-wrong-magic", WithLabels(() => [.. IdxBytes.Header(Images, 5), 1, 2, 3, 4, 5])),
        BadInput.Fatal("idx-labels-truncated", WithLabels(() => IdxBytes.Labels([1, 2, 3, 4, 5])[..^1])),
        BadInput.Fatal("idx-labels-zero-byte", WithLabels(() => [])),
        BadInput.Valid("idx-raw-data-named-gz", File(() => ValidImages, "ok-images-idx3-ubyte.gz"),
            data => Assert.Equal(IdxBytes.PixelData(5, 4, 3), data.Images.bytes.ToArray())),
    ];

    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
