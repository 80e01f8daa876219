using ProtoCL.Data;

namespace ProtoCL.Tests.Data;

/// <summary>The bad-image policy, the pixel cap and unreadable files, on small hand-made folders.</summary>
public class ImageFolderBadImageTests
{
    [Fact]
    public void Should_ThrowNamingFileAndFlag_When_ImageIsBadAndPolicyIsFail()
    {
        using var dir = new TempFolder();
        dir.Write("c/good.png", SkiaImages.GrayPng(2, 2, (_, _) => 5));
        var bad = dir.Write("c/zzz.png", "hello"u8.ToArray());

        var e = Assert.Throws<DataException>(() => ImageFolderReader.Read(dir.Path));

        Assert.Contains(bad, e.Message);
        Assert.Contains("--on-bad-image skip", e.Message);
    }

    [Fact]
    public void Should_CountAndRecordSkippedFiles_When_PolicyIsSkip()
    {
        using var dir = new TempFolder();
        var empty = dir.Write("c/a-empty.png", []);
        var good = dir.Write("c/b-good.png", SkiaImages.GrayPng(2, 2, (_, _) => 5));
        var text = dir.Write("c/c-text.jpg", "hello"u8.ToArray());

        using var data = ImageFolderReader.Read(dir.Path, new DataLoadOptions { BadImagePolicy = BadImagePolicy.Skip });

        Assert.Equal(1, data.Count);
        Assert.Equal([good], data.Files!);                                   // the files of the images kept, nothing else
        Assert.Equal(2, data.SkippedCount);
        Assert.Equal([empty, text], data.Skipped.Select(s => s.Path));
        Assert.Contains("0 bytes", data.Skipped[0].Reason);
    }

    [Fact]
    public void Should_TreatFileAsBad_When_OpeningItIsDenied()
    {
        // Tests run as root, for whom chmod 000 changes nothing, so the denial is simulated through the seam.
        using var dir = new TempFolder();
        dir.Write("c/a.png", SkiaImages.GrayPng(2, 2, (_, _) => 5));
        var locked = dir.Write("c/locked.png", SkiaImages.GrayPng(2, 2, (_, _) => 6));
        DataFiles.OpenRead = p => p == locked ? throw new UnauthorizedAccessException($"Access to the path '{p}' is denied.") : DataFiles.DefaultOpenRead(p);
        try
        {
            var e = Assert.Throws<DataException>(() => ImageFolderReader.Read(dir.Path));
            Assert.Contains(locked, e.Message);
            Assert.Contains("permission denied", e.Message);

            using var data = ImageFolderReader.Read(dir.Path, new DataLoadOptions { BadImagePolicy = BadImagePolicy.Skip });
            Assert.Equal(1, data.SkippedCount);
        }
        finally
        {
            DataFiles.OpenRead = DataFiles.DefaultOpenRead;
        }
    }

    /// <summary>Runs <paramref name="body"/> with listing <paramref name="failing"/> throwing <paramref name="error"/>, then restores the seam.</summary>
    private static void WhenListingFails(string failing, Func<string, Exception> error, Action body)
    {
        DataFiles.ListFolder = (folder, options) => Path.GetFullPath(folder) == Path.GetFullPath(failing)
            ? throw error(folder)
            : DataFiles.DefaultListFolder(folder, options);
        try { body(); }
        finally { DataFiles.ListFolder = DataFiles.DefaultListFolder; }
    }

    [Fact]
    public void Should_ThrowNamingTheFolder_When_AClassFolderCannotBeListed()
    {
        // As root a chmod 000 folder still lists, so the EACCES of opendir(3) is simulated through the listing seam,
        // with the exception .NET raises for it.
        using var dir = new TempFolder();
        dir.Write("a/x.png", SkiaImages.GrayPng(2, 2, (_, _) => 5));
        var locked = Path.GetDirectoryName(dir.Write("b/y.png", SkiaImages.GrayPng(2, 2, (_, _) => 6)))!;
        WhenListingFails(locked, folder => new UnauthorizedAccessException($"Access to the path '{folder}' is denied."), () =>
        {
            foreach (var policy in new[] { BadImagePolicy.Fail, BadImagePolicy.Skip })
            {
                // A whole class folder missing would change the labels, so even Skip refuses.
                var e = Assert.Throws<DataException>(() => ImageFolderReader.Read(dir.Path, new DataLoadOptions { BadImagePolicy = policy }));
                Assert.Contains(locked, e.Message);
                Assert.Contains("permission denied", e.Message);
                Assert.DoesNotContain('\n', e.Message);
            }
        });
    }

    [Fact]
    public void Should_ThrowNamingTheFolder_When_ListingFailsWithAnIoError()
    {
        using var dir = new TempFolder();
        dir.Write("a/x.png", SkiaImages.GrayPng(2, 2, (_, _) => 5));
        WhenListingFails(dir.Path, _ => new IOException("Input/output error"), () =>
        {
            var e = Assert.Throws<DataException>(() => ImageFolderReader.Read(dir.Path));
            Assert.Contains("Input/output error", e.Message);
            Assert.Contains("cannot list folder", e.Message);
        });
    }

    [Fact]
    public void Should_RefuseWithoutDecoding_When_PngHeaderClaims100Megapixels()
    {
        using var dir = new TempFolder();
        var lie = dir.Write("c/huge.png", PngBytes.LyingHeader(10_000, 10_000)); // a few hundred bytes
        var options = new DataLoadOptions { BadImagePolicy = BadImagePolicy.Skip };
        dir.Write("c/ok.png", SkiaImages.GrayPng(2, 2, (_, _) => 1));
        ImageFolderReader.Read(dir.Path, options).Dispose(); // warm up SkiaSharp and the JIT outside the measurement

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var data = ImageFolderReader.Read(dir.Path, options);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(lie, Assert.Single(data.Skipped).Path);
        Assert.Contains("10000x10000", data.Skipped[0].Reason);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Should_RefuseAsBad_When_ImageIsAboveACustomPixelCap()
    {
        using var dir = new TempFolder();
        var big = dir.Write("c/big.png", SkiaImages.GrayPng(10, 10, (_, _) => 1));

        var e = Assert.Throws<DataException>(() => ImageFolderReader.Read(dir.Path, new DataLoadOptions { MaxPixelsPerImage = 99 }));

        Assert.Contains(big, e.Message);
        Assert.Contains("cap of 99 pixels", e.Message);
    }

    [Fact]
    public void Should_SayAllWereUnreadable_When_EveryFileIsBadAndPolicyIsSkip()
    {
        using var dir = new TempFolder();
        dir.Write("c/a.png", []);
        dir.Write("c/b.jpg", "text"u8.ToArray());

        var e = Assert.Throws<DataException>(() =>
            ImageFolderReader.Read(dir.Path, new DataLoadOptions { BadImagePolicy = BadImagePolicy.Skip }));

        Assert.StartsWith($"all 2 images in {dir.Path} were unreadable", e.Message);
    }

    [Fact]
    public void Should_SayNoImagesFound_When_FolderIsEmpty()
    {
        using var dir = new TempFolder();

        var e = Assert.Throws<DataException>(() => ImageFolderReader.Read(dir.Path));

        Assert.StartsWith($"no images found in {dir.Path}", e.Message);
    }
}
