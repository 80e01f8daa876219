using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Clustering;

/// <summary>
/// The E-step of PCL (Li et al., ICLR 2021; METHOD.md "Idea"): k-means at every granularity K_m of the
/// L2-normalised momentum-encoder features, the concentration phi of each cluster, then the prototypes
/// normalised, as salesforce/PCL main_pcl.py run_kmeans does for each level.
/// </summary>
public static class EStep
{
    /// <summary>Clusters <paramref name="features"/> once per K in <paramref name="ks"/>.</summary>
    /// <param name="features">embeddings of all training images, float32 [N, D], L2-normalised</param>
    /// <param name="ks">number of clusters per level, e.g. 25000, 50000, 100000 on ImageNet</param>
    /// <param name="temperature">mean phi per level (run_kmeans rescales to args.temperature, 0.2 in the released command line)</param>
    /// <param name="baseOptions">
    /// k-means settings; level m runs with Seed = baseOptions.Seed + m, which with the default Seed = 0 is the
    /// reference's <c>clus.seed = seed</c> for <c>seed, num_cluster in enumerate(num_cluster)</c>
    /// </param>
    /// <param name="progress">called with ("level m (K = ...)", iterations done, iterations in that level)</param>
    public static ClusterResult Cluster(Tensor features, IReadOnlyList<int> ks, double temperature, KMeansOptions baseOptions,
        Action<string, int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(ks);
        ArgumentNullException.ThrowIfNull(baseOptions);
        if (ks.Count == 0)
            throw new ArgumentException("Give at least one number of clusters K.", nameof(ks));
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentException($"Temperature must be a positive number (got {temperature}).", nameof(temperature));

        using var noGrad = no_grad();
        double spread = CollapseCheck.FeatureSpread(features);
        var levels = new List<ClusterLevel>(ks.Count);
        try
        {
            for (int m = 0; m < ks.Count; m++)
                levels.Add(RunLevel(features, m, ks[m], temperature, baseOptions with { Seed = baseOptions.Seed + m }, spread, progress));
        }
        catch
        {
            foreach (var level in levels) level.Dispose();
            throw;
        }
        return new ClusterResult(levels);
    }

    private static ClusterLevel RunLevel(Tensor features, int m, int k, double temperature, KMeansOptions options, double spread,
        Action<string, int, int>? progress)
    {
        using var scope = NewDisposeScope();
        var stage = $"level {m} (K = {k})";
        var clock = Stopwatch.StartNew();
        using var kmeans = KMeans.Fit(features, k, options, progress is null ? null : (done, total) => progress(stage, done, total)); // centroids [K, D], assignments [N]
        double kmeansSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var phi = Concentration.Estimate(features, kmeans.Centroids, kmeans.Assignments, temperature); // [K]
        double phiSeconds = clock.Elapsed.TotalSeconds;

        var prototypes = nn.functional.normalize(kmeans.Centroids, p: 2, dim: 1);                      // [K, D] after phi (METHOD.md step 4)
        var assignments = kmeans.Assignments.clone();                                                   // [N], the result owns its copy
        return new ClusterLevel(k, prototypes.MoveToOuterDisposeScope(), phi.MoveToOuterDisposeScope(), assignments.MoveToOuterDisposeScope(),
            kmeans.Objective, kmeans.EmptyClusterSplits, kmeans.Warnings, kmeansSeconds, phiSeconds, spread);
    }
}
