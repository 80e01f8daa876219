using static TorchSharp.torch;

namespace ProtoCL.Clustering;

/// <summary>
/// One granularity of the E-step: K prototypes (L2-normalised centroids), their concentrations phi and
/// every image's cluster, as run_kmeans returns per level in salesforce/PCL main_pcl.py. Owns its tensors.
/// </summary>
public sealed class ClusterLevel : IDisposable
{
    internal ClusterLevel(int k, Tensor centroids, Tensor phi, Tensor assignments, double objective, int emptyClusterSplits,
        IReadOnlyList<string> warnings, double kMeansSeconds, double phiSeconds, double featureSpread)
    {
        K = k;
        Centroids = centroids;
        Phi = phi;
        Assignments = assignments;
        Objective = objective;
        EmptyClusterSplits = emptyClusterSplits;
        Warnings = warnings;
        KMeansSeconds = kMeansSeconds;
        PhiSeconds = phiSeconds;
        FeatureSpread = featureSpread;
        CollapseReason = CollapseCheck.Reason(assignments, k, featureSpread);
    }

    /// <summary>Number of clusters.</summary>
    public int K { get; }

    /// <summary>Prototypes c, L2-normalised after phi was measured (METHOD.md step 4), float32 [K, D].</summary>
    public Tensor Centroids { get; }

    /// <summary>Concentration of each prototype, float32 [K], mean = temperature.</summary>
    public Tensor Phi { get; }

    /// <summary>Cluster of every image, int64 [N].</summary>
    public Tensor Assignments { get; }

    /// <summary>k-means objective: sum over all N images of the squared L2 distance to the (unnormalised) centroid.</summary>
    public double Objective { get; }

    /// <summary>Empty clusters re-seeded by splitting during the kept k-means restart.</summary>
    public int EmptyClusterSplits { get; }

    /// <summary>Warnings from k-means (e.g. too few points per centroid).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Wall-clock seconds of k-means, including the final assignment of all images.</summary>
    public double KMeansSeconds { get; }

    /// <summary>Wall-clock seconds of the phi estimate.</summary>
    public double PhiSeconds { get; }

    /// <summary>Mean squared distance of the clustered features to their mean (1 - ||mean||^2 for unit vectors).</summary>
    public double FeatureSpread { get; }

    /// <summary>True when the level suggests a collapsed embedding; <see cref="CollapseReason"/> says why.</summary>
    public bool LooksCollapsed => CollapseReason is not null;

    /// <summary>Why the level looks collapsed, or null.</summary>
    public string? CollapseReason { get; }

    /// <summary>Frees the centroid, phi and assignment tensors; the level cannot be used afterwards.</summary>
    public void Dispose()
    {
        Centroids.Dispose();
        Phi.Dispose();
        Assignments.Dispose();
    }
}
