using static TorchSharp.torch;

namespace ProtoCL.Clustering;

/// <summary>
/// Outcome of <see cref="KMeans.Fit"/>: the kept restart's centroids and the assignment of every input point.
/// Owns its tensors; dispose it (or move the tensors elsewhere first).
/// </summary>
public sealed class KMeansResult : IDisposable
{
    internal KMeansResult(Tensor centroids, Tensor assignments, double objective, IReadOnlyList<double> objectiveHistory,
        int emptyClusterSplits, int bestRestart, int trainingPoints, IReadOnlyList<string> warnings)
    {
        Centroids = centroids;
        Assignments = assignments;
        Objective = objective;
        ObjectiveHistory = objectiveHistory;
        EmptyClusterSplits = emptyClusterSplits;
        BestRestart = bestRestart;
        TrainingPoints = trainingPoints;
        Warnings = warnings;
    }

    /// <summary>Centroids, float32 [K, D], not normalised (phi is measured to these, METHOD.md "Concentration phi").</summary>
    public Tensor Centroids { get; }

    /// <summary>Nearest centroid of every one of the N input points, int64 [N], including points left out of the training subsample.</summary>
    public Tensor Assignments { get; }

    /// <summary>Sum over all N input points of the squared L2 distance to the assigned centroid.</summary>
    public double Objective { get; }

    /// <summary>
    /// Objective of the kept restart at each iteration's assignment step, on the training points (faiss's
    /// ClusteringIterationStats.obj); the last entry is what restarts are compared by.
    /// </summary>
    public IReadOnlyList<double> ObjectiveHistory { get; }

    /// <summary>Empty clusters re-seeded by splitting, summed over the kept restart's iterations.</summary>
    public int EmptyClusterSplits { get; }

    /// <summary>Index (0-based) of the restart that was kept.</summary>
    public int BestRestart { get; }

    /// <summary>Points k-means trained on: N, or K x MaxPointsPerCentroid after subsampling.</summary>
    public int TrainingPoints { get; }

    /// <summary>Conditions worth a user's attention that did not stop the run (e.g. fewer than K x MinPointsPerCentroid points).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Frees the centroid and assignment tensors.</summary>
    public void Dispose()
    {
        Centroids.Dispose();
        Assignments.Dispose();
    }
}
