using ProtoCL.Tests.Data;
using ProtoCL.Reporting;

namespace ProtoCL.Tests.Reporting;

public class PngWriterTests
{
    private static List<MetricsLine> Epochs() =>
        Enumerable.Range(1, 12).Select(e => new MetricsLine(
            e,
            Loss: 8 - 0.3 * e,
            LossInstance: 6 - 0.2 * e,
            LossProto: e <= 4 ? null : 2 - 0.1 * e,
            AccInstance: 0.05 * e,
            AccProto: e <= 4 ? null : 0.04 * e,
            Lr: 0.03,
            ImagesPerSecond: 900,
            SecondsTrain: 10,
            SecondsEstep: e <= 4 ? 0 : 2)).ToList();

    [Fact]
    public void Should_WriteValidPngs_When_PlottingTrainingCurves()
    {
        using var dir = new TempFolder();
        var metrics = Epochs();

        CurvePlot.Write(metrics, dir.File("curves.png"));
        CurvePlot.WriteLoss(metrics, dir.File("loss.png"));
        CurvePlot.WriteAccuracy(metrics, dir.File("accuracy.png"));

        using var both = PngAssert.Valid(dir.File("curves.png"));
        using var loss = PngAssert.Valid(dir.File("loss.png"));
        using var accuracy = PngAssert.Valid(dir.File("accuracy.png"));
        Assert.Equal((900, 900), (both.Width, both.Height)); // two stacked 450-pixel panels
        Assert.Equal((900, 560), (loss.Width, loss.Height));
        Assert.Equal((900, 560), (accuracy.Width, accuracy.Height));
        // D3's Category10: total blue #1f77b4, instance orange #ff7f0e, prototype green #2ca02c.
        Assert.True(PngAssert.Count(loss, 0x1f, 0x77, 0xb4) > 20, "no total-loss line");
        Assert.True(PngAssert.Count(loss, 0x2c, 0xa0, 0x2c) > 20, "no prototype-loss line");
        Assert.True(PngAssert.Count(accuracy, 0xff, 0x7f, 0x0e) > 20, "no instance-accuracy line");
        Assert.Equal(0, PngAssert.Count(accuracy, 0x1f, 0x77, 0xb4)); // accuracy has no total
    }

    [Fact]
    public void Should_DrawNoPrototypeLine_When_NoEpochHasAPrototypeLoss()
    {
        using var dir = new TempFolder();
        var metrics = Epochs().Select(e => e with { LossProto = null, AccProto = null }).ToList();

        CurvePlot.WriteLoss(metrics, dir.File("loss.png"));

        using var loss = PngAssert.Valid(dir.File("loss.png"));
        Assert.True(PngAssert.Count(loss, 0xff, 0x7f, 0x0e) > 20, "no instance-loss line");
        Assert.Equal(0, PngAssert.Count(loss, 0x2c, 0xa0, 0x2c));
    }

    [Fact]
    public void Should_WriteValidPng_When_PlottingLowShotAccuracy()
    {
        using var dir = new TempFolder();
        var accuracy = new Dictionary<string, IReadOnlyDictionary<int, (double mean, double std)>>
        {
            ["PCL"] = new Dictionary<int, (double, double)> { [1] = (0.41, 0.03), [2] = (0.52, 0.02), [4] = (0.61, 0.02), [8] = (0.68, 0.01), [16] = (0.73, 0.01) },
            ["instance only"] = new Dictionary<int, (double, double)> { [1] = (0.35, 0.04), [2] = (0.45, 0.03), [4] = (0.55, 0.02), [8] = (0.63, 0.01), [16] = (0.69, 0.01) },
        };

        LowShotPlot.Write(accuracy, dir.File("lowshot.png"));
        LowShotPlot.Write(new Dictionary<string, IReadOnlyDictionary<int, (double mean, double std)>> { ["PCL"] = accuracy["PCL"] },
            dir.File("one.png"));

        using var both = PngAssert.Valid(dir.File("lowshot.png"));
        using var one = PngAssert.Valid(dir.File("one.png"));
        Assert.Equal((900, 560), (both.Width, both.Height));
        // One line per method in Category10 order: blue #1f77b4, then orange #ff7f0e.
        Assert.True(PngAssert.Count(both, 0x1f, 0x77, 0xb4) > 20, "no line of the first method");
        Assert.True(PngAssert.Count(both, 0xff, 0x7f, 0x0e) > 20, "no line of the second method");
        Assert.True(PngAssert.Count(one, 0x1f, 0x77, 0xb4) > 20, "no line of the only method");
        Assert.Equal(0, PngAssert.Count(one, 0xff, 0x7f, 0x0e));
    }

    [Fact]
    public void Should_WriteValidPng_When_PlottingEmbeddingScatter()
    {
        using var dir = new TempFolder();
        var xy = new float[30, 2];
        var labels = new int[30];
        for (int i = 0; i < 30; i++)
        {
            labels[i] = i % 3;
            xy[i, 0] = labels[i] * 10 + i * 0.1f;
            xy[i, 1] = (i % 5) - labels[i] * 4;
        }

        EmbeddingMap.WritePng(xy, labels, ["T-shirt/top", "Trouser", "Pullover"], "t-SNE <test>", dir.File("tsne.png"));
        EmbeddingMap.WritePng(xy, labels, null, "PCA", dir.File("pca.png"));

        using var named = PngAssert.Valid(dir.File("tsne.png"));
        using var unnamed = PngAssert.Valid(dir.File("pca.png"));
    }

    [Fact]
    public void Should_NameAnInstalledFontFamily_When_ResolvingReportFont()
    {
        Assert.False(string.IsNullOrWhiteSpace(ReportFonts.Family));
    }
}
