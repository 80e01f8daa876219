using ProtoCL.Data;
using ProtoCL.IO;
using ProtoCL.Tests.Data;

namespace ProtoCL.Tests.IO;

[Collection("torch")]
public class ImageIndexTableTests
{
    [Fact]
    public void Should_ListEachRowsFileAndClass_When_TheImagesCameFromAFolder()
    {
        // A root file (no label), then the class folders in ordinal order, each sorted by path; a comma in a name is quoted.
        using var folder = new TempFolder();
        folder.Write("loose.png", SkiaImages.GrayPng(4, 4, (_, _) => 1));
        folder.Write("b, c/2.png", SkiaImages.GrayPng(4, 4, (_, _) => 2));
        folder.Write("a/1.png", SkiaImages.GrayPng(4, 4, (_, _) => 3));
        using var data = ImageFolderReader.Read(folder.Path);

        var expected = "index,file,label\n" +
                       $"0,{folder.Path}/loose.png,\n" +
                       $"1,{folder.Path}/a/1.png,a\n" +
                       $"2,\"{folder.Path}/b, c/2.png\",\"b, c\"\n";
        Assert.Equal(expected, ImageIndexTable.Csv(data));
    }

    [Fact]
    public void Should_LeaveTheFileEmpty_When_TheImagesHaveNoFiles()
    {
        using var data = DatasetLoader.LoadEmbedded(2);                     // Fashion-MNIST test images 0, 1: ankle boot, pullover
        Assert.Equal("index,file,label\n0,,Ankle boot\n1,,Pullover\n", ImageIndexTable.Csv(data));
    }
}
