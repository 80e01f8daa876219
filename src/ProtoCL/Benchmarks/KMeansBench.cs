using ProtoCL.Clustering;
using ProtoCL.IO;
using static TorchSharp.torch;

namespace ProtoCL.Benchmarks;

/// <summary>Time and objective of one E-step level, for comparison with bench/kmeans_vs_faiss.py.</summary>
/// <param name="Level">level index m (also the k-means seed, as in run_kmeans)</param>
/// <param name="K">number of clusters</param>
/// <param name="KMeansSeconds">k-means including the final assignment of all N points</param>
/// <param name="PhiSeconds">concentration estimate</param>
/// <param name="Objective">sum over all N points of the squared distance to the nearest centroid</param>
/// <param name="EmptyClusterSplits">empty clusters re-seeded in the kept restart</param>
public sealed record KMeansBenchLevel(int Level, int K, double KMeansSeconds, double PhiSeconds, double Objective, int EmptyClusterSplits);

/// <summary>
/// Runs ProtoCL's E-step (k-means + phi per level, <see cref="EStep.Cluster"/>) on features from a .npy file,
/// at the same settings bench/kmeans_vs_faiss.py gives faiss (niter 20, nredo 5, seed = level, 1000 / 10
/// points per centroid), so the two can be compared level by level.
/// </summary>
public static class KMeansBench
{
    /// <summary>Clusters the float32 [N, D] features in <paramref name="npyPath"/> once per K, with <paramref name="threads"/> torch threads.</summary>
    /// <param name="npyPath">float32 .npy, N x D (L2-normalised embeddings)</param>
    /// <param name="ks">K per level</param>
    /// <param name="threads">torch intra-op threads for the run; the previous setting is restored afterwards</param>
    /// <param name="options">k-means settings; null means <see cref="KMeansOptions"/>'s defaults (the reference's)</param>
    /// <param name="temperature">mean phi (run_kmeans default 0.2)</param>
    public static IReadOnlyList<KMeansBenchLevel> Run(string npyPath, int[] ks, int threads, KMeansOptions? options = null, double temperature = 0.2)
    {
        ArgumentException.ThrowIfNullOrEmpty(npyPath);
        ArgumentNullException.ThrowIfNull(ks);
        if (threads < 1) throw new ArgumentException($"Threads must be at least 1 (got {threads}).", nameof(threads));
        int previousThreads = get_num_threads();
        set_num_threads(threads);
        try
        {
            using var features = Npy.Read(npyPath);  // [N, D]
            if (features.dtype != ScalarType.Float32 || features.dim() != 2)
                throw new ArgumentException($"{npyPath} must hold float32 [N, D]; it holds {features.dtype} [{string.Join(", ", features.shape)}].", nameof(npyPath));
            using var result = EStep.Cluster(features, ks, temperature, options ?? new KMeansOptions());
            return result.Levels
                .Select((l, m) => new KMeansBenchLevel(m, l.K, l.KMeansSeconds, l.PhiSeconds, l.Objective, l.EmptyClusterSplits))
                .ToList();
        }
        finally
        {
            set_num_threads(previousThreads);
        }
    }
}
