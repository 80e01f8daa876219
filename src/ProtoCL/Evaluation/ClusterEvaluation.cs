using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Evaluation;

/// <summary>
/// Clustering quality of an embedding (PCL paper, Table 6 style): k-means with K = number of classes on
/// the L2-normalised features (<see cref="EvalKMeans"/>, several restarts), then AMI, NMI and Hungarian
/// accuracy of the clusters against the true labels (<see cref="ClusteringMetrics"/>).
/// </summary>
public static class ClusterEvaluation
{
    /// <summary>k-means restarts by default (scikit-learn's classic n_init).</summary>
    public const int DefaultRestarts = 10;

    /// <summary>Clusters <paramref name="features"/> float32 [N, D] and scores the clusters against <paramref name="labels"/>.</summary>
    /// <param name="features">Embeddings, L2-normalised here.</param>
    /// <param name="labels">True class of each row.</param>
    /// <param name="k">Number of clusters; defaults to the number of distinct labels.</param>
    /// <param name="restarts">k-means++ restarts; the lowest inertia is kept.</param>
    /// <param name="seed">Seed of the k-means initialisations.</param>
    /// <param name="maxIterations">Most Lloyd iterations per restart.</param>
    public static ClusterResultMetrics Evaluate(Tensor features, int[] labels, int? k = null, int restarts = DefaultRestarts,
        int seed = 0, int maxIterations = 300)
    {
        FrozenFeatures.Validate(features, labels, nameof(features));
        int clusters = k ?? labels.Distinct().Count();
        using var scope = NewDisposeScope();
        var normalised = FrozenFeatures.L2Normalize(features); // [N, D]
        var fit = EvalKMeans.Fit(normalised, clusters, restarts, maxIterations, seed); // centroids [K, D], assignments int[N]
        fit.Centroids.Dispose();
        return Score(labels, fit.Assignments, clusters, restarts) with { Inertia = fit.Inertia, MaxIterations = maxIterations, Iterations = fit.Iterations, Converged = fit.Converged };
    }

    /// <summary>
    /// Scores cluster assignments made elsewhere (e.g. one PCL level's E-step clusters) against the true
    /// labels; K is reported as the number of distinct assignments and restarts as 0.
    /// </summary>
    public static ClusterResultMetrics ScoreAssignments(int[] labels, int[] assignments)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(assignments);
        if (labels.Any(l => l < 0))
            throw new ArgumentException("labels must be class indices (0 or more); leave unlabelled images out before scoring", nameof(labels));
        return Score(labels, assignments, assignments.Distinct().Count(), restarts: 0);
    }

    private static ClusterResultMetrics Score(int[] labels, int[] assignments, int k, int restarts) => new()
    {
        Ami = ClusteringMetrics.AdjustedMutualInformation(labels, assignments),
        Nmi = ClusteringMetrics.NormalizedMutualInformation(labels, assignments),
        Accuracy = ClusteringMetrics.HungarianAccuracy(labels, assignments),
        K = k,
        Restarts = restarts,
    };
}
