using System.Globalization;
using ProtoCL.Training;

namespace ProtoCL.Reporting;

/// <summary>
/// Training curves per epoch: losses (total, instance term, prototype term) and the top-1 accuracies of the two
/// contrastive tasks, in %. The epoch axis has integer ticks; legends sit below the plot area, never over the lines.
/// Where the prototype term starts after the warm-up (the total loss jumps there by the new term), a dashed vertical
/// line says so. When the run's options are given, the method names the titles and the accuracy legends say exactly
/// what was ranked against what (<see cref="EpochMetrics.AccInstance"/>, <see cref="EpochMetrics.AccProto"/>).
/// </summary>
public static class CurvePlot
{
    /// <summary>Writes one PNG with two panels: losses on top, accuracies below (900 × 900 pixels).</summary>
    /// <param name="metrics">The finished epochs (<see cref="MetricsLog.Read"/>).</param>
    /// <param name="pngPath">Output PNG path.</param>
    /// <param name="run">The run's options (method, queue, batch size, cluster counts), when known: they name the
    /// method in the titles and the terms in the legends; null draws generic names.</param>
    public static void Write(IReadOnlyList<MetricsLine> metrics, string pngPath, TrainingOptions? run = null)
    {
        Check(metrics);
        PlotPng.SaveRows([LossPlot(metrics, run), AccuracyPlot(metrics, run)], pngPath, PlotPng.Width, 450);
    }

    /// <summary>Writes the loss curves alone (total, instance, prototype when present).</summary>
    /// <param name="metrics">The finished epochs.</param>
    /// <param name="pngPath">Output PNG path.</param>
    /// <param name="run">The run's options when known (see <see cref="Write"/>).</param>
    public static void WriteLoss(IReadOnlyList<MetricsLine> metrics, string pngPath, TrainingOptions? run = null)
    {
        Check(metrics);
        PlotPng.Save(LossPlot(metrics, run), pngPath);
    }

    /// <summary>Writes the accuracy curves alone (instance, prototype when present), in %.</summary>
    /// <param name="metrics">The finished epochs.</param>
    /// <param name="pngPath">Output PNG path.</param>
    /// <param name="run">The run's options when known (see <see cref="Write"/>).</param>
    public static void WriteAccuracy(IReadOnlyList<MetricsLine> metrics, string pngPath, TrainingOptions? run = null)
    {
        Check(metrics);
        PlotPng.Save(AccuracyPlot(metrics, run), pngPath);
    }

    /// <summary>Colour of the warm-up marker and its label (a dark purple that no series uses).</summary>
    internal static readonly ScottPlot.Color WarmUpColour = ScottPlot.Color.FromHex("#6a3d9a");

    /// <summary>Colour indices in Category10: total blue, instance orange, prototype green.</summary>
    private const int TotalColour = 0, InstanceColour = 1, PrototypeColour = 2;

    /// <summary>
    /// The first epoch whose prototype loss is known after at least one epoch without it (the first epoch after the
    /// warm-up), or null when no such switch is in <paramref name="metrics"/> (no prototype term, no warm-up, or only
    /// warm-up epochs logged).
    /// </summary>
    internal static int? PrototypeStart(IReadOnlyList<MetricsLine> metrics)
    {
        bool seenWithout = false;
        foreach (var m in metrics.OrderBy(m => m.Epoch))
        {
            if (m.LossProto is not { } p || !double.IsFinite(p)) seenWithout = true;
            else if (seenWithout) return m.Epoch;
        }
        return null;
    }

    /// <summary>True when the total loss equals the instance loss in every epoch (no prototype term was added), so a
    /// separate total line would hide under the instance line.</summary>
    internal static bool TotalIsInstance(IReadOnlyList<MetricsLine> metrics) =>
        metrics.All(m => m.Loss == m.LossInstance || Math.Abs(m.Loss - m.LossInstance) <= 1e-6 * Math.Max(1, Math.Abs(m.Loss)));

    /// <summary>Name of the instance loss of <paramref name="run"/>'s method: InfoNCE (MoCo, PCL) or NT-Xent (SimCLR methods).</summary>
    private static string InstanceLossName(TrainingOptions? run) =>
        run is null ? "instance term" : run.UsesMomentumEncoder ? "instance term (InfoNCE)" : "instance term (NT-Xent)";

    /// <summary>What the instance accuracy ranks: the positive among the queue (MoCo methods) or among the batch's views (SimCLR methods).</summary>
    internal static string InstanceAccuracyName(TrainingOptions? run)
    {
        var c = CultureInfo.InvariantCulture;
        if (run is null) return "instance: positive ranked first among positive + negatives";
        return run.UsesMomentumEncoder
            ? string.Format(c, "instance: query's own key ranked first of 1 + {0:N0} queue keys", run.QueueSize)
            : string.Format(c, "instance: the other view ranked first of the {0:N0} other views in the batch", 2 * run.BatchSize - 1);
    }

