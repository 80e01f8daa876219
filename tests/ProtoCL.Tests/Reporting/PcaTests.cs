using ProtoCL.Reporting;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Reporting;

public class PcaTests
{
    [Fact]
    public void Should_ProjectOntoLineDirection_When_PointsLieOnALine()
    {
        // Points (t, 2t, 0): the only direction with variance is (1, 2, 0)/√5, whose largest entry 2/√5 is positive
        // under the sign convention, so coordinate 1 is (x - x̄)·(1, 2, 0)/√5 = √5 (t - t̄) and coordinate 2 is 0.
        double[] t = [-2, -1, 0, 1, 3]; // mean 0.2
        using var x = tensor(t.SelectMany(v => new[] { (float)v, (float)(2 * v), 0f }).ToArray()).reshape(5, 3);

        var xy = EmbeddingMap.Pca2D(x);

        Assert.Equal(5, xy.GetLength(0));
        Assert.Equal(2, xy.GetLength(1));
        for (int i = 0; i < t.Length; i++)
        {
            Assert.Equal(Math.Sqrt(5) * (t[i] - 0.2), xy[i, 0], 4);
            Assert.Equal(0.0, xy[i, 1], 4);
        }
    }

    [Fact]
    public void Should_RecoverPlaneAxesInVarianceOrder_When_PointsLieOnAShiftedPlane()
    {
        // x = (5, -2, 7) + a·u + b·v with u = (1, 1, 0)/√2, v = (0, 0, 1); a ∈ {-3, -1, 1, 3}, b ∈ {-1, 1} on a grid,
        // so mean(a) = mean(b) = 0, var(a) = 20/4 = 5 > var(b) = 1 and a, b are uncorrelated.
        // Component 1 is u (tie between its two equal entries: the first is positive), component 2 is v: coordinates (a, b).
        double s = 1 / Math.Sqrt(2);
        var points = new List<float>();
        var expected = new List<(double a, double b)>();
        foreach (var a in new[] { -3.0, -1, 1, 3 })
            foreach (var b in new[] { -1.0, 1 })
            {
                points.AddRange([(float)(5 + a * s), (float)(-2 + a * s), (float)(7 + b)]);
                expected.Add((a, b));
            }
        using var x = tensor(points.ToArray()).reshape(expected.Count, 3);

        var xy = EmbeddingMap.Pca2D(x);

        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].a, xy[i, 0], 4);
            Assert.Equal(expected[i].b, xy[i, 1], 4);
        }
        double Variance(int c) => Enumerable.Range(0, expected.Count).Select(i => (double)xy[i, c] * xy[i, c]).Average();
        Assert.True(Variance(0) > Variance(1));
        Assert.Equal(5.0, Variance(0), 3);
        Assert.Equal(1.0, Variance(1), 3);
    }
}
