using ProtoCL.Evaluation;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Evaluation;

public class ClusterEvaluationTests
{
    [Fact]
    public void Should_RecoverTheClasses_When_BlobsAreWellSeparated()
    {
        var (features, labels) = Blobs.Make(classes: 6, perClass: 50, dim: 10, separation: 5.0, noise: 0.3, seed: 41);
        using (features)
        {
            var result = ClusterEvaluation.Evaluate(features, labels, restarts: 5, seed: 2);
            Assert.Equal(1.0, result.Ami, 9);
            Assert.Equal(1.0, result.Nmi, 9);
            Assert.Equal(1.0, result.Accuracy);
            Assert.Equal(6, result.K);
            Assert.Equal(5, result.Restarts);
        }
    }

    [Fact]
    public void Should_ReportConsistentInertiaAndNearestCentroids_When_Converged()
    {
        var (features, _) = Blobs.Make(classes: 4, perClass: 60, dim: 5, separation: 1.0, noise: 1.0, seed: 42);
        using (features)
        {
            var fit = EvalKMeans.Fit(features, k: 4, restarts: 3, seed: 1);
            using var centroids = fit.Centroids;
            Assert.True(fit.Converged);
            var x = features.data<float>().ToArray();
            var c = centroids.data<float>().ToArray();
            int n = 240, d = 5, k = 4;
            double inertia = 0;
            for (int i = 0; i < n; i++)
            {
                var distances = Enumerable.Range(0, k).Select(j => Enumerable.Range(0, d).Sum(t => Math.Pow(x[i * d + t] - c[j * d + t], 2))).ToArray();
                // Lloyd's fixed point: every point sits with its nearest centroid (up to float rounding).
                Assert.True(distances[fit.Assignments[i]] <= distances.Min() + 1e-4);
                inertia += distances[fit.Assignments[i]];
            }
            Assert.Equal(inertia, fit.Inertia, 1e-3 * inertia);
            // Each centroid is the mean of its members.
            for (int j = 0; j < k; j++)
            {
                var members = Enumerable.Range(0, n).Where(i => fit.Assignments[i] == j).ToArray();
                Assert.NotEmpty(members);
                for (int t = 0; t < d; t++) Assert.Equal(members.Average(i => x[i * d + t]), c[j * d + t], 1e-4);
            }
        }
    }

    [Fact]
    public void Should_NeverGetWorse_When_RestartsIncrease()
    {
        var (features, _) = Blobs.Make(classes: 8, perClass: 30, dim: 8, separation: 0.8, noise: 1.0, seed: 43);
        using (features)
        {
            // The first restarts of a longer run are the same draws, so the best can only improve.
            var one = EvalKMeans.Fit(features, k: 8, restarts: 1, seed: 5);
            var six = EvalKMeans.Fit(features, k: 8, restarts: 6, seed: 5);
            one.Centroids.Dispose();
            six.Centroids.Dispose();
            Assert.True(six.Inertia <= one.Inertia + 1e-9);
        }
    }

    [Fact]
    public void Should_Fail_When_FewerPointsThanClusters()
    {
        using var features = randn(3, 2);
        Assert.Throws<ArgumentException>(() => EvalKMeans.Fit(features, k: 4));
    }

    [Fact]
    public void Should_HandleDuplicatePoints_When_ClustersWouldBeEmpty()
    {
        // Five copies of two distinct points, asked for three clusters: one cluster must stay or become empty-safe.
        var data = new float[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
        using var features = tensor(data).reshape(10, 2);
        var fit = EvalKMeans.Fit(features, k: 3, restarts: 2, seed: 0);
        fit.Centroids.Dispose();
        Assert.Equal(0.0, fit.Inertia, 9);
    }

    [Fact]
    public void Should_ScoreGivenAssignments_When_TheyComeFromElsewhere()
    {
        int[] labels = [0, 0, 1, 1, 2, 2];
        var result = ClusterEvaluation.ScoreAssignments(labels, [4, 4, 5, 5, 6, 6]);
        Assert.Equal(1.0, result.Ami, 12);
        Assert.Equal(3, result.K);
        Assert.Equal(0, result.Restarts);
        Assert.Equal("cluster", ClusterResultMetrics.Protocol);
    }
}
