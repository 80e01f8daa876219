using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Evaluation;

/// <summary>
/// Lloyd's k-means for evaluation (squared Euclidean distance), seeded by greedy k-means++ (Arthur and
/// Vassilvitskii 2007, with scikit-learn's several candidates per centre), restarted several times, keeping the
/// restart with the lowest inertia. Distances come from matrix products, ||x||^2 - 2 x.c + ||c||^2,
/// in row blocks. An empty cluster is re-seeded at the point farthest from its own centroid.
/// Independent of the training-time (E-step) k-means on purpose: evaluation must not share its bugs.
/// </summary>
public static class EvalKMeans
{
    /// <summary>The kept restart of <see cref="Fit"/>.</summary>
    /// <param name="Assignments">Cluster 0..K-1 of each row.</param>
    /// <param name="Centroids">Centroids float32 [K, D]; the caller owns (disposes) this tensor.</param>
    /// <param name="Inertia">Sum over rows of the squared distance to the assigned centroid.</param>
    /// <param name="Iterations">Centroid updates of the kept restart.</param>
    /// <param name="Converged">Whether the kept restart stopped because no assignment changed.</param>
    public sealed record Result(int[] Assignments, Tensor Centroids, double Inertia, int Iterations, bool Converged);

    /// <summary>Clusters the rows of <paramref name="features"/> float32 [N, D] into <paramref name="k"/> groups.</summary>
    /// <param name="features">Points float32 [N, D], N >= k, all finite.</param>
    /// <param name="k">Number of clusters.</param>
    /// <param name="restarts">Independent k-means++ initialisations; the lowest inertia wins.</param>
    /// <param name="maxIterations">Most centroid updates per restart (Lloyd stops earlier when no assignment changes).</param>
    /// <param name="seed">Seed of the initialisations.</param>
    public static Result Fit(Tensor features, int k, int restarts = 10, int maxIterations = 300, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2 || features.dtype != ScalarType.Float32)
            throw new ArgumentException($"features must be float32 [N, D], got {features.dtype} [{string.Join(", ", features.shape)}]", nameof(features));
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1");
        if (features.shape[0] < k)
            throw new ArgumentException($"{features.shape[0]} points cannot form {k} clusters; use k <= N", nameof(features));
        if (restarts < 1) throw new ArgumentOutOfRangeException(nameof(restarts), restarts, "restarts must be at least 1");
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "maxIterations must be at least 1");

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = features.detach().contiguous(); // [N, D]
        if (!x.isfinite().all().item<bool>())
            throw new ArgumentException("features contain NaN or infinity", nameof(features));
        var xNorm2 = x.pow(2).sum(1); // [N]
        var random = new Random(seed);
        Result? best = null;
        for (int restart = 0; restart < restarts; restart++)
        {
            var centroids = InitialisePlusPlus(x, xNorm2, k, random); // [K, D]
            var (assign, minDist) = Assign(x, xNorm2, centroids); // [N], [N]
            int iterations = 0;
            bool converged = false;
            while (iterations < maxIterations)
            {
                // Tensors of the previous iteration are disposed at once: scopes alone would keep
                // every iteration's [N] vectors alive until the end of the fit.
                var updated = Update(x, assign, minDist, k); // [K, D]
                centroids.Dispose();
                centroids = updated;
                iterations++;
                var (next, nextDist) = Assign(x, xNorm2, centroids); // [N], [N]
                bool changed = Differ(next, assign);
                assign.Dispose();
                minDist.Dispose();
                assign = next;
                minDist = nextDist;
                if (!changed)
                {
                    converged = true;
                    break;
                }
            }
            double inertia;
            using (NewDisposeScope()) inertia = minDist.to_type(ScalarType.Float64).sum().item<double>();
            if (best is null || inertia < best.Inertia)
            {
                best?.Centroids.Dispose();
                int[] assignments;
                using (NewDisposeScope()) assignments = assign.cpu().to_type(ScalarType.Int32).data<int>().ToArray();
                best = new Result(assignments, centroids, inertia, iterations, converged);
            }
            else
            {
                centroids.Dispose();
            }
            assign.Dispose();
            minDist.Dispose();
        }
        best!.Centroids.MoveToOuterDisposeScope();
        return best;
    }

    private static bool Differ(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.ne(b).any().item<bool>();
    }

    /// <summary>
    /// Greedy k-means++ seeding (as scikit-learn): each new centre is the best, by the resulting sum of
    /// squared distances to the nearest centre, of 2 + floor(ln K) candidates drawn with probability
    /// proportional to the squared distance to the nearest centre chosen so far. Returns K rows of x [K, D].
    /// </summary>
    private static Tensor InitialisePlusPlus(Tensor x, Tensor xNorm2, int k, Random random)
    {
        using var scope = NewDisposeScope();
        int n = (int)x.shape[0];
        int trials = 2 + (int)Math.Log(k);
        var chosen = new long[k];
        chosen[0] = random.Next(n);
        var closest = SquaredDistances(x, xNorm2, x.narrow(0, chosen[0], 1)).squeeze(1); // [N] float64
        var cumulative = new double[n];
        for (int c = 1; c < k; c++)
        {
            using var stepScope = NewDisposeScope();
            var weights = closest.cpu().data<double>().ToArray();
            double running = 0;
            for (int i = 0; i < n; i++) cumulative[i] = running += weights[i];
            double total = cumulative[n - 1];
            var candidates = new long[trials];
            for (int t = 0; t < trials; t++)
            {
                // Every point coinciding with a chosen centre leaves no mass: any point is then as good as another.
                candidates[t] = total > 0 ? FirstAbove(cumulative, random.NextDouble() * total) : random.Next(n);
            }
            var candidateRows = x.index_select(0, tensor(candidates, dtype: ScalarType.Int64, device: x.device)); // [L, D]
            var nearest = minimum(closest.unsqueeze(1), SquaredDistances(x, xNorm2, candidateRows)); // [N, L]
            long best = nearest.sum(0).argmin().item<long>();
            chosen[c] = candidates[best];
            closest.Dispose();
            closest = nearest.select(1, best).contiguous().MoveToOuterDisposeScope(); // [N]
        }
        var centroids = x.index_select(0, tensor(chosen, dtype: ScalarType.Int64, device: x.device)).clone(); // [K, D]
        return centroids.MoveToOuterDisposeScope();
    }

    /// <summary>Smallest index whose running sum exceeds target (a point of positive weight, since target &lt; total).</summary>
    private static long FirstAbove(double[] cumulative, double target)
    {
        int low = 0, high = cumulative.Length - 1;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (cumulative[middle] > target) high = middle;
            else low = middle + 1;
        }
        return low;
    }

    /// <summary>Squared distances float64 [N, L] of every row of x to each row of points [L, D], clamped at 0 against rounding.</summary>
    private static Tensor SquaredDistances(Tensor x, Tensor xNorm2, Tensor points)
    {
        using var scope = NewDisposeScope();
        var d = (xNorm2.unsqueeze(1) - 2 * x.mm(points.t()) + points.pow(2).sum(1).unsqueeze(0)).clamp_min(0); // [N, L]
        return d.to_type(ScalarType.Float64).MoveToOuterDisposeScope();
    }

    /// <summary>Nearest centroid of each row (int64 [N]) and the squared distance to it (float32 [N]).</summary>
    private static (Tensor Assign, Tensor MinDist) Assign(Tensor x, Tensor xNorm2, Tensor centroids)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        long k = centroids.shape[0];
        var cT = centroids.t(); // [D, K]
        var cNorm2 = centroids.pow(2).sum(1); // [K]
        long block = Math.Max(1, (1L << 24) / k);
        var assignParts = new List<Tensor>();
        var distParts = new List<Tensor>();
        for (long start = 0; start < n; start += block)
        {
            // A block's scores are freed before the next block's are computed; only its two [B] results survive.
            using var blockScope = NewDisposeScope();
            long length = Math.Min(block, n - start);
            var xb = x.narrow(0, start, length); // [B, D]
            var dist = xNorm2.narrow(0, start, length).unsqueeze(1) - 2 * xb.mm(cT) + cNorm2.unsqueeze(0); // [B, K]
            var (minDist, argmin) = dist.min(1); // [B], [B]
            assignParts.Add(argmin.MoveToOuterDisposeScope());
            distParts.Add(minDist.clamp_min(0).MoveToOuterDisposeScope());
        }
        var assign = cat(assignParts, 0); // [N]
        var minAll = cat(distParts, 0); // [N]
        return (assign.MoveToOuterDisposeScope(), minAll.MoveToOuterDisposeScope());
    }

    /// <summary>Centroids as the means of their members [K, D]; empty clusters re-seeded at the farthest points.</summary>
    private static Tensor Update(Tensor x, Tensor assign, Tensor minDist, int k)
    {
        using var scope = NewDisposeScope();
        var sums = zeros(k, x.shape[1], dtype: ScalarType.Float32, device: x.device).index_add_(0, assign, x, 1.0f); // [K, D]
        var counts = bincount(assign, minlength: k).to_type(ScalarType.Float32); // [K]
        var centroids = sums / counts.clamp_min(1).unsqueeze(1); // [K, D]
        var countArray = counts.cpu().data<float>().ToArray();
        var empty = Enumerable.Range(0, k).Where(c => countArray[c] == 0).ToArray();
        if (empty.Length > 0)
        {
            // Farthest points first: they are the worst served by the current centroids.
            var (_, far) = minDist.topk(empty.Length); // [E]
            var farIndex = far.cpu().data<long>().ToArray();
            for (int e = 0; e < empty.Length; e++) centroids[empty[e]] = x[farIndex[e]];
        }
        return centroids.MoveToOuterDisposeScope();
    }
}
