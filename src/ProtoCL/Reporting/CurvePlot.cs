namespace ProtoCL.Reporting;

/// <summary>Training curves per epoch: losses (total, instance, prototype) and accuracies (instance, prototype).</summary>
public static class CurvePlot
{
    /// <summary>Writes one PNG with two panels: losses on top, accuracies below.</summary>
    public static void Write(IReadOnlyList<MetricsLine> metrics, string pngPath)
    {
        Check(metrics);
        PlotPng.SaveRows([LossPlot(metrics), AccuracyPlot(metrics)], pngPath, PlotPng.Width, 450);
    }

    /// <summary>Writes the loss curves alone (total, instance, prototype when present).</summary>
    public static void WriteLoss(IReadOnlyList<MetricsLine> metrics, string pngPath)
    {
        Check(metrics);
        PlotPng.Save(LossPlot(metrics), pngPath);
    }

    /// <summary>Writes the accuracy curves alone (instance, prototype when present).</summary>
    public static void WriteAccuracy(IReadOnlyList<MetricsLine> metrics, string pngPath)
    {
        Check(metrics);
        PlotPng.Save(AccuracyPlot(metrics), pngPath);
    }

    private static ScottPlot.Plot LossPlot(IReadOnlyList<MetricsLine> m)
    {
        var plot = PlotPng.Create("Training loss", "Epoch", "Loss");
        AddSeries(plot, m, "total", x => x.Loss, 0);
        AddSeries(plot, m, "instance (InfoNCE)", x => x.LossInstance, 1);
        AddSeries(plot, m, "prototype (ProtoNCE)", x => x.LossProto, 2);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        return plot;
    }

    private static ScottPlot.Plot AccuracyPlot(IReadOnlyList<MetricsLine> m)
    {
        var plot = PlotPng.Create("Training accuracy", "Epoch", "Accuracy");
        AddSeries(plot, m, "instance", x => x.AccInstance, 1);
        AddSeries(plot, m, "prototype", x => x.AccProto, 2);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        return plot;
    }

    /// <summary>Adds one line over the epochs where <paramref name="value"/> is known and finite.</summary>
    private static void AddSeries(ScottPlot.Plot plot, IReadOnlyList<MetricsLine> m, string label, Func<MetricsLine, double?> value, int colour)
    {
        var points = m.Select(e => (x: (double)e.Epoch, y: value(e)))
            .Where(p => p.y is { } y && double.IsFinite(y))
            .ToArray();
        if (points.Length == 0) return;
        var scatter = plot.Add.Scatter(points.Select(p => p.x).ToArray(), points.Select(p => p.y!.Value).ToArray(),
            new ScottPlot.Palettes.Category10().GetColor(colour));
        scatter.LegendText = label;
        scatter.LineWidth = 2;
        scatter.MarkerSize = points.Length > 60 ? 0 : 4;
    }

    private static void Check(IReadOnlyList<MetricsLine> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Count == 0) throw new ArgumentException("no epochs to plot", nameof(metrics));
    }
}
