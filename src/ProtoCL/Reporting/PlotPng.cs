using ProtoCL.IO;

namespace ProtoCL.Reporting;

/// <summary>Renders ScottPlot plots to PNG files (atomically) with the report's look.</summary>
internal static class PlotPng
{
    /// <summary>Default image size in pixels.</summary>
    public const int Width = 900, Height = 560;

    /// <summary>A new plot with the report font, a title and axis labels.</summary>
    public static ScottPlot.Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new ScottPlot.Plot();
        ReportFonts.Apply(plot);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>Saves one plot as PNG.</summary>
    public static void Save(ScottPlot.Plot plot, string pngPath, int width = Width, int height = Height) =>
        AtomicFile.WriteAllBytes(pngPath, plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));

    /// <summary>Saves plots stacked top to bottom in one PNG, each <paramref name="panelHeight"/> pixels high.</summary>
    public static void SaveRows(IReadOnlyList<ScottPlot.Plot> plots, string pngPath, int width = Width, int panelHeight = Height)
    {
        var multiplot = new ScottPlot.Multiplot { Layout = new ScottPlot.MultiplotLayouts.Rows() };
        while (multiplot.Subplots.Count > 0) multiplot.Subplots.RemoveAt(0);
        foreach (var p in plots) multiplot.Subplots.Add(p);
        using var image = ScottPlot.IMultiplotExtensions.Render(multiplot, width, panelHeight * plots.Count);
        AtomicFile.WriteAllBytes(pngPath, image.GetImageBytes(ScottPlot.ImageFormat.Png, 100));
    }
}
