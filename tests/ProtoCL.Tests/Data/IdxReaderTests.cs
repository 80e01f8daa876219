using ProtoCL.Data;

namespace ProtoCL.Tests.Data;

public class IdxReaderTests
{
    private const int Count = 5, Rows = 4, Cols = 3;
    private static readonly byte[] LabelValues = [3, 0, 9, 9, 1];

    /// <summary>Every pixel of the dataset equals the fixture's formula, and the labels equal the written ones.</summary>
    private static void AssertFixture(ImageDataset data, int count)
    {
        Assert.Equal(new long[] { count, 1, Rows, Cols }, data.Images.shape);
        var bytes = data.Images.bytes.ToArray();
        for (int i = 0; i < count; i++)
            for (int y = 0; y < Rows; y++)
                for (int x = 0; x < Cols; x++)
                    Assert.Equal(IdxBytes.Pixel(i, y, x), bytes[(i * Rows + y) * Cols + x]);
        Assert.Equal(LabelValues.Take(count).Select(b => (int)b), data.Labels!);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Should_ReadExactBytesAndLabels_When_IdxIsRawOrGzip(bool gzip)
    {
        using var dir = new TempFolder();
        var images = IdxBytes.Images(Count, Rows, Cols, IdxBytes.PixelData(Count, Rows, Cols));
        var labels = IdxBytes.Labels(LabelValues);
        string ext = gzip ? ".gz" : "";
        var path = dir.Write("train-images-idx3-ubyte" + ext, gzip ? IdxBytes.Gzip(images) : images);
        dir.Write("train-labels-idx1-ubyte" + ext, gzip ? IdxBytes.Gzip(labels) : labels);

        using var data = IdxReader.Read(path);

        AssertFixture(data, Count);
        Assert.Equal(path, data.Source);
        Assert.Equal(10, data.ClassCount); // max label 9, plus one
    }

    [Fact]
    public void Should_SayWhatToPass_When_GivenTheLabelsFileOrACutOffGzip()
    {
        using var dir = new TempFolder();
        var labels = dir.Write("train-labels-idx1-ubyte", IdxBytes.Labels(LabelValues));
        var asImages = Assert.Throws<DataException>(() => DatasetLoader.Load(labels));
        Assert.EndsWith("this is an IDX labels file where an IDX images file was expected; pass the images file (…-images-idx3-ubyte[.gz]): the labels file beside it is read with it", asImages.Message);

        // The first 12 bytes of a gzip file: the 10-byte gzip header and 2 bytes of deflate data, too little for 4 bytes out.
        var cut = dir.Write("cut-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Images(Count, Rows, Cols, IdxBytes.PixelData(Count, Rows, Cols)))[..12]);
        var e = Assert.Throws<DataException>(() => DatasetLoader.Load(cut));
        Assert.Contains("after decompression: the gzip data is cut off or empty", e.Message);
    }

    [Fact]
    public void Should_DetectGzipByContent_When_NameSaysRawAndLabelsAreCompressedDifferently()
    {
        using var dir = new TempFolder();
        var path = dir.Write("t10k-images-idx3-ubyte", IdxBytes.Gzip(IdxBytes.Images(Count, Rows, Cols, IdxBytes.PixelData(Count, Rows, Cols))));
        dir.Write("t10k-labels-idx1-ubyte.gz", IdxBytes.Labels(LabelValues)); // raw bytes despite the .gz name

        using var data = IdxReader.Read(path);

        AssertFixture(data, Count);
    }

    [Fact]
    public void Should_FindLabels_When_NamedWithDotIdxConvention()
    {
        using var dir = new TempFolder();
        var path = dir.Write("train-images.idx3-ubyte", IdxBytes.Images(Count, Rows, Cols, IdxBytes.PixelData(Count, Rows, Cols)));
        var labels = dir.Write("train-labels.idx1-ubyte", IdxBytes.Labels(LabelValues));

        Assert.Equal(labels, IdxReader.FindLabelsFile(path));
        using var data = IdxReader.Read(path);
        AssertFixture(data, Count);
    }

    [Fact]
    public void Should_HaveNullLabels_When_NoLabelsFileBeside()
    {
        using var dir = new TempFolder();
        var path = dir.Write("x-images-idx3-ubyte", IdxBytes.Images(Count, Rows, Cols, IdxBytes.PixelData(Count, Rows, Cols)));

        using var data = IdxReader.Read(path);

        Assert.Null(data.Labels);
        Assert.Equal(Count, data.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Should_ReadOnlyTheFirstImages_When_LimitIsSet(bool gzip)
    {
        // 200 images of 28x28 of incompressible noise: reading 3 of them must not touch the rest of the file.
        const int n = 200, side = 28, limit = 3;
        var pixels = new byte[n * side * side];
        new Random(1).NextBytes(pixels);
        var images = IdxBytes.Images(n, side, side, pixels);
        var stored = gzip ? IdxBytes.Gzip(images) : images;
        var counting = new CountingStream(new MemoryStream(stored));

        using var data = IdxReader.Read(counting, null, "fixture", new DataLoadOptions { Limit = limit });

        Assert.Equal(new long[] { limit, 1, side, side }, data.Images.shape);
        Assert.Equal(pixels.Take(limit * side * side), data.Images.bytes.ToArray());
        // Raw: the 16-byte header and exactly 3 images; gzip: what the decompressor buffers (far below the whole).
        if (!gzip)
            Assert.Equal(16 + limit * side * side + 2, counting.BytesRead); // +2: the gzip sniff reads the magic first
        else
            Assert.True(counting.BytesRead < stored.Length / 4, $"read {counting.BytesRead} of {stored.Length} bytes");
    }

    [Fact]
    public void Should_ThrowNamingBothFiles_When_LabelCountDiffers()
    {
        using var dir = new TempFolder();
        var path = dir.Write("a-images-idx3-ubyte", IdxBytes.Images(Count, Rows, Cols, IdxBytes.PixelData(Count, Rows, Cols)));
        var labels = dir.Write("a-labels-idx1-ubyte", IdxBytes.Labels([1, 2, 3]));

        var e = Assert.Throws<DataException>(() => IdxReader.Read(path));

        Assert.Contains(labels, e.Message);
        Assert.Contains("3 labels", e.Message);
        Assert.Contains("5 images", e.Message);
    }

    [Fact]
    public void Should_ThrowWithoutAllocating_When_HeaderClaimsATeraPixel()
    {
        // 10^6 images of 1000x1000 = 10^12 pixels, in a 16-byte file; and the same as a tiny gzip.
        var header = IdxBytes.Header(0x00000803, 1_000_000, 1000, 1000);
        foreach (var stored in new[] { header, IdxBytes.Gzip(header) })
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var e = Assert.Throws<DataException>(() => IdxReader.Read(new MemoryStream(stored), null, "huge"));
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

            Assert.Contains("huge", e.Message);
            Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
        }
    }

    [Fact]
    public void Should_RefuseBeforeDecompressing_When_GzipHeaderClaimsMoreThanDeflateCanHold()
    {
        // 60000 28x28 images need 47 MB; deflate expands at most ~1032x, so 500 stored bytes cannot hold them.
        var lie = IdxBytes.Gzip([.. IdxBytes.Header(0x00000803, 60_000, 28, 28), .. new byte[100]]);

        var e = Assert.Throws<DataException>(() => IdxReader.Read(new MemoryStream(lie), null, "lie.gz"));

        Assert.Contains("gzip file can hold", e.Message);
    }
}
