using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Clustering;

/// <summary>
/// L2 k-means as faiss trains it (faiss/Clustering.cpp Clustering::train with an IndexFlatL2), the way
/// salesforce/PCL main_pcl.py run_kmeans calls it: validate, subsample above K x MaxPointsPerCentroid,
/// several restarts from K distinct random points, Lloyd iterations with empty clusters split, keep the
/// restart with the lowest final objective, then assign every input point to its nearest centroid.
/// The subsample (seed = Seed) and each restart's initial points (seed = Seed + 1 + restart x 15486557) are
/// drawn as faiss draws them: torch's CPU randperm and faiss's rand_perm are both a Fisher-Yates shuffle driven
/// by mt19937, and give the same permutation for the same seed (checked against faiss 1.7.3 for N up to 100,000),
/// so runs start from faiss's centroids. Donors of empty clusters are drawn from a seeded torch Generator.
/// </summary>
public static class KMeans
{
    /// <summary>faiss's stride between the seeds of successive restarts (Clustering.cpp: seed + 1 + redo * 15486557).</summary>
    private const long RestartSeedStride = 15486557L;

    /// <summary>Clusters <paramref name="x"/> into <paramref name="k"/> groups. Deterministic for a given seed and thread count.</summary>
    /// <param name="x">points, float32 [N, D], any device</param>
    /// <param name="k">number of clusters, 2 &lt;= K &lt; N</param>
    /// <param name="options">iterations, restarts, seed, subsampling and block size</param>
    /// <param name="progress">called after every iteration with (iterations done, Restarts x Iterations)</param>
    /// <exception cref="ArgumentException">K out of range, NaN or infinity in <paramref name="x"/>, bad shape or options</exception>
    public static KMeansResult Fit(Tensor x, int k, KMeansOptions options, Action<int, int>? progress = null)
    {
        Validate(x, k, options);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var warnings = new List<string>();
        long n = x.shape[0];
        var points = x.contiguous();                                          // [N, D]
        var pointNorms = points.norm(1).pow_(2);                              // [N] ||x||^2, once for all iterations and restarts
        var train = points;                                                   // [Nt, D]
        var trainNorms = pointNorms;                                          // [Nt]
        long maxTrain = (long)k * options.MaxPointsPerCentroid;
        if (n > maxTrain)
        {
            // faiss subsamples with the clustering seed itself (ClusteringHelpers.cpp subsample_training_set).
            using var g = new Generator(unchecked((ulong)(long)options.Seed));
            var pick = randperm(n, generator: g).narrow(0, 0, maxTrain).to(x.device); // [Nt]
            train = points.index_select(0, pick);                             // [Nt, D]
            trainNorms = pointNorms.index_select(0, pick);                    // [Nt]
        }
        else if (n < (long)k * options.MinPointsPerCentroid)
        {
            warnings.Add($"{n} points for {k} clusters, fewer than the {options.MinPointsPerCentroid} per cluster faiss asks for " +
                         $"({(long)k * options.MinPointsPerCentroid}); the clusters will be small and noisy (a smaller K suits this data)");
        }

        var scratch = NearestCentroid.Scratch(NearestCentroid.BlockRows(options.BlockRows, n, k), k, x.device); // [rows, K]
        int total = options.Restarts * options.Iterations, done = 0;
        Tensor? best = null;
        List<double> bestHistory = [];
        int bestRestart = -1, bestSplits = 0;
        for (int restart = 0; restart < options.Restarts; restart++)
        {
            using var restartScope = NewDisposeScope();
            var (centroids, history, splits) = RunRestart(train, trainNorms, scratch, k, options, restart, () => progress?.Invoke(++done, total)); // [K, D]
            if (best is null || history[^1] < bestHistory[^1])
            {
                best?.Dispose();
                best = centroids.MoveToOuterDisposeScope();                   // [K, D]
                bestHistory = history;
                bestRestart = restart;
                bestSplits = splits;
            }
        }

        var (assignments, squared) = NearestCentroid.Assign(points, pointNorms, best!, scratch); // [N], [N]
        double objective = squared.to(float64).sum().item<double>();          // [N] float64 -> []
        return new KMeansResult(best!.MoveToOuterDisposeScope(), assignments.MoveToOuterDisposeScope(), objective,
            bestHistory, bestSplits, bestRestart, (int)train.shape[0], warnings); // centroids [K, D], assignments [N]
    }

    /// <summary>One restart: K distinct random training points as centroids, then Lloyd iterations (assign, average, split empties).</summary>
    private static (Tensor Centroids, List<double> History, int Splits) RunRestart(
        Tensor train, Tensor trainNorms, Tensor scratch, int k, KMeansOptions options, int restart, Action iterationDone)
    {
        using var g = new Generator(unchecked((ulong)(options.Seed + 1 + restart * RestartSeedStride)));
        var init = randperm(train.shape[0], generator: g).narrow(0, 0, k).to(train.device); // [K]
        var centroids = train.index_select(0, init);                                        // [K, D]
        var history = new List<double>(options.Iterations);
        int splits = 0;
        for (int it = 0; it < options.Iterations; it++)
        {
            using var iterationScope = NewDisposeScope();
            var (assignments, squared) = NearestCentroid.Assign(train, trainNorms, centroids, scratch); // [Nt], [Nt]
            history.Add(squared.to(float64).sum().item<double>());            // [Nt] float64 -> []
            var (next, sizes) = CentroidUpdate.Compute(train, assignments, k);                 // [K, D]
            splits += EmptyClusterSplit.Split(next, sizes, g);                // next [K, D], in place
            var previous = centroids;                                         // [K, D]
            centroids = next.MoveToOuterDisposeScope();                       // [K, D]
            previous.Dispose();
            iterationDone();
        }
        return (centroids, history, splits);                                 // centroids [K, D]
    }

    private static void Validate(Tensor x, int k, KMeansOptions options)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(options);
        if (x.dim() != 2 || x.dtype != ScalarType.Float32)
            throw new ArgumentException($"Features must be a float32 tensor [N, D]; got {x.dtype} with shape [{string.Join(", ", x.shape)}].", nameof(x));
        long n = x.shape[0];
        if (k < 2)
            throw new ArgumentException($"K must be at least 2 (got K = {k}).", nameof(k));
        if (k >= n)
            throw new ArgumentException($"K must be smaller than the number of images N (got K = {k}, N = {n}); lower K or embed more images.", nameof(k));
        if (options.Iterations < 1 || options.Restarts < 1)
            throw new ArgumentException($"Iterations and Restarts must be at least 1 (got {options.Iterations} and {options.Restarts}).", nameof(options));
        if (options.MaxPointsPerCentroid < 1 || options.MinPointsPerCentroid < 0 || options.BlockRows < 0)
            throw new ArgumentException("MaxPointsPerCentroid must be at least 1, MinPointsPerCentroid and BlockRows at least 0.", nameof(options));
        using var noGrad = no_grad();
        using var isFinite = x.isfinite();                                    // [N, D] bool
        using var finite = isFinite.all();                                    // []
        if (!finite.item<bool>())
            throw new ArgumentException("Features contain NaN or infinity; the encoder has probably diverged (lower the learning rate or resume from an earlier checkpoint).", nameof(x));
    }
}
