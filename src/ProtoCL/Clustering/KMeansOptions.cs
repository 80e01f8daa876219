namespace ProtoCL.Clustering;

/// <summary>
/// Settings of one L2 k-means run, with the values salesforce/PCL <c>main_pcl.py</c> <c>run_kmeans</c> gives
/// faiss's <c>Clustering</c> (faiss/Clustering.h <c>ClusteringParameters</c>).
/// </summary>
public sealed record KMeansOptions
{
    /// <summary>Lloyd iterations per restart: <c>clus.niter = 20</c> in run_kmeans (also faiss's default niter).</summary>
    public int Iterations { get; init; } = 20;

    /// <summary>Restarts from fresh random centroids, the lowest objective kept: <c>clus.nredo = 5</c> in run_kmeans (faiss default 1).</summary>
    public int Restarts { get; init; } = 5;

    /// <summary>Seed of subsampling, initialisation and cluster splits: run_kmeans sets <c>clus.seed</c> to the level index, so 0 for the first level.</summary>
    public int Seed { get; init; }

    /// <summary>Above K times this many points, k-means trains on a seeded subsample of that size: <c>clus.max_points_per_centroid = 1000</c> in run_kmeans (faiss default 256).</summary>
    public int MaxPointsPerCentroid { get; init; } = 1000;

    /// <summary>Below K times this many points, a warning is recorded: <c>clus.min_points_per_centroid = 10</c> in run_kmeans (faiss default 39).</summary>
    public int MinPointsPerCentroid { get; init; } = 10;

    /// <summary>
    /// Rows of X per distance block; a block's rows x K float32 scores are the only large temporary. 0 (the default)
    /// takes as many rows as fit in ~64 MB (faiss's exhaustive search likewise works on blocks of queries, faiss/utils/distances.cpp).
    /// </summary>
    public int BlockRows { get; init; }
}
