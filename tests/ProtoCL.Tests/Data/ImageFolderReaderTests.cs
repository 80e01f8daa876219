using ProtoCL.Data;
using SkiaSharp;

namespace ProtoCL.Tests.Data;

public class ImageFolderReaderTests
{
    private static (byte, byte, byte) Colour(int seed, int x, int y) =>
        ((byte)(seed * 50 + x * 9), (byte)(seed * 30 + y * 13), (byte)(200 - seed * 20 + x + y));

    private static byte[] Pixels(ImageDataset data, int index) => data.Images[index].bytes.ToArray();

    [Fact]
    public void Should_KeepEachImagesFileInOrder_When_ReadLimitedAndSliced()
    {
        using var dir = new TempFolder();
        var dog = dir.Write("dog/b.png", SkiaImages.GrayPng(3, 3, (_, _) => 1));
        var cat2 = dir.Write("cat/z.png", SkiaImages.GrayPng(3, 3, (_, _) => 2));
        var cat1 = dir.Write("cat/a.png", SkiaImages.GrayPng(3, 3, (_, _) => 3));
        var root = dir.Write("loose.png", SkiaImages.GrayPng(3, 3, (_, _) => 4));

        using var all = ImageFolderReader.Read(dir.Path);
        Assert.Equal([root, cat1, cat2, dog], all.Files!);                  // root files, then classes in name order
        using var limited = ImageFolderReader.Read(dir.Path, new DataLoadOptions { Limit = 2 });
        Assert.Equal([root, cat1], limited.Files!);
        using var slice = all.Slice(1, 2);
        Assert.Equal([cat1, cat2], slice.Files!);
    }

