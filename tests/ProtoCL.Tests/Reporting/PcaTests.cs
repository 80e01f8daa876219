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

    [Fact]
    public void Should_ExplainFourFifthsAndOneFifthOfTheVariance_When_PointsAreTheHandWorked2DExample()
    {
        // Points (2, 1), (-2, -1), (-0.5, 1), (0.5, -1): mean 0, scatter matrix Σ x xᵀ = [[8.5, 3], [3, 4]]
        // (Σx² = 4 + 4 + 0.25 + 0.25, Σxy = 2 + 2 - 0.5 - 0.5, Σy² = 1 + 1 + 1 + 1). Its trace is 12.5 and determinant
        // 34 - 9 = 25, so the eigenvalues are (12.5 ± √(12.5² - 4·25)) / 2 = (12.5 ± 7.5) / 2 = 10 and 2.5, with
        // eigenvectors (2, 1)/√5 and (-1, 2)/√5. Dividing by n - 1 scales both alike: the shares are 10 / 12.5 = 0.8 and
        // 2.5 / 12.5 = 0.2. Coordinates: (2, 1)·(2, 1)/√5 = √5 on PC 1 (largest entry positive), and
        // (-0.5, 1)·(-1, 2)/√5 = 2.5/√5 = √5 / 2 on PC 2 (its largest entry, 2, is positive).
        using var x = tensor(new float[] { 2, 1, -2, -1, -0.5f, 1, 0.5f, -1 }).reshape(4, 2);

        var map = EmbeddingMap.Pca(x);

        Assert.Equal(0.8, map.ExplainedVarianceRatio[0], 6);
        Assert.Equal(0.2, map.ExplainedVarianceRatio[1], 6);
        Assert.Equal(Math.Sqrt(5), map.Xy[0, 0], 4);
        Assert.Equal(0.0, map.Xy[0, 1], 4);
        Assert.Equal(0.0, map.Xy[2, 0], 4);
        Assert.Equal(Math.Sqrt(5) / 2, map.Xy[2, 1], 4);
        Assert.Equal("PC 1 (80.0 % of variance)", map.AxisLabel(0));
        Assert.Equal("PC 2 (20.0 % of variance)", map.AxisLabel(1));
    }

    [Fact]
    public void Should_DivideByTheVarianceOfAllComponents_When_AThirdDirectionVaries()
    {
        // The eight corners (±3, ±2, ±1): mean 0, no covariance, Σx² = 8·9 = 72, Σy² = 8·4 = 32, Σz² = 8·1 = 8, total 112.
        // The two components shown explain 72/112 = 9/14 and 32/112 = 2/7; the 1/14 of the z axis is not shown, so the
        // shares add up to 13/14, not 1.
        var corners = new List<float>();
        foreach (var a in new[] { -3f, 3 })
            foreach (var b in new[] { -2f, 2 })
                foreach (var c in new[] { -1f, 1 })
                    corners.AddRange([a, b, c]);
        using var x = tensor(corners.ToArray()).reshape(8, 3);

        var map = EmbeddingMap.Pca(x);

        Assert.Equal(9.0 / 14, map.ExplainedVarianceRatio[0], 6);
        Assert.Equal(2.0 / 7, map.ExplainedVarianceRatio[1], 6);
        Assert.Equal("PC 1 (64.3 % of variance)", map.AxisLabel(0)); // 900/14 = 64.29
        Assert.Equal("PC 2 (28.6 % of variance)", map.AxisLabel(1)); // 200/7 = 28.57
    }

    [Fact]
    public void Should_ExplainNoVariance_When_AllPointsAreEqual()
    {
        using var x = full(5, 3, 2.5f);

        var map = EmbeddingMap.Pca(x);

        Assert.Equal([0.0, 0.0], map.ExplainedVarianceRatio);
    }
}
