using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Clustering;

/// <summary>
/// Exact nearest-centroid search by squared L2 distance, as faiss's IndexFlatL2 search with k = 1
/// (faiss/utils/distances.cpp exhaustive_L2sqr_blas): blocks of rows, one matrix product per block,
/// and the norms trick ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2. Only a block's scores are ever held,
/// never the whole N x K matrix.
/// </summary>
internal static class NearestCentroid
{
    /// <summary>Upper bound on one block's scores when the size is chosen automatically (the ~64 MB of <see cref="KMeansOptions.BlockRows"/>).</summary>
    internal const long MaxBlockBytes = 64L << 20;

    /// <summary>
    /// Rows per block: <paramref name="requested"/> if positive, else as many as fit in <see cref="MaxBlockBytes"/>.
    /// Few large blocks beat many cache-sized ones here: each block is a parallel matrix product plus a parallel
    /// reduction, and on a busy machine every parallel region waits for its slowest thread.
    /// </summary>
    internal static int BlockRows(int requested, long n, long k)
    {
        long rows = requested > 0 ? requested : MaxBlockBytes / (sizeof(float) * k);
        return (int)Math.Clamp(rows, 1, Math.Max(1, n));
    }

    /// <summary>Scores buffer [rows, K] for <see cref="Assign"/>, allocated once per k-means run: a fresh large buffer every iteration would cost page faults comparable to the product itself.</summary>
    internal static Tensor Scratch(int rows, long k, Device device) => empty(new long[] { rows, k }, float32, device); // [rows, K]

    /// <summary>
    /// For every row of <paramref name="x"/> the index of its nearest centroid (first one on ties) and the
    /// squared distance to it, clamped at 0 against rounding.
    /// </summary>
    /// <param name="x">points, float32 [N, D]</param>
    /// <param name="xSquaredNorms">||x_i||^2, float32 [N], computed once by the caller and reused every iteration</param>
    /// <param name="centroids">float32 [K, D]</param>
    /// <param name="scratch">float32 [rows, K] from <see cref="Scratch"/>; its row count is the block size</param>
    public static (Tensor Assignments, Tensor SquaredDistances) Assign(Tensor x, Tensor xSquaredNorms, Tensor centroids, Tensor scratch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long n = x.shape[0], k = centroids.shape[0], rows = scratch.shape[0];
        // argmax_c (x.c - ||c||^2 / 2) = argmin_c ||x - c||^2, since ||x||^2 does not depend on c.
        var negHalfNorms = centroids.square().sum(1).mul_(-0.5f);        // [K]
        var centroidsT = centroids.t();                                   // [D, K]
        var assignments = empty(new long[] { n }, int64, x.device);      // [N]
        var best = empty(new long[] { n }, float32, x.device);           // [N] best score per row
        for (long start = 0; start < n; start += rows)
        {
            using var blockScope = NewDisposeScope();
            long len = Math.Min(rows, n - start);
            var s = scratch.narrow(0, 0, len);                            // [len, K]
            s.copy_(negHalfNorms.expand(len, k));                        // [len, K]
            s.addmm_(x.narrow(0, start, len), centroidsT, beta: 1, alpha: 1); // [len, K] x.c - ||c||^2/2
            var (values, indexes) = s.max(1);                             // [len], [len]
            best.narrow(0, start, len).copy_(values);                    // [len]
            assignments.narrow(0, start, len).copy_(indexes);            // [len]
        }
        var squared = best.mul_(-2).add_(xSquaredNorms).clamp_min_(0);   // [N] ||x||^2 - 2 max(x.c - ||c||^2/2)
        return (assignments.MoveToOuterDisposeScope(), squared.MoveToOuterDisposeScope());
    }
}
