using ProtoCL.Data;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Data;

public class ImageQueryTests
{
    private static ImageDataset Folder() =>
        new(zeros(3, 1, 2, 2, ScalarType.Byte), [0, 1, 1], "/photos", ["a", "b"])
        {
            Files = ["/photos/a/x.png", "/photos/b/x.png", "/photos/b/y.png"],
        };

    [Theory]
    [InlineData("0", 0)]
    [InlineData("2", 2)]
    [InlineData("y.png", 2)]              // a name no other image has
    [InlineData("b/x.png", 1)]            // a path below the data folder
    [InlineData("/photos/a/x.png", 0)]    // the full path
    [InlineData("/photos/b/../a/x.png", 0)]
    public void Should_FindTheImage_When_QueryIsAnIndexOrNamesOneFile(string query, int expected)
    {
        using var data = Folder();
        Assert.Equal(expected, ImageQuery.Resolve(data, query));
    }

    [Theory]
    [InlineData("3", "holds images 0..2")]
    [InlineData("x.png", "names 2 images")]
    [InlineData("z.png", "no image of /photos is 'z.png'")]
    [InlineData("hoto/a/x.png", "no image of /photos")]   // only whole path parts match
    [InlineData("", "empty query")]
    public void Should_SayWhy_When_QueryNamesNoSingleImage(string query, string expected)
    {
        using var data = Folder();
        var e = Assert.Throws<ArgumentException>(() => ImageQuery.Resolve(data, query));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Should_AcceptOnlyIndices_When_TheImagesHaveNoFiles()
    {
        using var data = new ImageDataset(zeros(4, 1, 2, 2, ScalarType.Byte), null, "idx-file");
        Assert.Equal(3, ImageQuery.Resolve(data, "3"));
        Assert.Contains("has no files", Assert.Throws<ArgumentException>(() => ImageQuery.Resolve(data, "x.png")).Message);
        Assert.Contains("has no files", Assert.Throws<ArgumentException>(() => ImageQuery.Resolve(data, "-1")).Message);
    }

    [Fact]
    public void Should_ListEveryImageFileTopFilesFirstThenSubfoldersByName_When_AskedForAFolder()
    {
        using var dir = new TempFolder();
        foreach (var f in new[] { "z/b.PNG", "z/a.jpg", "top.webp", "a/deep/x.bmp", "notes.txt", "a/readme.md" })
            dir.Write(f, [0]);

        var files = ImageQuery.ImagesIn(dir.Path);

        string P(string f) => Path.Combine(dir.Path, f);
        Assert.Equal([P("top.webp"), P("a/deep/x.bmp"), P("z/a.jpg"), P("z/b.PNG")], files);
        Directory.CreateDirectory(P("empty"));
        Assert.Empty(ImageQuery.ImagesIn(P("empty")));
    }
}
