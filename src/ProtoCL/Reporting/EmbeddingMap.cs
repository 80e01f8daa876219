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
    /// </summary>
    public static float[,] Pca2D(Tensor features)
    {
        CheckFeatures(features);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            long n = features.shape[0], d = features.shape[1];
            var x = features.detach().cpu().to(ScalarType.Float64);               // [N, D]
            var xc = x - x.mean([0], keepdim: true);                              // [N, D]
            var cov = xc.t().mm(xc) / Math.Max(n - 1, 1);                         // [D, D]
            var (_, vectors) = linalg.eigh(cov);                                  // [D, D], columns by ascending eigenvalue
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
            var projected = xc.mm(tensor(w, dtype: ScalarType.Float64).reshape(d, k)) // [N, k]
                .to(ScalarType.Float32).contiguous().data<float>().ToArray();
            var result = new float[n, 2];
            for (long i = 0; i < n; i++)
                for (int c = 0; c < k; c++)
                    result[i, c] = projected[i * k + c];
            return result;
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
    /// naming each label by <paramref name="classNames"/> (or "label k"). Beyond 20 distinct labels colours repeat
    /// and the legend is left out.
    /// </summary>
    public static void WritePng(float[,] xy, int[] labels, IReadOnlyList<string>? classNames, string title, string pngPath)
    {
        ArgumentNullException.ThrowIfNull(xy);
        ArgumentNullException.ThrowIfNull(labels);
        if (xy.GetLength(1) != 2) throw new ArgumentException("xy must be [N, 2]", nameof(xy));
        if (labels.Length != xy.GetLength(0)) throw new ArgumentException($"{labels.Length} labels for {xy.GetLength(0)} points", nameof(labels));

        var plot = PlotPng.Create(title, "dimension 1", "dimension 2");
        var distinct = labels.Distinct().Order().ToArray();
        ScottPlot.IPalette palette = distinct.Length <= 10 ? new ScottPlot.Palettes.Category10() : new ScottPlot.Palettes.Category20();
        float size = labels.Length > 1000 ? 3 : 5;
        for (int c = 0; c < distinct.Length; c++)
        {
            int label = distinct[c];
            var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).ToArray();
            double[] xs = rows.Select(i => (double)xy[i, 0]).ToArray();
            double[] ys = rows.Select(i => (double)xy[i, 1]).ToArray();
            var markers = plot.Add.Markers(xs, ys, ScottPlot.MarkerShape.FilledCircle, size, palette.GetColor(c));
            markers.LegendText = classNames is not null && label >= 0 && label < classNames.Count ? classNames[label] : label == ProtoCL.Data.ImageDataset.Unlabelled ? "no label" : $"label {label}";
        }
        if (distinct.Length is > 0 and <= 20) plot.ShowLegend(ScottPlot.Edge.Right);
        PlotPng.Save(plot, pngPath, 1000, 760);
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
