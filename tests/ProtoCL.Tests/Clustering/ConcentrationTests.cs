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

        var expected = ClusteringData.NaivePhi(Rows(x), Rows(centroids), labels, k, temperature, alpha);
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
    public void Should_ClampToThePercentilesAndRescale_When_ClustersSpreadDifferently()
    {
        using var scope = NewDisposeScope();
        // Three clusters of four points each at distance 1, 2 and 4 from their centre: raw phi = Z d / (Z log(Z + 10))
        // = d / log 14, i.e. (1, 2, 4) / log 14 (the common factor 1 / log 14 cancels in the rescale).
        // numpy's linear percentile on the sorted (1, 2, 4): the 10th at position 0.1 * 2 = 0.2 -> 1 + 0.2 * (2 - 1) = 1.2;
        // the 90th at position 1.8 -> 2 + 0.8 * (4 - 2) = 3.6. Clamped: (1.2, 2, 3.6), mean 6.8 / 3.
        // Rescaled to mean 0.2: phi = 0.2 * v * 3 / 6.8 = (0.72, 1.2, 2.16) / 6.8 = (0.105882..., 0.176470..., 0.317647...).
        var x = tensor(new float[,]
        {
            { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 },         // cluster 0 around (0, 0), distance 1
            { 12, 0 }, { 8, 0 }, { 10, 2 }, { 10, -2 },       // cluster 1 around (10, 0), distance 2
            { 4, 10 }, { -4, 10 }, { 0, 14 }, { 0, 6 },       // cluster 2 around (0, 10), distance 4
        });
        var centroids = tensor(new float[,] { { 0, 0 }, { 10, 0 }, { 0, 10 } });
        var assignments = tensor(new long[] { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2 });

        var phi = Concentration.Estimate(x, centroids, assignments, 0.2).data<float>().ToArray();

        Assert.Equal(0.72 / 6.8, phi[0], 6);
        Assert.Equal(1.2 / 6.8, phi[1], 6);
        Assert.Equal(2.16 / 6.8, phi[2], 6);
        // Without the clamp the rescaled values would be 0.2 * (1, 2, 4) * 3 / 7 = (0.0857, 0.1714, 0.3429): the clamp counts.
        Assert.NotEqual(0.6 / 7, phi[0], 3);
    }

    [Fact]
    public void Should_Throw_When_TemperatureIsNotPositive()
    {
        using var scope = NewDisposeScope();
        var x = Random(10, 3, seed: 24);
        var e = Assert.Throws<ArgumentException>(() => Concentration.Estimate(x, x.narrow(0, 0, 2), zeros(10, int64), 0));
        Assert.Contains("Temperature", e.Message);
    }
}