    [Fact]
    public void Should_ReadExactPixelsAndLabels_When_PngClassFoldersHoldColourImages()
    {
        using var dir = new TempFolder();
        // cat = class 0, dog = class 1 (ordinal); within a class, files in ordinal name order.
        dir.Write("dog/b.png", SkiaImages.Encode(5, 4, (x, y) => Colour(2, x, y)));
        dir.Write("cat/z.png", SkiaImages.Encode(5, 4, (x, y) => Colour(1, x, y)));
        dir.Write("cat/a.png", SkiaImages.Encode(5, 4, (x, y) => Colour(0, x, y)));
        dir.Write("cat/notes.txt", "not an image"u8.ToArray());

        using var data = ImageFolderReader.Read(dir.Path);

        Assert.Equal(new long[] { 3, 3, 4, 5 }, data.Images.shape);
        Assert.Equal([0, 0, 1], data.Labels!);
        Assert.Equal(["cat", "dog"], data.ClassNames!);
        for (int i = 0; i < 3; i++)
        {
            var pixels = Pixels(data, i); // [3, 4, 5]
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 5; x++)
                {
                    var (r, g, b) = Colour(i, x, y); // files in order a, z, b were written with seeds 0, 1, 2
                    Assert.Equal(r, pixels[(0 * 4 + y) * 5 + x]);
                    Assert.Equal(g, pixels[(1 * 4 + y) * 5 + x]);
                    Assert.Equal(b, pixels[(2 * 4 + y) * 5 + x]);
                }
        }
        Assert.Equal(0, data.SkippedCount);
    }

    [Fact]
    public void Should_ProduceOneChannel_When_EveryImageIsGray()
    {
        using var dir = new TempFolder();
        dir.Write("a/1.png", SkiaImages.GrayPng(3, 2, (x, y) => (byte)(x * 100 + y)));
        dir.Write("b/2.png", SkiaImages.GrayPng(3, 2, (x, y) => (byte)(255 - x - y)));

        using var data = ImageFolderReader.Read(dir.Path);

        Assert.Equal(new long[] { 2, 1, 2, 3 }, data.Images.shape);
        Assert.Equal([0, 100, 200, 1, 101, 201], Pixels(data, 0));
        Assert.Equal([255, 254, 253, 254, 253, 252], Pixels(data, 1));
    }

    [Fact]
    public void Should_RepeatGrayIntoThreeChannels_When_AnotherImageHasColour()
    {
        using var dir = new TempFolder();
        dir.Write("a.png", SkiaImages.GrayPng(2, 1, (x, _) => (byte)(10 + x)));
        dir.Write("b.png", SkiaImages.Solid(2, 1, (1, 2, 3)));

        using var data = ImageFolderReader.Read(dir.Path);

        Assert.Equal(new long[] { 2, 3, 1, 2 }, data.Images.shape);
        Assert.Equal([10, 11, 10, 11, 10, 11], Pixels(data, 0));
        Assert.Equal([1, 1, 2, 2, 3, 3], Pixels(data, 1));
        Assert.Null(data.Labels); // no class folders
    }

    [Fact]
    public void Should_ReadCloseToSource_When_ImagesAreJpegAndWebp()
    {
        using var dir = new TempFolder();
        dir.Write("x/a.jpg", SkiaImages.Solid(16, 16, (200, 40, 90), SKEncodedImageFormat.Jpeg, 95));
        dir.Write("x/b.webp", SkiaImages.Solid(16, 16, (30, 160, 220), SKEncodedImageFormat.Webp, 100));

        using var data = ImageFolderReader.Read(dir.Path);

        Assert.Equal(new long[] { 2, 3, 16, 16 }, data.Images.shape);
        // Lossy codecs on a flat colour: every pixel within a few levels of the source.
        byte[][] expected = [[200, 40, 90], [30, 160, 220]];
        for (int i = 0; i < 2; i++)
        {
            var pixels = Pixels(data, i);
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < 256; p++)
                    Assert.InRange(pixels[c * 256 + p], expected[i][c] - 6, expected[i][c] + 6);
        }
    }

    [Fact]
    public void Should_ResizeToFirstImageSize_When_SizesDiffer()
    {
        using var dir = new TempFolder();
        dir.Write("a.png", SkiaImages.Solid(6, 4, (10, 20, 30)));
        dir.Write("b.png", SkiaImages.Solid(24, 16, (90, 120, 250))); // shrunk
        dir.Write("c.png", SkiaImages.Solid(3, 2, (200, 100, 0)));    // enlarged

        using var data = ImageFolderReader.Read(dir.Path);

        Assert.Equal(new long[] { 3, 3, 4, 6 }, data.Images.shape);
        // Resampling a flat colour keeps it (filters sum to one), up to rounding.
        byte[][] expected = [[10, 20, 30], [90, 120, 250], [200, 100, 0]];
        for (int i = 0; i < 3; i++)
        {
            var pixels = Pixels(data, i);
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < 24; p++)
                    Assert.InRange(pixels[c * 24 + p], expected[i][c] - 1, expected[i][c] + 1);
        }
    }

    [Fact]
    public void Should_ResizeEveryImage_When_ImageSizeIsSet()
    {
        using var dir = new TempFolder();
        dir.Write("a.png", SkiaImages.GrayPng(9, 5, (_, _) => 77));
        dir.Write("b.png", SkiaImages.GrayPng(2, 7, (_, _) => 140));

        using var data = ImageFolderReader.Read(dir.Path, new DataLoadOptions { ImageSize = 4 });

        Assert.Equal(new long[] { 2, 1, 4, 4 }, data.Images.shape);
        Assert.All(Pixels(data, 0), v => Assert.InRange(v, 76, 78));
        Assert.All(Pixels(data, 1), v => Assert.InRange(v, 139, 141));
    }

    [Fact]
    public void Should_ReportProgressUpToEveryFileOnce_When_AFolderIsRead()
    {
        // 40 files: the first decoded alone (it sets the size), the rest in batches of 8 per core; the reports rise, end
        // at (40, 40) exactly once, and with --limit 5 at (5, 5).
        using var dir = new TempFolder();
        for (int i = 0; i < 40; i++)
            dir.Write($"{i:D2}.png", SkiaImages.GrayPng(3, 3, (_, _) => (byte)i));
        var reports = new List<(long Done, long Total)>();

        using (var data = ImageFolderReader.Read(dir.Path, new DataLoadOptions { Progress = (d, t) => reports.Add((d, t)) }))
            Assert.Equal(40, data.Count);

        Assert.All(reports, r => Assert.Equal(40, r.Total));
        Assert.Equal((40L, 40L), reports[^1]);
        Assert.Single(reports, r => r.Done == 40);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.Done < p.Second.Done), string.Join(" ", reports));
        reports.Clear();
        using (var five = ImageFolderReader.Read(dir.Path, new DataLoadOptions { Limit = 5, Progress = (d, t) => reports.Add((d, t)) }))
            Assert.Equal(5, five.Count);
        Assert.Equal((5L, 5L), reports[^1]);
        Assert.All(reports, r => Assert.Equal(5, r.Total));
    }

    [Fact]
    public void Should_LabelRootFilesUnlabelledAndRecurse_When_ClassFoldersAreNested()
    {
        using var dir = new TempFolder();
        dir.Write("loose.png", SkiaImages.GrayPng(2, 2, (_, _) => 1));
        dir.Write("b/deep/er/x.png", SkiaImages.GrayPng(2, 2, (_, _) => 2));
        dir.Write("a/y.png", SkiaImages.GrayPng(2, 2, (_, _) => 3));
        Directory.CreateDirectory(dir.File("c/empty-inside"));

        using var data = ImageFolderReader.Read(dir.Path);

        Assert.Equal([ImageDataset.Unlabelled, 0, 1], data.Labels!);
        Assert.Equal(["a", "b", "c"], data.ClassNames!);
        Assert.Equal([1, 3, 2], Enumerable.Range(0, 3).Select(i => Pixels(data, i)[0]));
    }

    [Fact]
    public void Should_TakeTheFirstImagesInOrder_When_LimitIsSet()
    {
        using var dir = new TempFolder();
        for (int i = 0; i < 30; i++)
            dir.Write($"c/{i:D2}.png", SkiaImages.GrayPng(2, 2, (_, _) => (byte)i));

        using var data = ImageFolderReader.Read(dir.Path, new DataLoadOptions { Limit = 12 });

        Assert.Equal(12, data.Count);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (byte)i), Enumerable.Range(0, 12).Select(i => Pixels(data, i)[0]));
    }

    [Fact]
    public void Should_EnterEachFolderOnce_When_SymlinksFormACycle()
    {
        using var dir = new TempFolder();
        dir.Write("c/a.png", SkiaImages.GrayPng(2, 2, (_, _) => 5));
        Directory.CreateSymbolicLink(dir.File("c/up"), dir.Path);   // c/up -> root: a cycle
        Directory.CreateSymbolicLink(dir.File("c/self"), "self");   // a link to itself (ELOOP)
        Directory.CreateSymbolicLink(dir.File("d"), dir.File("c")); // a second class that is the first one

        ImageDataset? data = null;
        Assert.Null(Within.Catch(() => data = ImageFolderReader.Read(dir.Path)));

        using (data)
        {
            Assert.Equal(1, data!.Count);
            Assert.Equal(["c"], data.ClassNames!);
        }
    }

    [Fact]
    public void Should_ReadFilesAtTheDatasetsSizeAndChannels_When_ReadingQueryImagesLikeADataset()
    {
        using var dir = new TempFolder();
        var gray = dir.Write("g.png", SkiaImages.GrayPng(4, 4, (x, y) => (byte)(x * 40 + y)));
        var red = dir.Write("red.png", SkiaImages.Solid(8, 8, (255, 0, 0)));   // larger than the data: resized, still solid
        var mixed = dir.Write("mix.png", SkiaImages.Solid(4, 4, (10, 200, 30)));
        using var grayData = new ImageDataset(TorchSharp.torch.zeros(2, 1, 4, 4, TorchSharp.torch.ScalarType.Byte), null, "gray");
        using var colourData = new ImageDataset(TorchSharp.torch.zeros(2, 3, 4, 4, TorchSharp.torch.ScalarType.Byte), null, "colour");

        using var asGray = ImageFolderReader.ReadFilesLike([gray, red, mixed], grayData);
        using var asColour = ImageFolderReader.ReadFilesLike([gray, mixed], colourData);

        Assert.Equal(new long[] { 3, 1, 4, 4 }, asGray.Images.shape);
        Assert.Equal([gray, red, mixed], asGray.Files!);
        Assert.Null(asGray.Labels);
        var expectedGray = Enumerable.Range(0, 16).Select(i => (byte)(i % 4 * 40 + i / 4)).ToArray();
        Assert.Equal(expectedGray, Pixels(asGray, 0));
        // Colour to gray as PIL's convert("L"): (19595 R + 38470 G + 7471 B + 32768) >> 16, by hand:
        // red (255, 0, 0): (4996725 + 32768) >> 16 = 5029493 >> 16 = 76;
        // (10, 200, 30): (195950 + 7694000 + 224130 + 32768) >> 16 = 8146848 >> 16 = 124.
        Assert.All(Pixels(asGray, 1), v => Assert.Equal(76, v));
        Assert.All(Pixels(asGray, 2), v => Assert.Equal(124, v));
        // Gray into colour data: the plane three times; colour stays colour.
        Assert.Equal(new long[] { 2, 3, 4, 4 }, asColour.Images.shape);
        Assert.Equal(expectedGray.Concat(expectedGray).Concat(expectedGray), Pixels(asColour, 0));
        Assert.Equal(Enumerable.Repeat((byte)10, 16).Concat(Enumerable.Repeat((byte)200, 16)).Concat(Enumerable.Repeat((byte)30, 16)), Pixels(asColour, 1));
    }

    [Fact]
    public void Should_NameTheFile_When_AQueryImageCannotBeRead()
    {
        using var dir = new TempFolder();
        var broken = dir.Write("broken.png", [1, 2, 3]);
        using var like = new ImageDataset(TorchSharp.torch.zeros(1, 1, 4, 4, TorchSharp.torch.ScalarType.Byte), null, "d");
        var e = Assert.Throws<DataException>(() => ImageFolderReader.ReadFilesLike([broken], like));
        Assert.StartsWith(broken + ": ", e.Message);
    }
    [Fact]
    public void Should_LeaveRunFoldersOut_When_ARunLivesInsideItsDataFolder()
    {
        // --data . --out runs/r1: the run's report pictures must not become images, nor runs/ a class.
        using var dir = new TempFolder();
        dir.Write("a/1.png", SkiaImages.GrayPng(4, 4, (_, _) => 10));
        dir.Write("b/2.png", SkiaImages.GrayPng(4, 4, (_, _) => 20));
        dir.Write("b/deeper/run/metrics.jsonl", [(byte)'{', (byte)'}']);
        dir.Write("b/deeper/run/curves.png", SkiaImages.GrayPng(4, 4, (_, _) => 30));
        dir.Write("runs/r1/checkpoint.pcl", [1]);
        dir.Write("runs/r1/pca.png", SkiaImages.GrayPng(4, 4, (_, _) => 40));
        dir.Write("r2/metrics.jsonl", [(byte)'{', (byte)'}']);
        dir.Write("r2/neighbours.png", SkiaImages.GrayPng(4, 4, (_, _) => 50));

        using var data = ImageFolderReader.Read(dir.Path);

        Assert.Equal(["a", "b"], data.ClassNames);
        Assert.Equal([System.IO.Path.Combine(dir.Path, "a", "1.png"), System.IO.Path.Combine(dir.Path, "b", "2.png")], data.Files);
        Assert.Equal([0, 1], data.Labels!);
    }
}
