using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Reporting;

/// <summary>2-D maps of feature vectors (PCA, t-SNE) and their scatter plots coloured by label.</summary>
public static class EmbeddingMap
{
    /// <summary>
    /// Projects centred <paramref name="features"/> [N, D] onto their top two principal components (eigenvectors of
    /// the D × D covariance, largest eigenvalue first); returns float [N, 2] (second column 0 when D = 1).
    /// Sign convention: in each component the entry of largest magnitude (the first one on ties) is positive.
    /// Same as <see cref="Pca"/>'s <see cref="PcaMap.Xy"/>.
    /// </summary>
    public static float[,] Pca2D(Tensor features) => Pca(features).Xy;

    /// <summary>
    /// The PCA map of <paramref name="features"/> [N, D] (coordinates as <see cref="Pca2D"/>) with the share of the total
    /// variance each of the two components explains: eigenvalue / trace of the covariance, the trace being the sum of
    /// all D eigenvalues (scikit-learn's <c>explained_variance_ratio_</c>). Both shares are 0 when the points do not vary
    /// and the second is 0 when D = 1.
    /// </summary>
    public static PcaMap Pca(Tensor features)
    {
        CheckFeatures(features);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            long n = features.shape[0], d = features.shape[1];
            var x = features.detach().cpu().to(ScalarType.Float64);               // [N, D]
            var xc = x - x.mean([0], keepdim: true);                              // [N, D]
            var cov = xc.t().mm(xc) / Math.Max(n - 1, 1);                         // [D, D]
            var (values, vectors) = linalg.eigh(cov);                             // [D], [D, D] columns by ascending eigenvalue
            double total = cov.diagonal().sum().item<double>();                   // [D] -> []: total variance = trace
            var eigen = values.contiguous().data<double>().ToArray();             // [D] ascending
            int k = (int)Math.Min(2, d);
            var top = vectors.narrow(1, d - k, k).flip(1).contiguous();          // [D, k], largest first
            var w = top.data<double>().ToArray();                                 // row-major [D, k]
            for (int c = 0; c < k; c++)
            {
                double max = 0;
                for (int r = 0; r < d; r++) max = Math.Max(max, Math.Abs(w[r * k + c]));
                int pivot = 0;
                while (Math.Abs(w[pivot * k + c]) < max - 1e-9 * Math.Max(max, 1)) pivot++;
                if (w[pivot * k + c] < 0)
                    for (int r = 0; r < d; r++) w[r * k + c] = -w[r * k + c];
            }
            var projected = xc.mm(tensor(w, dtype: ScalarType.Float64).reshape(d, k)) // [N, D] x [D, k] -> [N, k]
                .to(ScalarType.Float32).contiguous().data<float>().ToArray();
            var result = new float[n, 2];
            for (long i = 0; i < n; i++)
                for (int c = 0; c < k; c++)
                    result[i, c] = projected[i * k + c];
            var ratio = new double[2];
            for (int c = 0; c < k; c++)
                ratio[c] = total > 0 ? Math.Clamp(eigen[d - 1 - c] / total, 0, 1) : 0; // rounding can leave an eigenvalue just below 0
            return new PcaMap(result, ratio);
        }
    }

    /// <summary>
    /// Exact t-SNE of <paramref name="features"/> [N, D] into 2-D: perplexity-calibrated Gaussian affinities (bisection
    /// on each point's precision), symmetric P, early exaggeration 12 for 250 of 1000 iterations, momentum 0.5 then 0.8,
    /// learning rate max(N / 12 / 4, 50), adaptive gains (+0.2 / ×0.8, floor 0.01). Memory and time per iteration are
    /// O(N²); when N exceeds <paramref name="maxPoints"/>, a seeded random subset of that size is embedded.
    /// The perplexity is capped at (N − 1) / 3 for small N. Deterministic for a given seed and input.
    /// The default of 2,000 points is ProtoCL's choice (exact t-SNE keeps several N x N float64 matrices, 32 MB each at
    /// 2,000 points); perplexity 30 is scikit-learn's and van der Maaten's default.
    /// </summary>
    public static TsneEmbedding Tsne2D(Tensor features, int seed, int maxPoints = 2000, double perplexity = 30)
    {
        CheckFeatures(features);
        if (maxPoints < 1) throw new ArgumentOutOfRangeException(nameof(maxPoints), "maxPoints must be positive");
        if (!(perplexity > 0)) throw new ArgumentOutOfRangeException(nameof(perplexity), "perplexity must be positive");
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            int n = (int)features.shape[0];
            var random = new Random(seed);
            int[] indices = n <= maxPoints ? Enumerable.Range(0, n).ToArray() : Subsample(n, maxPoints, random);
            var x = features.detach().cpu();                                      // [N, D]
            if (indices.Length < n)
                x = x.index_select(0, tensor(indices.Select(i => (long)i).ToArray())); // [M, D]
            double effective = Math.Min(perplexity, Math.Max(1.0, (indices.Length - 1) / 3.0));
            return new TsneEmbedding(Tsne.Embed(x, effective, random), indices);
        }
    }

    /// <summary>
    /// Writes a scatter plot of <paramref name="xy"/> [N, 2] coloured by <paramref name="labels"/>, with a legend
    /// naming each label by <paramref name="classNames"/> (or "label k"; unlabelled points are grey, "no label").
    /// The points are drawn in a seeded random order, not class after class, so that no class always covers the
    /// others where they overlap. The title is <paramref name="title"/> followed by the point count. Beyond 20
    /// distinct labels colours repeat and the legend is left out.
    /// </summary>
    /// <param name="xy">Point positions, [N, 2].</param>
    /// <param name="labels">Label per point (N entries; <see cref="ProtoCL.Data.ImageDataset.Unlabelled"/> for none).</param>
    /// <param name="classNames">Name per label, or null.</param>
    /// <param name="title">What is mapped (method and data); the point count is appended.</param>
    /// <param name="pngPath">Output PNG path.</param>
    /// <param name="xLabel">Horizontal axis label (e.g. <see cref="PcaMap.AxisLabel"/>).</param>
    /// <param name="yLabel">Vertical axis label.</param>
    /// <param name="seed">Seed of the drawing order.</param>
    public static void WritePng(float[,] xy, int[] labels, IReadOnlyList<string>? classNames, string title, string pngPath,
        string xLabel = "dimension 1", string yLabel = "dimension 2", int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(xy);
        ArgumentNullException.ThrowIfNull(labels);
        if (xy.GetLength(1) != 2) throw new ArgumentException("xy must be [N, 2]", nameof(xy));
        if (labels.Length != xy.GetLength(0)) throw new ArgumentException($"{labels.Length} labels for {xy.GetLength(0)} points", nameof(labels));

        int n = labels.Length;
        var plot = PlotPng.Create($"{title}: {n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} point{(n == 1 ? "" : "s")}", xLabel, yLabel);
        var distinct = labels.Distinct().Order().ToArray();
        var coloured = distinct.Where(l => l != ProtoCL.Data.ImageDataset.Unlabelled).ToArray();
        ScottPlot.IPalette palette = coloured.Length <= 10 ? new ScottPlot.Palettes.Category10() : new ScottPlot.Palettes.Category20();
        var colourOf = new Dictionary<int, ScottPlot.Color>();
        for (int c = 0; c < coloured.Length; c++) colourOf[coloured[c]] = palette.GetColor(c);
        colourOf[ProtoCL.Data.ImageDataset.Unlabelled] = NoLabelColour;

        var xs = new double[n];
        var ys = new double[n];
        var colours = new ScottPlot.Color[n];
        for (int i = 0; i < n; i++) (xs[i], ys[i], colours[i]) = (xy[i, 0], xy[i, 1], colourOf[labels[i]]);
        plot.Add.Plottable(new ColouredPoints(xs, ys, colours, DrawingOrder(n, seed), n > 1000 ? 4 : 6));

        if (distinct.Length is > 0 and <= 20)
        {
            foreach (int label in distinct)
                plot.Legend.ManualItems.Add(new ScottPlot.LegendItem
                {
                    LabelText = classNames is not null && label >= 0 && label < classNames.Count ? classNames[label]
                        : label == ProtoCL.Data.ImageDataset.Unlabelled ? "no label" : $"label {label}",
                    MarkerStyle = new ScottPlot.MarkerStyle(ScottPlot.MarkerShape.FilledCircle, LegendMarkerSize, colourOf[label]),
                    LineWidth = 0,
                });
            plot.ShowLegend(ScottPlot.Edge.Right);
        }
        PlotPng.Save(plot, pngPath, 1000, 760);
    }

    /// <summary>Diameter in pixels of a legend marker: large enough to tell the colours apart.</summary>
    internal const float LegendMarkerSize = 13;

    /// <summary>Colour of points without a label (neutral grey, outside both palettes).</summary>
    internal static readonly ScottPlot.Color NoLabelColour = ScottPlot.Color.FromHex("#9a9a9a");

    /// <summary>The order in which the points are drawn: a seeded random permutation of 0..n-1 (Fisher–Yates).</summary>
    internal static int[] DrawingOrder(int n, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        var random = new Random(seed);
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>Filled circles, each with its own colour, drawn in a given order (one plottable for all classes).</summary>
    private sealed class ColouredPoints(double[] xs, double[] ys, ScottPlot.Color[] colours, int[] order, float diameter) : ScottPlot.IPlottable
    {
        public bool IsVisible { get; set; } = true;

        public ScottPlot.IAxes Axes { get; set; } = new ScottPlot.Axes();

        public IEnumerable<ScottPlot.LegendItem> LegendItems => [];

        public ScottPlot.AxisLimits GetAxisLimits()
        {
            var finite = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(xs[i]) && double.IsFinite(ys[i])).ToArray();
            return finite.Length == 0 ? ScottPlot.AxisLimits.NoLimits
                : new ScottPlot.AxisLimits(finite.Min(i => xs[i]), finite.Max(i => xs[i]), finite.Min(i => ys[i]), finite.Max(i => ys[i]));
        }

        public void Render(ScottPlot.RenderPack rp)
        {
            using var paint = new SkiaSharp.SKPaint { IsAntialias = true, Style = SkiaSharp.SKPaintStyle.Fill };
            foreach (int i in order)
            {
                if (!double.IsFinite(xs[i]) || !double.IsFinite(ys[i])) continue;
                var pixel = Axes.GetPixel(new ScottPlot.Coordinates(xs[i], ys[i]));
                paint.Color = colours[i].ToSKColor();
                rp.Canvas.DrawCircle(pixel.X, pixel.Y, diameter / 2, paint);
            }
        }
    }

    /// <summary>A seeded random subset of <paramref name="count"/> indices from 0..n-1, sorted ascending (partial Fisher–Yates).</summary>
    private static int[] Subsample(int n, int count, Random random)
    {
        var all = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < count; i++)
        {
            int j = random.Next(i, n);
            (all[i], all[j]) = (all[j], all[i]);
        }
        var chosen = all[..count];
        Array.Sort(chosen);
        return chosen;
    }

    private static void CheckFeatures(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2 || features.shape[0] < 1 || features.shape[1] < 1)
            throw new ArgumentException("features must be a non-empty tensor [N, D]", nameof(features));
        if (!features.is_floating_point()) throw new ArgumentException("features must be floating point", nameof(features));
    }
}

/// <summary>A PCA map: the points' coordinates on the top two principal components and how much variance each explains.</summary>
/// <param name="Xy">float [N, 2]: the coordinates on components 1 and 2.</param>
/// <param name="ExplainedVarianceRatio">Two shares (0 to 1) of the total variance, components 1 and 2.</param>
public sealed record PcaMap(float[,] Xy, double[] ExplainedVarianceRatio)
{
    /// <summary>Axis label of component <paramref name="component"/> (0 or 1), e.g. "PC 1 (42.5 % of variance)".</summary>
    public string AxisLabel(int component) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, "PC {0} ({1:F1} % of variance)", component + 1, 100 * ExplainedVarianceRatio[component]);
}