    /// <summary>What the prototype accuracy ranks: the own cluster's prototype among those in play, averaged over the levels.</summary>
    internal static string PrototypeAccuracyName(TrainingOptions? run)
    {
        if (run is null) return "prototype: own cluster's prototype ranked first";
        // No digit grouping in K: the commas separate the levels.
        var levels = string.Join(", ", run.Clusters.Select(k => k.ToString(CultureInfo.InvariantCulture)));
        return $"prototype: own cluster's prototype ranked first (mean over K = {levels})";
    }

    private static string Title(string what, TrainingOptions? run) => run is null ? what : $"{run.Method.Title()}: {what}";

    private static ScottPlot.Plot LossPlot(IReadOnlyList<MetricsLine> m, TrainingOptions? run)
    {
        var plot = PlotPng.Create(Title("training loss per epoch", run), "Epoch", "Loss (mean per image)");
        if (TotalIsInstance(m))
        {
            // No prototype term: the total is the instance term, one line says both.
            AddSeries(plot, m, InstanceLossName(run) + " = total", x => x.Loss, InstanceColour);
        }
        else
        {
            AddSeries(plot, m, InstanceLossName(run), x => x.LossInstance, InstanceColour);
            AddSeries(plot, m, "prototype term (ProtoNCE)", x => x.LossProto, PrototypeColour);
            // Dashed and drawn last: where it equals the instance term (the warm-up) both stay visible.
            var total = AddSeries(plot, m, "total = instance + prototype", x => x.Loss, TotalColour);
            if (total is not null) total.LinePattern = ScottPlot.LinePattern.Dashed;
        }
        Finish(plot, m, yFromZero: false);
        return plot;
    }

    private static ScottPlot.Plot AccuracyPlot(IReadOnlyList<MetricsLine> m, TrainingOptions? run)
    {
        var plot = PlotPng.Create(Title("top-1 accuracy of the contrastive tasks per epoch", run), "Epoch", "Top-1 accuracy (%)");
        AddSeries(plot, m, InstanceAccuracyName(run), x => 100 * x.AccInstance, InstanceColour);
        AddSeries(plot, m, PrototypeAccuracyName(run), x => 100 * x.AccProto, PrototypeColour);
        Finish(plot, m, yFromZero: true);
        return plot;
    }

    /// <summary>Integer epoch ticks, the warm-up marker, the legend below the plot area and the axis limits.</summary>
    private static void Finish(ScottPlot.Plot plot, IReadOnlyList<MetricsLine> m, bool yFromZero)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Bottom.MinorTickStyle.Length = 0; // no marks between whole epochs
        plot.Axes.Left.MinimumSize = 64;            // the same left edge in both panels, so their epochs line up
        plot.Axes.AutoScale();
        int first = m.Min(e => e.Epoch), last = m.Max(e => e.Epoch);
        plot.Axes.SetLimitsX(first - 0.5, last + 0.5);
        if (yFromZero)
        {
            double top = m.SelectMany(e => new[] { e.AccInstance, e.AccProto ?? 0 }).Where(double.IsFinite).DefaultIfEmpty(0).Max() * 100;
            plot.Axes.SetLimitsY(0, Math.Max(1, Math.Min(100, top) * 1.08 + 1));
        }
        if (PrototypeStart(m) is int start)
        {
            var line = plot.Add.VerticalLine(start - 0.5, 1.5f, WarmUpColour, ScottPlot.LinePattern.Dashed);
            line.LabelText = $"warm-up ends: prototype term from epoch {start}";
            line.LabelOppositeAxis = true;
            // The label runs from the line into the wider side of the plot, so that it never leaves the picture.
            line.ManualLabelAlignment = start - 0.5 <= (first + last) / 2.0 ? ScottPlot.Alignment.LowerLeft : ScottPlot.Alignment.LowerRight;
            line.LabelFontSize = 12;
            line.LabelBackgroundColor = WarmUpColour;
            line.LabelFontColor = ScottPlot.Colors.White;
            line.ExcludeFromLegend = true;
            plot.Axes.Top.MinimumSize = 26; // a band between the title and the plot area for the label
        }
        plot.ShowLegend(ScottPlot.Edge.Bottom);
    }

    /// <summary>Adds one line over the epochs where <paramref name="value"/> is known and finite; null when there is none.</summary>
    private static ScottPlot.Plottables.Scatter? AddSeries(ScottPlot.Plot plot, IReadOnlyList<MetricsLine> m, string label, Func<MetricsLine, double?> value, int colour)
    {
        var points = m.Select(e => (x: (double)e.Epoch, y: value(e)))
            .Where(p => p.y is { } y && double.IsFinite(y))
            .ToArray();
        if (points.Length == 0) return null;
        var scatter = plot.Add.Scatter(points.Select(p => p.x).ToArray(), points.Select(p => p.y!.Value).ToArray(),
            new ScottPlot.Palettes.Category10().GetColor(colour));
        scatter.LegendText = label;
        scatter.LineWidth = 2;
        scatter.MarkerSize = points.Length > 60 ? 0 : 5;
        return scatter;
    }

    private static void Check(IReadOnlyList<MetricsLine> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Count == 0) throw new ArgumentException("no epochs to plot", nameof(metrics));
    }
}
