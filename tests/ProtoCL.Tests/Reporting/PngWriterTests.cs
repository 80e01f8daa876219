using ProtoCL.Tests.Data;
using ProtoCL.Reporting;
using ProtoCL.Training;

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
    public void Should_DrawOneInstanceLineAndNoTotal_When_TheTotalEqualsTheInstanceLoss()
    {
        // SimCLR: no prototype term, so the logged total is the instance loss; a total line would hide under it.
        using var dir = new TempFolder();
        var metrics = Epochs().Select(e => e with { Loss = e.LossInstance, LossProto = null, AccProto = null }).ToList();

        CurvePlot.WriteLoss(metrics, dir.File("loss.png"), new TrainingOptions { Method = Method.Simclr });

        using var loss = PngAssert.Valid(dir.File("loss.png"));
        Assert.True(PngAssert.Count(loss, 0xff, 0x7f, 0x0e) > 20, "no instance-loss line");
        Assert.Equal(0, PngAssert.Count(loss, 0x1f, 0x77, 0xb4)); // no total (blue) line or legend entry
        Assert.Equal(0, PngAssert.Count(loss, 0x6a, 0x3d, 0x9a)); // no warm-up marker (purple #6a3d9a): no prototype term
        Assert.True(CurvePlot.TotalIsInstance(metrics));
        Assert.False(CurvePlot.TotalIsInstance(Epochs()));         // epochs 5-12 add a prototype term
    }

    [Fact]
    public void Should_MarkTheEndOfTheWarmUp_When_ThePrototypeTermStartsAfterEpochsWithoutIt()
    {
        using var dir = new TempFolder();
        var metrics = Epochs(); // no prototype loss in epochs 1-4, one from epoch 5

        CurvePlot.WriteLoss(metrics, dir.File("loss.png"));
        CurvePlot.WriteAccuracy(metrics, dir.File("accuracy.png"));

        Assert.Equal(5, CurvePlot.PrototypeStart(metrics));
        using var loss = PngAssert.Valid(dir.File("loss.png"));
        using var accuracy = PngAssert.Valid(dir.File("accuracy.png"));
        Assert.True(PngAssert.Count(loss, 0x6a, 0x3d, 0x9a) > 20, "no warm-up marker (purple #6a3d9a) in the loss plot");
        Assert.True(PngAssert.Count(accuracy, 0x6a, 0x3d, 0x9a) > 20, "no warm-up marker in the accuracy plot");
        // No switch: a prototype term from the first epoch (no warm-up), none at all, or only warm-up epochs logged.
        Assert.Null(CurvePlot.PrototypeStart(metrics.Select(e => e with { LossProto = 1.0 }).ToList()));
        Assert.Null(CurvePlot.PrototypeStart(metrics.Select(e => e with { LossProto = null }).ToList()));
        Assert.Null(CurvePlot.PrototypeStart(metrics.Take(4).ToList()));
    }

    [Fact]
    public void Should_NameWhatEachAccuracyRanks_When_TheRunIsKnown()
    {
        // MoCo and PCL rank the query's key against the queue of r keys; SimCLR ranks the other view against the
        // 2B - 1 other views of the batch (2 · 128 - 1 = 255); the prototype accuracy averages over the levels.
        var pcl = new TrainingOptions { Method = Method.Pcl, QueueSize = 4096, Clusters = [5, 10] };
        var simclr = new TrainingOptions { Method = Method.Simclr, BatchSize = 128 };

        Assert.Equal("instance: query's own key ranked first of 1 + 4,096 queue keys", CurvePlot.InstanceAccuracyName(pcl));
        Assert.Equal("instance: the other view ranked first of the 255 other views in the batch", CurvePlot.InstanceAccuracyName(simclr));
        Assert.Equal("prototype: own cluster's prototype ranked first (mean over K = 5, 10)", CurvePlot.PrototypeAccuracyName(pcl));
        Assert.Equal("PCL-SimCLR", Method.PclSimclr.Title());
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
    public void Should_ShowEveryClassOnTopSomewhere_When_PointsOfTwoClassesCoincide()
    {
        // 40 places, each holding one point of class 0 and one of class 1 at the very same position, class 0 listed
        // first. Drawn class after class, class 1 would cover class 0 everywhere; drawn in a random interleaved order,
        // each class is on top at some of the places (each about half of them).
        using var dir = new TempFolder();
        var xy = new float[80, 2];
        var labels = new int[80];
        for (int p = 0; p < 40; p++)
            for (int c = 0; c < 2; c++)
            {
                int i = c * 40 + p;
                (xy[i, 0], xy[i, 1], labels[i]) = (p % 8, p / 8, c);
            }

        var nowhere = new float[80, 2];
        for (int i = 0; i < 80; i++) (nowhere[i, 0], nowhere[i, 1]) = (float.NaN, float.NaN); // not drawn: the legend alone

        EmbeddingMap.WritePng(xy, labels, ["first", "second"], "overlap", dir.File("map.png"), seed: 3);
        EmbeddingMap.WritePng(nowhere, labels, ["first", "second"], "legend only", dir.File("legend.png"), seed: 3);

        using var map = PngAssert.Valid(dir.File("map.png"));
        using var legend = PngAssert.Valid(dir.File("legend.png"));
        // Category10: class 0 blue #1f77b4, class 1 orange #ff7f0e.
        int legendBlue = PngAssert.Count(legend, 0x1f, 0x77, 0xb4), legendOrange = PngAssert.Count(legend, 0xff, 0x7f, 0x0e);
        // Legend markers 13 pixels across: about π · 6.5² ≈ 133 pixels each (a 3-pixel dot has about 7).
        Assert.True(legendBlue > 60, $"legend marker of class 0 too small ({legendBlue} pixels)");
        Assert.True(legendOrange > 60, $"legend marker of class 1 too small ({legendOrange} pixels)");
        // The same legend in the map; beyond it, a 6-pixel dot shows about 12 to 28 pixels of its colour where it is on
        // top, so 5 of the 40 places on top give well over 40.
        int blue = PngAssert.Count(map, 0x1f, 0x77, 0xb4) - legendBlue, orange = PngAssert.Count(map, 0xff, 0x7f, 0x0e) - legendOrange;
        Assert.True(blue > 40, $"class 0 is on top nowhere ({blue} pixels)");
        Assert.True(orange > 40, $"class 1 is on top nowhere ({orange} pixels)");
    }

    [Fact]
    public void Should_DrawEachPointOnce_When_ShufflingTheDrawingOrder()
    {
        var order = EmbeddingMap.DrawingOrder(50, seed: 9);

        Assert.Equal(Enumerable.Range(0, 50), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), order);                 // not class after class (input order)
        Assert.Equal(order, EmbeddingMap.DrawingOrder(50, seed: 9));     // seeded
    }

    [Fact]
    public void Should_NameAnInstalledFontFamily_When_ResolvingReportFont()
    {
        Assert.False(string.IsNullOrWhiteSpace(ReportFonts.Family));
    }
}
