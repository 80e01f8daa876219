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

    // Layout of these pictures (ImageGrid): 28 px images → 56 px cells; a 150 px label column; a 16 px band of column
    // headings on top; under each row a 15 px strip with the similarity; 4 px padding. Cell c of row r therefore starts
    // at x = 150 + 4 + 60 c = 154 + 60 c and y = 16 + 4 + r (56 + 15 + 4) = 20 + 75 r; a 2 px frame lies just outside
    // it (x - 2 and x - 1).

    [Fact]
    public void Should_FrameTheQueryAndNeighboursByLabel_When_ImagesHaveLabels()
    {
        using var dir = new TempFolder();
        using var data = Images(labelled: true);
        NeighbourList[] lists = [new(0, [1, 2], [0.9f, 0.8f]), new(3, [5, 4], [0.7f, 0.6f])];

        NeighbourGrid.Write(data, lists, dir.File("n.png"));

        // 3 columns: width = 150 + 3 · 56 + 4 · 4 = 334; the rows end at 16 + 2 · (56 + 15) + 3 · 4 = 170, the key follows.
        using var png = PngAssert.Valid(dir.File("n.png"));
        Assert.Equal(334, png.Width);
        Assert.True(png.Height >= 170 + ImageGrid.KeyLineHeight, $"no room for the key below the rows ({png.Height} px high)");
        SkiaSharp.SKColor Frame(int row, int column) => png.GetPixel(154 + 60 * column - 2, 20 + 75 * row + 28);
        Assert.Equal(NeighbourGrid.QueryFrame, Frame(0, 0));
        Assert.Equal(NeighbourGrid.QueryFrame, png.GetPixel(154 + 56 + 1, 20 + 28)); // its right edge, not overdrawn by the next frame
        Assert.Equal(NeighbourGrid.SameLabelFrame, Frame(0, 1));  // image 1: label 0, as the query's
        Assert.Equal(NeighbourGrid.OtherLabelFrame, Frame(0, 2)); // image 2: label 1
        Assert.Equal(NeighbourGrid.QueryFrame, Frame(1, 0));
        Assert.Equal(NeighbourGrid.SameLabelFrame, Frame(1, 1));  // image 5: label 1, as query 3's
        Assert.Equal(NeighbourGrid.OtherLabelFrame, Frame(1, 2)); // image 4: label 0
        Assert.Equal(new SkiaSharp.SKColor(128, 128, 128), png.GetPixel(154 + 60 + 28, 20 + 28)); // the image itself is untouched
    }

    [Fact]
    public void Should_MarkEachNeighbourBesidesItsColour_When_ImagesHaveLabels()
    {
        using var data = Images(labelled: true);
        NeighbourList[] lists = [new(0, [1, 2], [0.9f, 0.8f]), new(3, [5, 4], [0.7f, 0.6f])];

        var (rows, text) = NeighbourGrid.Layout(data, lists, null, null);

        // Same label: tick; other label: cross; each with its cosine to two decimals; nothing under the query.
        Assert.Null(rows[0].Notes![0]);
        Assert.Equal(new CellNote("0.90", NeighbourGrid.SameLabelFrame, CellMark.Check), rows[0].Notes![1]);
        Assert.Equal(new CellNote("0.80", NeighbourGrid.OtherLabelFrame, CellMark.Cross), rows[0].Notes![2]);
        Assert.Equal(new CellNote("0.70", NeighbourGrid.SameLabelFrame, CellMark.Check), rows[1].Notes![1]);
        Assert.Equal(new CellNote("0.60", NeighbourGrid.OtherLabelFrame, CellMark.Cross), rows[1].Notes![2]);
        Assert.Equal(["image 0", "class 0"], rows[0].Caption);
        Assert.Equal(["image 3", "class 1"], rows[1].Caption);
        Assert.Equal(["query", "1", "2"], text.ColumnHeadings);
        Assert.Equal(
            [new KeyItem("query image", NeighbourGrid.QueryFrame),
             new KeyItem("same label as the query", NeighbourGrid.SameLabelFrame, CellMark.Check),
             new KeyItem("another label", NeighbourGrid.OtherLabelFrame, CellMark.Cross),
             new KeyItem("number under an image: its cosine similarity to the query")],
            text.Key);
    }

    [Fact]
    public void Should_TellSameFromOtherWithoutRedAndGreen_When_ChoosingFrameColours()
    {
        // The pair is Okabe-Ito blue #0072B2 and vermilion #D55E00: the blue one has far more blue than red, the other
        // far more red than blue, which stays true under red-green colour blindness (the blue-yellow axis is kept).
        Assert.True(NeighbourGrid.SameLabelFrame.Blue - NeighbourGrid.SameLabelFrame.Red >= 100);
        Assert.True(NeighbourGrid.OtherLabelFrame.Red - NeighbourGrid.OtherLabelFrame.Blue >= 100);
        Assert.NotEqual(NeighbourGrid.QueryFrame, NeighbourGrid.SameLabelFrame);
        Assert.NotEqual(NeighbourGrid.QueryFrame, NeighbourGrid.OtherLabelFrame);
    }

    [Fact]
    public void Should_LeaveTheFrameOut_When_ANeighbourHasNoLabel()
    {
        using var dir = new TempFolder();
        using var data = new ImageDataset(full(3, 1, 28, 28, 128, dtype: ScalarType.Byte), [0, ImageDataset.Unlabelled, 0], "test");

        NeighbourGrid.Write(data, [new NeighbourList(0, [1, 2], [0.9f, 0.8f])], dir.File("n.png"));

        using var png = PngAssert.Valid(dir.File("n.png"));
        Assert.Equal(SkiaSharp.SKColors.White, png.GetPixel(154 + 60 - 2, 20 + 28));       // image 1: no label, no frame
        Assert.Equal(NeighbourGrid.SameLabelFrame, png.GetPixel(154 + 120 - 2, 20 + 28));  // image 2: the query's label
        var (_, text) = NeighbourGrid.Layout(data, [new NeighbourList(0, [1, 2], [0.9f, 0.8f])], null, null);
        Assert.Contains(new KeyItem("no frame: no label"), text.Key);
    }

    [Fact]
    public void Should_FrameOnlyTheQuery_When_ImagesHaveNoLabels()
    {
        using var dir = new TempFolder();
        using var data = Images(labelled: false);

        NeighbourGrid.Write(data, [new NeighbourList(2, [0, 1, 3], [0.5f, 0.4f, 0.3f])], dir.File("n.png"));

        using var png = PngAssert.Valid(dir.File("n.png"));
        Assert.Equal(150 + 4 * 56 + 5 * 4, png.Width);
        Assert.Equal(NeighbourGrid.QueryFrame, png.GetPixel(152, 20 + 28));
        Assert.Equal(SkiaSharp.SKColors.White, png.GetPixel(154 + 60 - 2, 20 + 28));
    }

    [Fact]
    public void Should_NameTheQueryByItsFile_When_ImagesComeFromAFolder()
    {
        using var data = new ImageDataset(full(2, 1, 28, 28, 128, dtype: ScalarType.Byte), null, "test")
        {
            Files = ["/photos/cat.png", "/photos/IMG_20240101_123401.png"],
        };
        using var indexed = Images(labelled: false);
        Assert.Equal("cat.png", NeighbourGrid.Name(data, 0));
        Assert.Equal("IMG_20240101_123401.png", NeighbourGrid.Name(data, 1)); // in full: the picture shortens it to fit (ImageGridTests)
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
