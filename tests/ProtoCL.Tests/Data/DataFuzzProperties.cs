using FsCheck.Xunit;
using ProtoCL.Data;
using SkiaSharp;

namespace ProtoCL.Tests.Data;

/// <summary>
/// Property tests: random bytes and random damage to valid files either load or fail with <see cref="DataException"/>,
/// never with another exception type, and always within the deadline (no hangs).
/// </summary>
public class DataFuzzProperties
{
    /// <summary>Generated inputs per property; docs cite <see cref="PropertyCount"/> x this.</summary>
    public const int RunsPerProperty = 200;

    /// <summary>Number of properties in this class.</summary>
    public const int PropertyCount = 7;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly byte[] ValidIdxImages = IdxBytes.Images(6, 5, 4, IdxBytes.PixelData(6, 5, 4));
    private static readonly byte[] ValidIdxLabels = IdxBytes.Labels([0, 1, 2, 3, 4, 5]);

    private static readonly byte[][] ValidImageFiles =
    [
        SkiaImages.Encode(8, 6, (x, y) => ((byte)(x * 30), (byte)(y * 40), (byte)(x * y))),
        SkiaImages.Encode(8, 6, (x, y) => ((byte)(x * 30), (byte)(y * 40), (byte)(x * y)), SKEncodedImageFormat.Jpeg, 80),
        SkiaImages.Encode(8, 6, (x, y) => ((byte)(x * 30), (byte)(y * 40), (byte)(x * y)), SKEncodedImageFormat.Webp, 80),
        PngBytes.Palette(4, 3, [(1, 2, 3), (200, 100, 50)], (x, y) => (byte)((x + y) % 2)),
        PngBytes.Rgb16(4, 3, (x, y) => ((ushort)(x * 9000), (ushort)(y * 20000), 65535)),
    ];

    private static void AssertLoadsOrDataException(Func<ImageDataset> read)
    {
        ImageDataset? data = null;
        var error = Within.Catch(() => data = read(), Deadline);
        using (data)
        {
            Assert.True(error is null or DataException, error?.ToString());
            if (data is not null)
                Assert.True(data.Count > 0 && data.Channels is 1 or 3);
        }
    }

    private static void AssertFolderLoadsOrDataException(byte[] bytes, string fileName)
    {
        using var dir = new TempFolder();
        dir.Write("c/" + fileName, bytes);
        AssertLoadsOrDataException(() => ImageFolderReader.Read(dir.Path));
    }

    [Fact]
    public void Should_HavePropertyCountProperties_When_ClassIsInspected() =>
        Assert.Equal(PropertyCount, typeof(DataFuzzProperties).GetMethods()
            .Count(m => m.GetCustomAttributes(typeof(PropertyAttribute), false).Length > 0));

    [Property(MaxTest = RunsPerProperty)]
    public void Should_ThrowOnlyDataException_When_IdxBytesAreRandom(byte[] bytes, bool gzip) =>
        AssertLoadsOrDataException(() => IdxReader.Read(new MemoryStream(gzip ? IdxBytes.Gzip(bytes) : bytes), null, "fuzz"));

    [Property(MaxTest = RunsPerProperty)]
    public void Should_ThrowOnlyDataException_When_IdxHeaderDimensionsAreRandom(uint count, uint rows, uint cols, byte[] tail, bool gzip)
    {
        byte[] file = [.. IdxBytes.Header(0x00000803, count, rows, cols), .. tail];
        AssertLoadsOrDataException(() => IdxReader.Read(new MemoryStream(gzip ? IdxBytes.Gzip(file) : file), null, "fuzz"));
    }

    [Property(MaxTest = RunsPerProperty)]
    public void Should_ThrowOnlyDataException_When_ValidIdxIsMutated(int seed, bool gzip, bool mutateLabels)
    {
        var images = mutateLabels ? ValidIdxImages : Mutations.Apply(ValidIdxImages, seed);
        var labels = mutateLabels ? Mutations.Apply(ValidIdxLabels, seed) : ValidIdxLabels;
        if (gzip)
            (images, labels) = (IdxBytes.Gzip(images), IdxBytes.Gzip(labels));
        AssertLoadsOrDataException(() => IdxReader.Read(new MemoryStream(images), new MemoryStream(labels), "fuzz"));
    }

    [Property(MaxTest = RunsPerProperty)]
    public void Should_ThrowOnlyDataException_When_GzippedIdxIsMutated(int seed) =>
        AssertLoadsOrDataException(() =>
            IdxReader.Read(new MemoryStream(Mutations.Apply(IdxBytes.Gzip(ValidIdxImages), seed)), null, "fuzz"));

    [Property(MaxTest = RunsPerProperty)]
    public void Should_ThrowOnlyDataException_When_ValidImageFileIsMutated(int seed)
    {
        var valid = ValidImageFiles[(seed & int.MaxValue) % ValidImageFiles.Length];
        AssertFolderLoadsOrDataException(Mutations.Apply(valid, seed), "x.png");
    }

    [Property(MaxTest = RunsPerProperty)]
    public void Should_ThrowOnlyDataException_When_ImageFileBytesAreRandom(byte[] bytes, bool jpegName) =>
        AssertFolderLoadsOrDataException(bytes, jpegName ? "x.jpg" : "x.png");

    [Property(MaxTest = RunsPerProperty)]
    public void Should_ThrowOnlyDataException_When_CifarBytesAreRandom(byte[] bytes, byte records)
    {
        using var dir = new TempFolder();
        // Random tails on whole records too, so lengths that pass the multiple-of-3073 check are tried as well.
        var path = dir.Write("data_batch_1.bin", [.. new byte[records % 3 * 3073], .. bytes]);
        AssertLoadsOrDataException(() => CifarReader.Read(path));
    }
}
