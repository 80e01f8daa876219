using ProtoCL.Data;
using Xunit.Abstractions;

namespace ProtoCL.Tests.Data;

public class DatasetLoaderTests(ITestOutputHelper output)
{
    [Fact]
    public void Should_LoadTenThousandBalancedImages_When_LoadingTheEmbeddedSet()
    {
        using var data = DatasetLoader.LoadEmbedded();

        Assert.Equal(new long[] { 10_000, 1, 28, 28 }, data.Images.shape);
        Assert.Equal("embedded:fashion-mnist-test", data.Source);
        Assert.Equal(10, data.ClassCount);
        var perClass = new int[10];
        foreach (var label in data.Labels!)
            perClass[label]++;
        Assert.All(perClass, n => Assert.Equal(1000, n));
        Assert.Equal(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
            data.ClassNames!);
    }

    [Fact]
    public void Should_LoadTheEmbeddedSet_When_PathIsEmbedded()
    {
        using var data = DatasetLoader.Load("embedded", new DataLoadOptions { Limit = 100 });

        Assert.Equal(100, data.Count);
        Assert.Equal(DatasetLoader.EmbeddedSource, data.Source);
    }

    [Fact]
    public void Should_MatchTheInstalledTestSplit_When_DebianPackageIsPresent()
    {
        var path = DatasetLoader.FashionMnistTestPath;
        if (!File.Exists(path))
        {
            // xunit 2 has no runtime skip and the project adds no package for one: the test passes without comparing, but
            // says so in its output, and it fails where the data is promised (PROTOCL_REQUIRE_FASHION_MNIST=1) or where the
            // package's folder exists without the test split (a broken install, not a missing one).
            output.WriteLine($"NOT CHECKED: {path} is absent (install dataset-fashion-mnist to compare the embedded copy with it)");
            Assert.True(Environment.GetEnvironmentVariable("PROTOCL_REQUIRE_FASHION_MNIST") != "1", $"{path} is required but absent");
            Assert.False(Directory.Exists(Path.GetDirectoryName(path)), $"{Path.GetDirectoryName(path)} exists but holds no {Path.GetFileName(path)}");
            return;
        }

        using var embedded = DatasetLoader.LoadEmbedded(limit: 500);
        using var installed = DatasetLoader.Load(path, new DataLoadOptions { Limit = 500 });

        // Both sides really hold 500 images with content, so the comparison below cannot pass on two empty sets.
        Assert.Equal(new long[] { 500, 1, 28, 28 }, installed.Images.shape);
        Assert.Equal(500, installed.Labels!.Length);
        Assert.True(installed.Images.bytes.ToArray().Any(b => b != 0), "the installed images are all black");
        Assert.Equal(embedded.Images.bytes.ToArray(), installed.Images.bytes.ToArray());
        Assert.Equal(embedded.Labels!, installed.Labels!);
        Assert.Equal(DatasetLoader.FashionMnistClassNames, installed.ClassNames!);
    }

    [Fact]
    public void Should_PreferTheTrainFile_When_FolderHoldsTrainAndTestIdx()
    {
        using var dir = new TempFolder();
        dir.Write("t10k-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Images(1, 2, 2, [9, 9, 9, 9])));
        dir.Write("train-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Images(2, 2, 2, [1, 2, 3, 4, 5, 6, 7, 8])));
        dir.Write("train-labels-idx1-ubyte.gz", IdxBytes.Gzip(IdxBytes.Labels([4, 2])));

        using var data = DatasetLoader.Load(dir.Path);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], data.Images.bytes.ToArray());
        Assert.Equal([4, 2], data.Labels!);
    }

