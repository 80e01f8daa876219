using static TorchSharp.torch;

namespace ProtoCL.Tests.Clustering;

/// <summary>Seeded synthetic features for the clustering tests, and naive reference computations on host arrays.</summary>
internal static class ClusteringData
{
    /// <summary>
    /// 50 points around each corner of a square of side 8 in 2-D (unit Gaussian noise), with the generating label
    /// of each point: separable, so the lowest-objective 4-means partition is the generating one.
    /// </summary>
    public static (Tensor X, long[] Labels) SquareBlobs(ulong seed)
    {
        using var g = new Generator(seed);
        var centres = tensor(new float[,] { { 0, 0 }, { 8, 0 }, { 0, 8 }, { 8, 8 } });          // [4, 2]
        var labels = arange(4, int64).repeat_interleave(50);                                     // [200]
        var x = centres.index_select(0, labels).add_(randn(new long[] { 200, 2 }, generator: g)); // [200, 2]
        return (x, labels.data<long>().ToArray());
    }

    /// <summary>Gaussian points, L2-normalised when asked, float32 [N, D].</summary>
    public static Tensor Random(int n, int dims, ulong seed, bool normalise = false)
    {
        using var g = new Generator(seed);
        var x = randn(new long[] { n, dims }, generator: g);                                    // [N, D]
        return normalise ? nn.functional.normalize(x, p: 2, dim: 1) : x;
    }

    /// <summary>Same shape and the same values, element for element.</summary>
    public static bool Identical(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    public static double[][] Rows(Tensor t)
    {
        var flat = t.to(float64).contiguous().data<double>().ToArray();
        int cols = (int)t.shape[1];
        return Enumerable.Range(0, (int)t.shape[0]).Select(i => flat.AsSpan(i * cols, cols).ToArray()).ToArray();
    }

    public static double SquaredDistance(double[] a, double[] b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) s += (a[j] - b[j]) * (a[j] - b[j]);
        return s;
    }

    /// <summary>Index of the nearest centroid (first on ties) and the squared distances to all centroids, by a plain loop.</summary>
    public static (int Best, double[] Distances) Nearest(double[] point, double[][] centroids)
    {
        var d = centroids.Select(c => SquaredDistance(point, c)).ToArray();
        int best = 0;
        for (int c = 1; c < d.Length; c++) if (d[c] < d[best]) best = c;
        return (best, d);
    }

    /// <summary>METHOD.md "Concentration phi" step by step, one cluster at a time, with numpy's linear-interpolation percentile on a sorted copy.</summary>
    public static double[] NaivePhi(double[][] x, double[][] centroids, long[] labels, int k, double temperature, double alpha)
    {
        var phi = new double[k];
        var z = new int[k];
        for (int c = 0; c < k; c++)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (labels[i] != c) continue;
                z[c]++;
                sum += Math.Sqrt(SquaredDistance(x[i], centroids[c]));
            }
            if (z[c] > 1) phi[c] = sum / (z[c] * Math.Log(z[c] + alpha));
        }
        double max = Enumerable.Range(0, k).Where(c => z[c] > 1).Max(c => phi[c]);
        for (int c = 0; c < k; c++) if (z[c] <= 1) phi[c] = max;

        var sorted = phi.OrderBy(v => v).ToArray();
        double Percentile(double q)
        {
            double pos = q * (k - 1);
            int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, k - 1);
            return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
        }
        double p10 = Percentile(0.10), p90 = Percentile(0.90);
        for (int c = 0; c < k; c++) phi[c] = Math.Clamp(phi[c], p10, p90);
        double mean = phi.Average();
        return phi.Select(v => temperature * v / mean).ToArray();
    }
}
