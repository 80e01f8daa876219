using ProtoCL.Clustering;
using static ProtoCL.Tests.Clustering.ClusteringData;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Clustering;

public class ConcentrationTests
{
    [Theory]
    [InlineData(10.0, 0.2)]
    [InlineData(3.0, 0.1)]
    public void Should_MatchNaivePerClusterLoop_When_ClustersHaveMixedSizes(double alpha, double temperature)
    {
        using var scope = NewDisposeScope();
        const int k = 12, n = 90;
        var x = Random(n, 5, seed: 21);
        var centroids = Random(k, 5, seed: 22).mul(0.5);
        // Uneven sizes, cluster 3 empty and clusters 7 and 10 singletons, so every rule of METHOD.md is exercised.
        var rng = new Random(23);
        var labels = Enumerable.Range(0, n).Select(i => i == 0 ? 7L : i == 1 ? 10L : (long)new[] { 0, 1, 1, 2, 4, 5, 5, 5, 6, 8, 9, 11 }[rng.Next(12)]).ToArray();
        var assignments = tensor(labels);

        var phi = Concentration.Estimate(x, centroids, assignments, temperature, alpha).data<float>().ToArray();

        var expected = NaivePhi(Rows(x), Rows(centroids), labels, k, temperature, alpha);
        Assert.Equal(k, phi.Length);
        for (int c = 0; c < k; c++) Assert.Equal(expected[c], phi[c], 1e-5 * expected[c]);
        Assert.Equal(temperature, phi.Average(), 1e-6);
    }

    [Fact]
    public void Should_GiveEqualPhi_When_ClustersAreCongruent()
    {
        using var scope = NewDisposeScope();
        // Two clusters of four points at distance 1 from their centre: phi = 4 / (4 log 14) each, rescaled to the temperature.
        var x = tensor(new float[,] { { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 }, { 11, 0 }, { 9, 0 }, { 10, 1 }, { 10, -1 } });
        var centroids = tensor(new float[,] { { 0, 0 }, { 10, 0 } });
        var phi = Concentration.Estimate(x, centroids, tensor(new long[] { 0, 0, 0, 0, 1, 1, 1, 1 }), 0.2).data<float>().ToArray();
        Assert.Equal(new[] { 0.2f, 0.2f }, phi);
    }

    [Fact]
    public void Should_Throw_When_TemperatureIsNotPositive()
    {
        using var scope = NewDisposeScope();
        var x = Random(10, 3, seed: 24);
        var e = Assert.Throws<ArgumentException>(() => Concentration.Estimate(x, x.narrow(0, 0, 2), zeros(10, int64), 0));
        Assert.Contains("Temperature", e.Message);
    }

    /// <summary>METHOD.md "Concentration phi" step by step, one cluster at a time, with numpy's linear-interpolation percentile on a sorted copy.</summary>
    private static double[] NaivePhi(double[][] x, double[][] centroids, long[] labels, int k, double temperature, double alpha)
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
