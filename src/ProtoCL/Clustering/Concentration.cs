using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Clustering;

/// <summary>
/// Concentration phi of every cluster of one level (Li et al., ICLR 2021, "concentration estimation"; METHOD.md "Concentration phi"),
/// computed as salesforce/PCL main_pcl.py run_kmeans does after k-means:
/// phi_c = sum_z ||v_z - c|| / (Z log(Z + alpha)) over the Z members of cluster c; clusters with Z &lt;= 1 get the
/// level's largest phi; clip to the 10th..90th percentile; rescale so that mean(phi) = temperature.
/// </summary>
public static class Concentration
{
    /// <summary>Percentiles phi is clipped to (run_kmeans: np.percentile(density, 10) and (density, 90)).</summary>
    private const double LowerPercentile = 0.10, UpperPercentile = 0.90;

    /// <summary>Estimates phi, float32 [K], with scatter reductions (no loop over clusters).</summary>
    /// <param name="x">points, float32 [N, D]</param>
    /// <param name="centroids">centroids before L2 normalisation, float32 [K, D]</param>
    /// <param name="assignments">cluster of each point, int64 [N], values in [0, K)</param>
    /// <param name="temperature">the mean phi after rescaling: tau of the instance term (run_kmeans default 0.2)</param>
    /// <param name="alpha">smoothing in log(Z + alpha), keeping small clusters from getting a tiny phi (paper: alpha = 10)</param>
    /// <exception cref="ArgumentException">shapes disagree, or temperature / alpha out of range</exception>
    public static Tensor Estimate(Tensor x, Tensor centroids, Tensor assignments, double temperature, double alpha = 10.0)
    {
        Validate(x, centroids, assignments, temperature, alpha);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long k = centroids.shape[0];
        var distance = MemberDistances(x, centroids, assignments);                    // [N] ||v_z - c||, float64
        var z = assignments.bincount(null, k).to(float64);                            // [K] Z
        var distanceSum = zeros(k, float64, x.device).index_add_(0, assignments, distance, 1); // [K] sum_z ||v_z - c||
        var populated = z.gt(1);                                                       // [K] Z > 1
        var phi = distanceSum.div(z.mul(z.add(alpha).log()));                          // [K] (NaN or inf where Z <= 1, replaced below)
        // Z <= 1 takes the largest phi of the level; if no cluster has two members, all phi are equal.
        var fill = populated.any().item<bool>() ? phi.masked_select(populated).max() : ones(1, float64, x.device).squeeze(); // []
        phi = phi.where(populated, fill);                                              // [K]
        var bounds = phi.quantile(tensor(new[] { LowerPercentile, UpperPercentile }, float64, x.device)); // [2] linear interpolation, as numpy
        phi = phi.clamp(bounds[0].item<double>(), bounds[1].item<double>());           // [K]
        phi = phi.mul(temperature / phi.mean().item<double>());                        // [K] mean(phi) = temperature
        return phi.to(float32).MoveToOuterDisposeScope();                             // [K]
    }

    /// <summary>Rows per chunk when measuring member distances, so the [rows, D] differences stay small (~32 MB at D = 128).</summary>
    private const long ChunkRows = 1 << 16;

    /// <summary>||v_z - c_{a(z)}|| for every point, float64 [N], computed directly (not by the norms trick) in chunks of rows.</summary>
    private static Tensor MemberDistances(Tensor x, Tensor centroids, Tensor assignments)
    {
        long n = x.shape[0];
        var distance = empty(n, float64, x.device);                                   // [N]
        for (long start = 0; start < n; start += ChunkRows)
        {
            using var chunkScope = NewDisposeScope();
            long len = Math.Min(ChunkRows, n - start);
            var own = centroids.index_select(0, assignments.narrow(0, start, len));   // [len, D] each point's centroid
            var diff = x.narrow(0, start, len).sub(own);                              // [len, D] v_z - c
            distance.narrow(0, start, len).copy_(diff.mul_(diff).sum(1).sqrt_());     // [len]
        }
        return distance;                                                             // [N]
    }

    private static void Validate(Tensor x, Tensor centroids, Tensor assignments, double temperature, double alpha)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(centroids);
        ArgumentNullException.ThrowIfNull(assignments);
        if (x.dim() != 2 || centroids.dim() != 2 || x.shape[1] != centroids.shape[1])
            throw new ArgumentException($"Points [N, D] and centroids [K, D] must agree in D; got [{string.Join(", ", x.shape)}] and [{string.Join(", ", centroids.shape)}].");
        if (assignments.dim() != 1 || assignments.shape[0] != x.shape[0] || assignments.dtype != ScalarType.Int64)
            throw new ArgumentException($"Assignments must be int64 [N] with N = {x.shape[0]}; got {assignments.dtype} [{string.Join(", ", assignments.shape)}].", nameof(assignments));
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentException($"Temperature must be a positive number (got {temperature}).", nameof(temperature));
        if (!(alpha >= 0) || double.IsInfinity(alpha))
            throw new ArgumentException($"Alpha must be a non-negative number (got {alpha}).", nameof(alpha));
    }
}
