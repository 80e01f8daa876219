using ProtoCL.Tests.Data;
using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.Reporting;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Reporting;

public class NeighbourGridTests
{
    /// <summary>Six gray 28 × 28 images with labels 0, 0, 1, 1, 0, 1.</summary>
    private static ImageDataset Images(bool labelled) =>
        new(full(6, 1, 28, 28, 128, dtype: ScalarType.Byte), labelled ? [0, 0, 1, 1, 0, 1] : null, "test");

    [Fact]
    public void Should_FrameTheQueryBlueAndNeighboursByLabel_When_ImagesHaveLabels()
    {
        using var dir = new TempFolder();
        using var data = Images(labelled: true);
        NeighbourList[] lists = [new(0, [1, 2], [0.9f, 0.8f]), new(3, [5, 4], [0.7f, 0.6f])];

        NeighbourGrid.Write(data, lists, dir.File("n.png"));

        // 28 px → 56 px cells, 3 columns: width = 130 + 3 · 56 + 4 · 4 = 314; height = 2 · 56 + 3 · 4 = 124.
        using var png = PngAssert.Valid(dir.File("n.png"));
        Assert.Equal(314, png.Width);
        Assert.Equal(124, png.Height);
        // Cell c of row r starts at x = 134 + 60 c, y = 4 + 60 r; a 2 px frame lies just outside it (x - 2 and x - 1).
        SkiaSharp.SKColor Frame(int row, int column) => png.GetPixel(134 + 60 * column - 2, 4 + 60 * row + 28);
        Assert.Equal(NeighbourGrid.QueryFrame, Frame(0, 0));
        Assert.Equal(NeighbourGrid.QueryFrame, png.GetPixel(134 + 56 + 1, 4 + 28)); // its right edge, not overdrawn by the next frame
        Assert.Equal(NeighbourGrid.SameLabelFrame, Frame(0, 1));  // image 1: label 0, as the query's
        Assert.Equal(NeighbourGrid.OtherLabelFrame, Frame(0, 2)); // image 2: label 1
        Assert.Equal(NeighbourGrid.QueryFrame, Frame(1, 0));
        Assert.Equal(NeighbourGrid.SameLabelFrame, Frame(1, 1));  // image 5: label 1, as query 3's
        Assert.Equal(NeighbourGrid.OtherLabelFrame, Frame(1, 2)); // image 4: label 0
        Assert.Equal(new SkiaSharp.SKColor(128, 128, 128), png.GetPixel(134 + 60 + 28, 4 + 28)); // the image itself is untouched
    }

    [Fact]
    public void Should_LeaveTheFrameOut_When_ANeighbourHasNoLabel()
    {
        using var dir = new TempFolder();
        using var data = new ImageDataset(full(3, 1, 28, 28, 128, dtype: ScalarType.Byte), [0, ImageDataset.Unlabelled, 0], "test");

        NeighbourGrid.Write(data, [new NeighbourList(0, [1, 2], [0.9f, 0.8f])], dir.File("n.png"));

        using var png = PngAssert.Valid(dir.File("n.png"));
        Assert.Equal(SkiaSharp.SKColors.White, png.GetPixel(192, 32));           // image 1: no label, no frame
        Assert.Equal(NeighbourGrid.SameLabelFrame, png.GetPixel(252, 32));       // image 2: the query's label
    }

    [Fact]
    public void Should_FrameOnlyTheQuery_When_ImagesHaveNoLabels()
    {
        using var dir = new TempFolder();
        using var data = Images(labelled: false);

        NeighbourGrid.Write(data, [new NeighbourList(2, [0, 1, 3], [0.5f, 0.4f, 0.3f])], dir.File("n.png"));

        using var png = PngAssert.Valid(dir.File("n.png"));
        Assert.Equal(130 + 4 * 56 + 5 * 4, png.Width);
        Assert.Equal(NeighbourGrid.QueryFrame, png.GetPixel(132, 32));
        Assert.Equal(SkiaSharp.SKColors.White, png.GetPixel(192, 32));
    }

    [Fact]
    public void Should_NameTheQueryByItsFile_When_ImagesComeFromAFolder()
    {
        using var data = new ImageDataset(full(2, 1, 28, 28, 128, dtype: ScalarType.Byte), null, "test")
        {
            Files = ["/photos/cat.png", "/photos/a-very-long-file-name.png"],
        };
        using var indexed = Images(labelled: false);
        Assert.Equal("cat.png", NeighbourGrid.Name(data, 0));
        Assert.Equal("a-very-long-fil…", NeighbourGrid.Name(data, 1));   // 15 characters and an ellipsis fit the label column
        Assert.Equal("image 4", NeighbourGrid.Name(indexed, 4));
        Assert.Equal("image 40", NeighbourGrid.Name(indexed, 4, number: 40));  // an image gathered from a larger set
        Assert.Equal("cat.png", NeighbourGrid.Name(data, 0, number: 40));      // a file names itself
    }

    [Fact]
    public void Should_PickOneImageOfEachClassInClassOrder_When_ChoosingQueriesWithLabels()
    {
        int[] labels = [2, 0, 0, 1, 2, 1];
        var all = NeighbourGrid.ChooseQueries(labels.Length, labels, count: 10, seed: 4);
        Assert.Equal(3, all.Length);
        Assert.Contains(all[0], new[] { 1, 2 });
        Assert.Contains(all[1], new[] { 3, 5 });
        Assert.Contains(all[2], new[] { 0, 4 });
        Assert.Equal(all[..2], NeighbourGrid.ChooseQueries(labels.Length, labels, count: 2, seed: 4));

        var unlabelled = NeighbourGrid.ChooseQueries(20, null, count: 8, seed: 4);
        Assert.Equal(8, unlabelled.Distinct().Count());
        Assert.All(unlabelled, i => Assert.InRange(i, 0, 19));
        Assert.Equal(unlabelled, NeighbourGrid.ChooseQueries(20, null, count: 8, seed: 4));
    }
}
