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
        // width = 130 (labels) + 4 · 56 + 5 · 4 (padding) = 374; height = 3 · 56 + 4 · 4 = 184.
        using var png = PngAssert.Valid(dir.File("grid.png"));
        Assert.Equal(374, png.Width);
        Assert.Equal(184, png.Height);

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
        // 32 px → scale ceil(56 / 32) = 2 → 64 px cells.
        // width = 130 + 3 · 64 + 4 · 4 = 338; height = 2 · 64 + 3 · 4 = 140.
        using var png = PngAssert.Valid(dir.File("rgb.png"));
        Assert.Equal(338, png.Width);
        Assert.Equal(140, png.Height);
        // Centre of the first cell of row 1: x = 130 + 4 + 32, y = 4 + 32; of row 2: y = 4 + 64 + 4 + 32.
        Assert.Equal(new SkiaSharp.SKColor(255, 0, 0), png.GetPixel(166, 36));
        Assert.Equal(new SkiaSharp.SKColor(0, 0, 255), png.GetPixel(166, 104));
    }
}
