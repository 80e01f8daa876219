using ProtoCL.Tests.Data;
using ProtoCL.Data;
using ProtoCL.Reporting;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Reporting;

public class PrototypeGridTests
{
    /// <summary>Cluster sizes by construction: 5 → 7, 2 → 12, 9 → 3, 0 → 1, plus 2 unassigned (-1).</summary>
    private static long[] CraftedAssignments()
    {
        var a = new List<long>();
        a.AddRange(Enumerable.Repeat(5L, 7));
        a.AddRange(Enumerable.Repeat(2L, 12));
        a.AddRange(Enumerable.Repeat(9L, 3));
        a.Add(0);
        a.AddRange([-1, -1]);
        // Interleave so cluster members are not contiguous.
        return a.Select((v, i) => (v, key: (i * 7) % a.Count)).OrderBy(p => p.key).Select(p => p.v).ToArray();
    }

    [Fact]
    public void Should_ShowLargestClustersFirst_When_GridIsGrayscale()
    {
        using var dir = new TempFolder();
        var assignments = CraftedAssignments();
        int n = assignments.Length;
        using var data = new ImageDataset(
            arange(n * 28 * 28).remainder(251).to(ScalarType.Byte).reshape(n, 1, 28, 28), null, "test");

        var rows = PrototypeGrid.Write(data, assignments, dir.File("grid.png"), seed: 1, clusters: 3, perCluster: 4);

        Assert.Equal(new long[] { 2, 5, 9 }, rows.Select(r => r.Cluster));
        Assert.Equal(new[] { 12, 7, 3 }, rows.Select(r => r.Size));
        Assert.Equal(new[] { 4, 4, 3 }, rows.Select(r => r.Samples.Length));
        foreach (var row in rows)
        {
            Assert.All(row.Samples, i => Assert.Equal(row.Cluster, assignments[i]));
            Assert.Equal(row.Samples.Length, row.Samples.Distinct().Count());
        }
        // 28 px → scale ceil(56 / 28) = 2 → 56 px cells.
        // width = 150 (labels) + 4 · 56 + 5 · 4 (padding) = 394; the rows take 3 · 56 + 4 · 4 = 184 px below the title.
        using var png = PngAssert.Valid(dir.File("grid.png"));
        Assert.Equal(394, png.Width);
        Assert.True(png.Height >= 184 + 2 * ImageGrid.TitleLineHeight, $"no room for a two-line title ({png.Height} px high)");

        var again = PrototypeGrid.Write(data, assignments, dir.File("grid2.png"), seed: 1, clusters: 3, perCluster: 4);
        Assert.Equal(rows.SelectMany(r => r.Samples), again.SelectMany(r => r.Samples));
    }

    [Fact]
    public void Should_KeepColours_When_GridIsRgb()
    {
        using var dir = new TempFolder();
        // 6 RGB 32×32 images: cluster 1 (4 images) pure red, cluster 0 (2 images) pure blue.
        long[] assignments = [1, 0, 1, 1, 0, 1];
        var pixels = new byte[6 * 3 * 32 * 32];
        for (int i = 0; i < 6; i++)
        {
            int channel = assignments[i] == 1 ? 0 : 2;
            Array.Fill(pixels, (byte)255, (i * 3 + channel) * 1024, 1024);
        }
        using var data = new ImageDataset(tensor(pixels).reshape(6, 3, 32, 32), null, "test");

        var rows = PrototypeGrid.Write(data, assignments, dir.File("rgb.png"), seed: 2, clusters: 8, perCluster: 3);

        Assert.Equal(new long[] { 1, 0 }, rows.Select(r => r.Cluster));
        // 32 px → scale ceil(56 / 32) = 2 → 64 px cells; width = 150 + 3 · 64 + 4 · 4 = 358.
        using var png = PngAssert.Valid(dir.File("rgb.png"));
        Assert.Equal(358, png.Width);
        // The first cell's column is x = 150 + 4 .. 150 + 4 + 63; its centre x = 186. Row 1 (red) starts below the title.
        int top = Enumerable.Range(0, png.Height).First(y => png.GetPixel(186, y) == new SkiaSharp.SKColor(255, 0, 0));
        Assert.True(top >= 2 * ImageGrid.TitleLineHeight + ImageGrid.Padding, $"row 1 starts at y = {top}, over the title");
        Assert.Equal(new SkiaSharp.SKColor(255, 0, 0), png.GetPixel(154, top + 63));         // row 1: 64 px of red
        Assert.Equal(SkiaSharp.SKColors.White, png.GetPixel(186, top + 64));                  // then 4 px of padding
        Assert.Equal(new SkiaSharp.SKColor(0, 0, 255), png.GetPixel(186, top + 68));          // row 2 (blue) 64 + 4 px lower
        Assert.Equal(new SkiaSharp.SKColor(0, 0, 255), png.GetPixel(186 + 31, top + 68 + 63));
        Assert.Equal(top + 2 * 64 + 2 * 4, png.Height);                                       // two rows, padding below each
    }

    [Fact]
    public void Should_GiveEachClusterItsMajorityLabelAndPurity_When_ImagesHaveLabels()
    {
        // Cluster 0: labels 3, 3, 1 and one unlabelled member → majority 3, purity 2 / 3 (of the labelled members).
        // Cluster 1: labels 2, 2, 2 → majority 2, purity 1. Cluster 2: labels 5, 4 → a tie, the smaller label 4, purity 1 / 2.
        // Cluster 7: its only member is unlabelled → no majority. Image 10 is unassigned.
        long[] assignments = [0, 0, 0, 0, 1, 1, 1, 2, 2, 7, -1];
        int[] labels = [3, 3, 1, ImageDataset.Unlabelled, 2, 2, 2, 5, 4, ImageDataset.Unlabelled, 0];
        using var dir = new TempFolder();
        using var data = new ImageDataset(zeros(11, 1, 28, 28, ScalarType.Byte), labels, "test");

        var rows = PrototypeGrid.Write(data, assignments, dir.File("labelled.png"), seed: 5, clusters: 8, perCluster: 2, k: 8, epoch: 3);

        Assert.Equal(new long[] { 0, 1, 2, 7 }, rows.Select(r => r.Cluster));
        Assert.Equal(new int?[] { 3, 2, 4, null }, rows.Select(r => r.MajorityLabel));
        Assert.Equal(2.0 / 3, rows[0].Purity!.Value, 12);
        Assert.Equal(1.0, rows[1].Purity!.Value, 12);
        Assert.Equal(0.5, rows[2].Purity!.Value, 12);
        Assert.Null(rows[3].Purity);
        using var png = PngAssert.Valid(dir.File("labelled.png"));
        Assert.Null(PrototypeGrid.ChooseRows(assignments, 8, 2, new Random(5))[0].Purity); // no labels given: no purity
    }

    [Fact]
    public void Should_NameTheLevelAndTheEStep_When_TheyAreKnown()
    {
        Assert.Equal(
            ["Level K = 10, E-step at the start of epoch 3: the 8 largest of 10 non-empty clusters.",
             "Each row: one cluster and up to 10 of its members, drawn at random. Left: cluster id, size and purity: " +
             "the share of its members that have its most common label, and that label."],
            PrototypeGrid.Title(shown: 8, nonEmpty: 10, perCluster: 10, k: 10, epoch: 3, labelled: true));
        Assert.Equal(
            ["Clusters: all 4 non-empty clusters.",
             "Each row: one cluster and up to 6 of its members, drawn at random. Left: cluster id, size."],
            PrototypeGrid.Title(shown: 4, nonEmpty: 4, perCluster: 6, k: null, epoch: null, labelled: false));
    }
}
