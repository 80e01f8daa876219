using ProtoCL.Clustering;
using static ProtoCL.Tests.Clustering.ClusteringData;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Clustering;

public class EStepTests
{
    private static readonly KMeansOptions Quick = new() { Iterations = 6, Restarts = 2 };

    [Fact]
    public void Should_SeedLevelsByIndexAndNormaliseAfterPhi_When_Clustering()
    {
        using var scope = NewDisposeScope();
        var x = Random(400, 8, seed: 31, normalise: true);
        using var result = EStep.Cluster(x, new[] { 5, 9 }, 0.2, Quick);

        Assert.Equal(new[] { 5, 9 }, result.Levels.Select(l => l.K));
        for (int m = 0; m < 2; m++)
        {
            var level = result.Levels[m];
            // Level m is k-means with Seed = m, as run_kmeans's enumerate(num_cluster); phi uses the raw centroids.
            using var reference = KMeans.Fit(x, level.K, Quick with { Seed = m });
            Assert.True(Identical(level.Assignments, reference.Assignments));
            Assert.Equal(reference.Objective, level.Objective);
            // phi by a plain per-cluster loop (METHOD.md "Concentration phi", alpha = 10) over the level's own assignments
            // and the raw (not yet normalised) k-means centroids.
            var rawCentroids = Rows(reference.Centroids);
            var expectedPhi = NaivePhi(Rows(x), rawCentroids, level.Assignments.data<long>().ToArray(), level.K, 0.2, 10.0);
            var phi = level.Phi.data<float>().ToArray();
            Assert.Equal(level.K, phi.Length);
            for (int c = 0; c < level.K; c++) Assert.Equal(expectedPhi[c], phi[c], 1e-5 * expectedPhi[c]);
            // The prototypes are those centroids divided by their length, row by row.
            var prototypes = Rows(level.Centroids);
            for (int c = 0; c < level.K; c++)
            {
                double length = Math.Sqrt(rawCentroids[c].Sum(v => v * v));
                for (int j = 0; j < rawCentroids[c].Length; j++) Assert.Equal(rawCentroids[c][j] / length, prototypes[c][j], 1e-6);
            }
            Assert.Equal(0.2, level.Phi.mean().item<float>(), 1e-6);
            Assert.True(level.KMeansSeconds > 0 && level.PhiSeconds > 0);
            Assert.False(level.LooksCollapsed, level.CollapseReason);
        }
        Assert.False(result.LooksCollapsed);
    }

    [Fact]
    public void Should_RoundTrip_When_SavedAndLoaded()
    {
        using var scope = NewDisposeScope();
        var dir = Path.Combine(Path.GetTempPath(), "protocl-clusters-" + Guid.NewGuid().ToString("N"));
        try
        {
            var x = Random(200, 6, seed: 32, normalise: true);
            using var saved = EStep.Cluster(x, new[] { 4, 7 }, 0.1, Quick);
            saved.Save(dir);
            foreach (var f in new[] { "level0-k4-centroids.npy", "level0-k4-phi.npy", "level0-k4-assignments.npy", "level1-k7-centroids.npy", "clusters.json" })
                Assert.True(File.Exists(Path.Combine(dir, f)), f);
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));

            using var loaded = ClusterResult.Load(dir);
            Assert.Equal(saved.Levels.Count, loaded.Levels.Count);
            for (int m = 0; m < saved.Levels.Count; m++)
            {
                ClusterLevel a = saved.Levels[m], b = loaded.Levels[m];
                Assert.Equal(a.K, b.K);
                Assert.True(Identical(a.Centroids, b.Centroids));
                Assert.True(Identical(a.Phi, b.Phi));
                Assert.True(Identical(a.Assignments, b.Assignments));
                Assert.Equal(a.Objective, b.Objective);
                Assert.Equal(a.KMeansSeconds, b.KMeansSeconds);
                Assert.Equal(a.PhiSeconds, b.PhiSeconds);
                Assert.Equal(a.EmptyClusterSplits, b.EmptyClusterSplits);
                Assert.Equal(a.Warnings, b.Warnings);
                Assert.Equal(a.CollapseReason, b.CollapseReason);
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Should_LeaveNoLiveTensors_When_ResultIsDisposed()
    {
        using var x = Random(300, 6, seed: 35, normalise: true).DetachFromDisposeScope();
        var stats = TorchSharp.DisposeScopeManager.Statistics;
        long before = stats.ThreadTotalLiveCount;
        using (var result = EStep.Cluster(x, new[] { 5, 8 }, 0.2, Quick))
        {
            Assert.Equal(2, result.Levels.Count);
        }
        Assert.Equal(before, stats.ThreadTotalLiveCount);
    }

    [Fact]
    public void Should_FailClearly_When_LoadingFolderWithoutManifest()
    {
        var dir = Path.Combine(Path.GetTempPath(), "protocl-empty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var e = Assert.Throws<FileNotFoundException>(() => ClusterResult.Load(dir));
            Assert.Contains("clusters.json", e.Message);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void Should_LookCollapsed_When_FeaturesAreIdentical()
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.normalize(ones(120, 8), p: 2, dim: 1);                          // every image at one point
        using var result = EStep.Cluster(x, new[] { 6 }, 0.2, Quick);
        Assert.True(result.LooksCollapsed);
        Assert.Contains("features barely vary", result.CollapseReason);
        Assert.True(result.Levels[0].Phi.isfinite().all().item<bool>());
    }

    [Fact]
    public void Should_LookCollapsed_When_MostClustersHaveAtMostOneMember()
    {
        using var scope = NewDisposeScope();
        // Two groups of exact duplicates and a few stragglers: duplicates tie and go to one cluster each,
        // so with K = 10 most clusters end up with at most one member although the features do spread.
        var x = nn.functional.normalize(cat(new[] { ones(60, 4), ones(60, 4).mul(-1), Random(4, 4, seed: 33) }, 0), p: 2, dim: 1); // [124, 4]
        using var result = EStep.Cluster(x, new[] { 10 }, 0.2, Quick);
        Assert.True(result.LooksCollapsed, "expected a collapse warning");
        Assert.Contains("at most one member", result.CollapseReason);
    }
}
