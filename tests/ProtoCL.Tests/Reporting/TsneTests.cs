using ProtoCL.Reporting;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Reporting;

public class TsneTests
{
    /// <summary>Three Gaussian blobs (σ = 1) in 10-D with centres 20 apart along separate axes; label = blob.</summary>
    private static (Tensor Features, int[] Labels) Blobs(int perBlob, int seed)
    {
        const int dims = 10;
        var random = new Random(seed);
        var values = new float[3 * perBlob * dims];
        var labels = new int[3 * perBlob];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = i % 3;
            for (int d = 0; d < dims; d++)
            {
                double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
                double noise = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                values[i * dims + d] = (float)(noise + (d == labels[i] ? 20 : 0));
            }
        }
        return (tensor(values).reshape(labels.Length, dims), labels);
    }

    private static double NearestNeighbourAgreement(float[,] xy, int[] labels)
    {
        int n = labels.Length, agree = 0;
        for (int i = 0; i < n; i++)
        {
            int best = -1;
            double bestDistance = double.MaxValue;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double dx = xy[i, 0] - xy[j, 0], dy = xy[i, 1] - xy[j, 1], dist = dx * dx + dy * dy;
                if (dist < bestDistance) (best, bestDistance) = (j, dist);
            }
            if (labels[best] == labels[i]) agree++;
        }
        return (double)agree / n;
    }

    [Fact]
    public void Should_SeparateBlobs_When_ClustersAreWellSeparated()
    {
        var (features, labels) = Blobs(perBlob: 40, seed: 1);
        using var _ = features;

        var map = EmbeddingMap.Tsne2D(features, seed: 3, perplexity: 20);

        Assert.Equal(Enumerable.Range(0, labels.Length), map.Indices);
        Assert.Equal(labels.Length, map.Xy.GetLength(0));
        Assert.True(map.Xy.Cast<float>().All(float.IsFinite));
        Assert.True(NearestNeighbourAgreement(map.Xy, labels) >= 0.95);
    }

    [Fact]
    public void Should_GiveIdenticalLayouts_When_SeedIsRepeated()
    {
        var (features, _) = Blobs(perBlob: 20, seed: 2);
        using var _f = features;

        var first = EmbeddingMap.Tsne2D(features, seed: 11, perplexity: 10);
        var second = EmbeddingMap.Tsne2D(features, seed: 11, perplexity: 10);
        var other = EmbeddingMap.Tsne2D(features, seed: 12, perplexity: 10);

        Assert.Equal(first.Xy.Cast<float>(), second.Xy.Cast<float>());
        Assert.NotEqual(first.Xy.Cast<float>(), other.Xy.Cast<float>());
    }

    [Fact]
    public void Should_EmbedSeededSortedSubset_When_MorePointsThanMaximum()
    {
        var (features, labels) = Blobs(perBlob: 30, seed: 4);
        using var _f = features;

        var map = EmbeddingMap.Tsne2D(features, seed: 5, maxPoints: 45);
        var again = EmbeddingMap.Tsne2D(features, seed: 5, maxPoints: 45);

        Assert.Equal(45, map.Count);
        Assert.Equal(45, map.Xy.GetLength(0));
        Assert.Equal(map.Indices.Order(), map.Indices);
        Assert.Equal(45, map.Indices.Distinct().Count());
        Assert.All(map.Indices, i => Assert.InRange(i, 0, labels.Length - 1));
        Assert.Equal(map.Indices, again.Indices);
        Assert.Equal(map.Indices.Select(i => labels[i]), map.Select(labels));
    }

    [Fact]
    public void Should_MatchPerplexityInEveryRow_When_CalibratingAffinities()
    {
        var (features, _) = Blobs(perBlob: 20, seed: 6);
        using var _f = features;
        using var x = features.to(ScalarType.Float64);
        const double perplexity = 8;

        using var conditional = Tsne.ConditionalProbabilities(x, perplexity);    // [60, 60]
        using var joint = Tsne.JointProbabilities(x, perplexity);                // [60, 60]

        var p = conditional.data<double>().ToArray();
        for (int i = 0; i < 60; i++)
        {
            var row = p.AsSpan(i * 60, 60).ToArray();
            Assert.Equal(0.0, row[i]);
            Assert.Equal(1.0, row.Sum(), 9);
            double entropy = -row.Where(v => v > 0).Sum(v => v * Math.Log(v)); // nats
            Assert.Equal(perplexity, Math.Exp(entropy), 3);
        }
        Assert.Equal(1.0, joint.sum().item<double>(), 6); // entries are floored at 1e-12 after normalising
        Assert.True(joint.allclose(joint.t()));
    }
}