    [Fact]
    public void Should_ReadCifar_When_FolderHoldsBinBatchesOrPathIsABinFile()
    {
        using var dir = new TempFolder();
        var record = new byte[3073];
        record[0] = 7;
        record[1] = 200;
        var file = dir.Write("cifar-10-batches-bin/test_batch.bin", record);

        using var fromFolder = DatasetLoader.Load(dir.Path); // looks into cifar-10-batches-bin
        using var fromFile = DatasetLoader.Load(file);

        foreach (var data in new[] { fromFolder, fromFile })
        {
            Assert.Equal(new long[] { 1, 3, 32, 32 }, data.Images.shape);
            Assert.Equal([7], data.Labels!);
            Assert.Equal(200, data.Images.bytes[0]);
        }
    }

    [Fact]
    public void Should_ReadImages_When_FolderHoldsPngs()
    {
        using var dir = new TempFolder();
        dir.Write("k/a.png", SkiaImages.GrayPng(2, 2, (_, _) => 42));

        using var data = DatasetLoader.Load(dir.Path);

        Assert.Equal([42, 42, 42, 42], data.Images.bytes.ToArray());
    }

    [Fact]
    public void Should_ReadIdx_When_PathIsAnUbyteFile()
    {
        using var dir = new TempFolder();
        var path = dir.Write("digits-images.idx3-ubyte", IdxBytes.Images(1, 1, 3, [5, 6, 7]));

        using var data = DatasetLoader.Load(path);

        Assert.Equal([5, 6, 7], data.Images.bytes.ToArray());
    }

    [Fact]
    public void Should_ThrowNamingPath_When_PathDoesNotExist()
    {
        var path = Path.Combine(Path.GetTempPath(), "protocl-no-such-" + Guid.NewGuid().ToString("N"));

        var e = Assert.Throws<DataException>(() => DatasetLoader.Load(path));

        Assert.Equal($"no such file or folder: {path}", e.Message);
    }

    [Theory]
    [InlineData("embedded:fashion-mnist-test", "embedded")]
    [InlineData("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")]
    [InlineData("photos/", "photos/")]
    public void Should_GiveThePathThatLoadsTheDataAgain_When_GivenADatasetsSource(string source, string expected) =>
        Assert.Equal(expected, DatasetLoader.PathOf(source));
}

/// <summary><see cref="DataFiles.SamePath"/>: one folder under several names.</summary>
public class SamePathTests
{
    [Fact]
    public void Should_TreatALinkAndATrailingSlashAsTheSameFolder_When_TheyLeadToIt()
    {
        using var dir = new TempFolder();
        var photos = Directory.CreateDirectory(Path.Combine(dir.Path, "photos")).FullName;
        var other = Directory.CreateDirectory(Path.Combine(dir.Path, "other")).FullName;
        var link = Path.Combine(dir.Path, "link");
        Directory.CreateSymbolicLink(link, photos);
        Assert.True(DataFiles.SamePath(photos, photos + "/"));
        Assert.True(DataFiles.SamePath(link, photos));
        Assert.True(DataFiles.SamePath(Path.Combine(dir.Path, "other", "..", "photos"), photos));
        Assert.False(DataFiles.SamePath(other, photos));
        Assert.False(DataFiles.SamePath(Path.Combine(dir.Path, "missing"), photos));
    }

    [Fact]
    public void Should_MatchARunsRecordedSource_When_ItNamesTheSameData()
    {
        using var dir = new TempFolder();
        var photos = Directory.CreateDirectory(Path.Combine(dir.Path, "photos")).FullName;
        Assert.True(DatasetLoader.SameSource("embedded", "embedded:fashion-mnist-test"));      // --data embedded, as a run records it
        Assert.True(DatasetLoader.SameSource("embedded:fashion-mnist-test", "embedded:fashion-mnist-test"));
        Assert.True(DatasetLoader.SameSource(photos + "/", photos));
        Assert.False(DatasetLoader.SameSource(photos, "embedded:fashion-mnist-test"));
        var named = Directory.CreateDirectory(Path.Combine(dir.Path, "embedded")).FullName;  // a folder that happens to be called so
        Assert.False(DatasetLoader.SameSource(named, "embedded:fashion-mnist-test"));
    }
}
