using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Clustering;

/// <summary>
/// Re-seeds empty clusters as faiss does (faiss/impl/ClusteringHelpers.cpp split_clusters): for each empty
/// cluster, in index order, pick a donor with probability proportional to (size - 1), copy the donor's
/// centroid with a small symmetric perturbation (1 +/- 1/1024, alternating over dimensions, opposite signs
/// for the two) and assume the donor's members split evenly between the two. One difference: faiss scans the
/// clusters from index 0 accepting each with probability (size - 1) / (n - K), which leans towards low indices;
/// this draws exactly in proportion to (size - 1) with one uniform number per empty cluster.
/// </summary>
internal static class EmptyClusterSplit
{
    /// <summary>Relative perturbation, "a bit above machine epsilon for float16" (faiss's EPS = 1/1024).</summary>
    internal const float Epsilon = 1f / 1024f;

    /// <summary>
    /// Splits, in place, a donor into every empty cluster of <paramref name="centroids"/>; returns how many were split.
    /// The managed work is one pass over the K sizes per empty cluster (faiss's donor search is also O(K)); nothing loops over N.
    /// </summary>
    /// <param name="centroids">float32 [K, D], modified in place</param>
    /// <param name="sizes">members per cluster from <see cref="CentroidUpdate.Compute"/></param>
    /// <param name="generator">seeded source of the donor draws</param>
    public static int Split(Tensor centroids, long[] sizes, Generator generator)
    {
        int k = sizes.Length;
        var empty = new List<int>();
        for (int c = 0; c < k; c++) if (sizes[c] == 0) empty.Add(c);
        if (empty.Count == 0) return 0;

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var size = new double[k];
        for (int c = 0; c < k; c++) size[c] = sizes[c];
        var uniform = rand(empty.Count, float64, generator: generator).data<double>().ToArray(); // [E] float64, one draw per empty cluster

        long d = centroids.shape[1];
        var even = arange(d, device: centroids.device).remainder(2).eq(0);                // [D] bool, dimension 0 even
        var plus = even.to(float32).mul_(2 * Epsilon).add_(1 - Epsilon);                  // [D] 1+e, 1-e, 1+e, ...
        var minus = plus.neg().add_(2);                                                    // [D] 1-e, 1+e, 1-e, ...

        for (int e = 0; e < empty.Count; e++)
        {
            using var step = NewDisposeScope();                                           // thousands of empty clusters add no garbage
            int target = empty[e];
            int donor = PickDonor(size, uniform[e]);
            centroids[target].copy_(centroids[donor].mul(plus));                          // [D]
            centroids[donor].mul_(minus);                                                 // [D]
            size[target] = size[donor] / 2;
            size[donor] -= size[target];
        }
        return empty.Count;
    }

    /// <summary>Inverse-CDF draw over weights max(size - 1, 0); the largest cluster if all weights are 0 (faiss's fallback).</summary>
    private static int PickDonor(double[] size, double u)
    {
        double total = 0;
        for (int c = 0; c < size.Length; c++) total += Math.Max(size[c] - 1, 0);
        if (total > 0)
        {
            double r = u * total, acc = 0;
            int last = -1;
            for (int c = 0; c < size.Length; c++)
            {
                double w = Math.Max(size[c] - 1, 0);
                if (w <= 0) continue;
                acc += w;
                last = c;
                if (r < acc) return c;
            }
            return last;
        }
        int largest = 0;
        for (int c = 1; c < size.Length; c++) if (size[c] > size[largest]) largest = c;
        return largest;
    }
}
