namespace ProtoCL.Reporting;

/// <summary>Low-shot classification accuracy versus the number of labelled examples per class.</summary>
public static class LowShotPlot
{
    /// <summary>
    /// Writes accuracy in % (mean, error bar ± std; given as fractions) against k on a log2 x axis (ticks at each k present, e.g. 1, 2, 4, 8, 16),
    /// one line per method. Methods are drawn in dictionary order; k values within a method in ascending order.
    /// </summary>
    /// <param name="accuracy">method → (k → (mean, std)); k must be positive.</param>
    /// <param name="pngPath">Output PNG path.</param>
    public static void Write(IReadOnlyDictionary<string, IReadOnlyDictionary<int, (double mean, double std)>> accuracy, string pngPath)
    {
        ArgumentNullException.ThrowIfNull(accuracy);
        if (accuracy.Count == 0) throw new ArgumentException("no methods to plot", nameof(accuracy));
        var allK = accuracy.Values.SelectMany(d => d.Keys).Distinct().Order().ToArray();
        if (allK.Length == 0 || allK[0] <= 0) throw new ArgumentException("k values must be positive and present", nameof(accuracy));

        var plot = PlotPng.Create("Low-shot classification", "Labelled examples per class (k, log2 scale)", "Test accuracy (%, mean ± std over the draws)");
        var palette = new ScottPlot.Palettes.Category10();
        int index = 0;
        foreach (var (method, byK) in accuracy)
        {
            var colour = palette.GetColor(index++);
            var ks = byK.Keys.Order().ToArray();
            if (ks.Length == 0) continue;
            double[] xs = ks.Select(k => Math.Log2(k)).ToArray();
            double[] ys = ks.Select(k => 100 * byK[k].mean).ToArray();                       // fractions in, % drawn as the tables print them
            double[] err = ks.Select(k => double.IsFinite(byK[k].std) ? 100 * Math.Abs(byK[k].std) : 0).ToArray();

            var bars = plot.Add.ErrorBar(xs, ys, err);
            bars.Color = colour;
            bars.LineWidth = 1.5f;
            var line = plot.Add.Scatter(xs, ys, colour);
            line.LegendText = method;
            line.LineWidth = 2;
            line.MarkerSize = 7;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            allK.Select(k => Math.Log2(k)).ToArray(),
            allK.Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsX(Math.Log2(allK[0]) - 0.3, Math.Log2(allK[^1]) + 0.3);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        PlotPng.Save(plot, pngPath);
    }
}
