using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Clustering;

/// <summary>
/// The k-means M-step: every centroid becomes the mean of its members (faiss/impl/ClusteringHelpers.cpp
/// compute_centroids), with one scatter-add for the sums and one bincount for the sizes.
/// </summary>
internal static class CentroidUpdate
{
    /// <summary>
    /// Means of the members of each of <paramref name="k"/> clusters; an empty cluster's row is 0 (faiss leaves
    /// it zeroed too) and must be re-seeded by <see cref="EmptyClusterSplit"/>. Also returns the cluster sizes.
    /// </summary>
    /// <param name="x">points, float32 [N, D]</param>
    /// <param name="assignments">cluster of each point, int64 [N]</param>
    /// <param name="k">number of clusters</param>
    public static (Tensor Centroids, long[] Sizes) Compute(Tensor x, Tensor assignments, int k)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sizes = assignments.bincount(null, k);                                         // [K] int64
        var sums = zeros(new long[] { k, x.shape[1] }, float32, x.device)
            .index_add_(0, assignments, x, 1);                                             // [K, D]
        var centroids = sums.div_(sizes.clamp_min(1).to(float32).unsqueeze(1));            // [K, D]
        var hostSizes = sizes.cpu().data<long>().ToArray();
        return (centroids.MoveToOuterDisposeScope(), hostSizes);
    }
}
