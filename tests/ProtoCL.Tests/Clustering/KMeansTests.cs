using ProtoCL.Clustering;
using static ProtoCL.Tests.Clustering.ClusteringData;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Clustering;

public class KMeansTests
{
    private static readonly KMeansOptions Quick = new() { Iterations = 10, Restarts = 3 };

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Should_RecoverGeneratingLabels_When_BlobsAreSeparable(ulong seed)
    {
        using var scope = NewDisposeScope();
        var (x, labels) = SquareBlobs(seed);
        using var result = KMeans.Fit(x, 4, new KMeansOptions { Iterations = 10, Seed = (int)seed });
        var assigned = result.Assignments.data<long>().ToArray();
        // Same partition up to permutation: label -> cluster is a function, and it is one-to-one.
        var map = new Dictionary<long, long>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (!map.TryAdd(labels[i], assigned[i])) Assert.Equal(map[labels[i]], assigned[i]);
        }
        Assert.Equal(4, map.Values.Distinct().Count());
    }

    [Fact]
    public void Should_NeverRaiseObjective_When_Iterating()
    {
        using var scope = NewDisposeScope();
        var x = Random(600, 16, seed: 2, normalise: true);
        using var result = KMeans.Fit(x, 25, new KMeansOptions { Iterations = 15, Restarts = 2 });
        var h = result.ObjectiveHistory;
        Assert.Equal(15, h.Count);
        // Lloyd's steps cannot raise the objective; allow float32 rounding of the distances.
        for (int i = 1; i < h.Count; i++) Assert.True(h[i] <= h[i - 1] * (1 + 1e-5), $"objective rose at iteration {i}: {h[i - 1]} -> {h[i]}");
    }

    [Fact]
    public void Should_NotBeWorse_When_MoreRestartsWithSameSeed()
    {
        using var scope = NewDisposeScope();
        var x = Random(800, 8, seed: 3);
        using var one = KMeans.Fit(x, 30, new KMeansOptions { Iterations = 8, Restarts = 1, Seed = 5 });
        using var five = KMeans.Fit(x, 30, new KMeansOptions { Iterations = 8, Restarts = 5, Seed = 5 });
        // Restart 0 is the same run in both, so keeping the best of five can only match or improve it.
        Assert.True(five.ObjectiveHistory[^1] <= one.ObjectiveHistory[^1]);
        Assert.Equal(0, one.BestRestart);
        Assert.InRange(five.BestRestart, 0, 4);
    }

    [Fact]
    public void Should_SplitEmptyClusters_When_PointsAreDuplicated()
    {
        using var scope = NewDisposeScope();
        // 35 copies of one point and 5 others: initial centroids repeat, ties go to the first copy, the rest empty out.
        var x = cat(new[] { ones(35, 4), Random(5, 4, seed: 4).mul(5) }, 0);                  // [40, 4]
        using var result = KMeans.Fit(x, 8, new KMeansOptions { Iterations = 5, Restarts = 2 });
        Assert.True(result.EmptyClusterSplits > 0);
        Assert.True(result.Centroids.isfinite().all().item<bool>());
        Assert.True(result.Objective >= 0 && double.IsFinite(result.Objective));
    }

    [Fact]
    public void Should_StayFinite_When_KIsCloseToN()
    {
        using var scope = NewDisposeScope();
        var x = Random(20, 6, seed: 5);
        using var result = KMeans.Fit(x, 19, new KMeansOptions { Iterations = 6, Restarts = 2 });
        Assert.True(result.Centroids.isfinite().all().item<bool>());
        var a = result.Assignments.data<long>().ToArray();
        Assert.All(a, c => Assert.InRange(c, 0, 18));
        Assert.Contains(result.Warnings, w => w.Contains("fewer than"));
    }

    [Theory]
    [InlineData(1, "at least 2")]
    [InlineData(0, "at least 2")]
    [InlineData(50, "smaller than the number of images N")]
    [InlineData(60, "smaller than the number of images N")]
    public void Should_Throw_When_KIsOutOfRange(int k, string message)
    {
        using var scope = NewDisposeScope();
        var x = Random(50, 4, seed: 6);
        var e = Assert.Throws<ArgumentException>(() => KMeans.Fit(x, k, Quick));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Should_Throw_When_FeaturesAreNotFinite(double bad)
    {
        using var scope = NewDisposeScope();
        var x = Random(50, 4, seed: 7);
        x[17, 2] = tensor((float)bad);
        var e = Assert.Throws<ArgumentException>(() => KMeans.Fit(x, 5, Quick));
        Assert.Contains("NaN or infinity", e.Message);
    }

    [Fact]
    public void Should_AssignEveryPointToNearestCentroid_When_ComparedWithNaiveLoop()
    {
        using var scope = NewDisposeScope();
        var x = Random(700, 12, seed: 8, normalise: true);
        using var result = KMeans.Fit(x, 23, new KMeansOptions { Iterations = 5, Restarts = 2, BlockRows = 64 });
        AssertNearest(x, result);
    }

    [Fact]
    public void Should_TrainOnSubsampleAndAssignAll_When_NExceedsKTimesMax()
    {
        using var scope = NewDisposeScope();
        var x = Random(1000, 6, seed: 9);
        using var result = KMeans.Fit(x, 4, new KMeansOptions { Iterations = 5, Restarts = 2, MaxPointsPerCentroid = 50 });
        Assert.Equal(200, result.TrainingPoints);
        Assert.Equal(1000, result.Assignments.shape[0]);
        AssertNearest(x, result);
    }

    [Fact]
    public void Should_RepeatExactly_When_SeedAndThreadsRepeat()
    {
        using var scope = NewDisposeScope();
        var x = Random(500, 10, seed: 10);
        var options = new KMeansOptions { Iterations = 6, Restarts = 3, Seed = 11 };
        using var a = KMeans.Fit(x, 12, options);
        using var b = KMeans.Fit(x, 12, options);
        Assert.True(Identical(a.Centroids, b.Centroids));
        Assert.True(Identical(a.Assignments, b.Assignments));
        Assert.Equal(a.ObjectiveHistory, b.ObjectiveHistory);
        Assert.Equal(a.BestRestart, b.BestRestart);
    }

    [Fact]
    public void Should_GiveSameAssignments_When_BlockSizeChanges()
    {
        using var scope = NewDisposeScope();
        var x = Random(300, 8, seed: 12);
        var options = new KMeansOptions { Iterations = 4, Restarts = 2 };
        using var whole = KMeans.Fit(x, 9, options with { BlockRows = 300 });
        using var blocked = KMeans.Fit(x, 9, options with { BlockRows = 37 });
        Assert.True(Identical(whole.Assignments, blocked.Assignments));
        Assert.True(whole.Centroids.allclose(blocked.Centroids, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Should_ReportEveryIteration_When_ProgressIsGiven()
    {
        using var scope = NewDisposeScope();
        var x = Random(100, 4, seed: 13);
        var calls = new List<(int Done, int Total)>();
        using var result = KMeans.Fit(x, 3, new KMeansOptions { Iterations = 4, Restarts = 3 }, (d, t) => calls.Add((d, t)));
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (i, 12)), calls);
    }

    /// <summary>Assignments and objective against a double-precision loop over all centroids; a mismatch is only allowed on a near tie.</summary>
    private static void AssertNearest(Tensor x, KMeansResult result)
    {
        var points = Rows(x);
        var centroids = Rows(result.Centroids);
        var assigned = result.Assignments.data<long>().ToArray();
        double objective = 0;
        for (int i = 0; i < points.Length; i++)
        {
            var (best, d) = Nearest(points[i], centroids);
            objective += d[best];
            if (assigned[i] != best)
                Assert.True(d[assigned[i]] - d[best] <= 1e-5 * (1 + d[best]), $"point {i}: assigned {assigned[i]} at {d[assigned[i]]}, nearest {best} at {d[best]}");
        }
        Assert.Equal(objective, result.Objective, objective * 1e-5);
    }
}
