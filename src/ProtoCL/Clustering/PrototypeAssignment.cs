using static TorchSharp.torch;

namespace ProtoCL.Clustering;

/// <summary>Each image's prototype at one level: its index and the cosine similarity to it.</summary>
/// <param name="K">Number of prototypes of the level.</param>
/// <param name="Prototype">Index of the most similar prototype, per image.</param>
/// <param name="Cosine">v . c of that prototype, per image (both unit vectors).</param>
public sealed record LevelAssignment(int K, int[] Prototype, float[] Cosine);

/// <summary>
/// Places images among the prototypes of an E-step: at every level, the prototype with the largest cosine similarity
/// to the image's L2-normalised embedding, the similarity v . c that the prototype term scores. Works for images the
/// E-step never saw; for its own images it agrees with the E-step's k-means assignment except near cluster borders
/// (k-means compares squared distances to the centroids before they are normalised).
/// </summary>
public static class PrototypeAssignment
{
    /// <summary>Rows compared with the prototypes at once, so that [rows, K] stays small even for K = 100,000.</summary>
    public const int DefaultChunk = 4096;

    /// <param name="embeddings">L2-normalised embeddings, float32 [N, D].</param>
    /// <param name="clusters">The E-step's levels; their prototypes are [K, D].</param>
    /// <param name="chunk">Rows per block.</param>
    public static LevelAssignment[] Assign(Tensor embeddings, ClusterResult clusters, int chunk = DefaultChunk)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunk, 1);
        if (embeddings.dim() != 2) throw new ArgumentException($"embeddings must be [N, D] (got {embeddings.dim()} dimensions)", nameof(embeddings));
        long n = embeddings.shape[0], d = embeddings.shape[1];
        var result = new LevelAssignment[clusters.Levels.Count];
        using var _ = no_grad();
        for (int m = 0; m < clusters.Levels.Count; m++)
        {
            var level = clusters.Levels[m];
            if (level.Centroids.shape[1] != d)
                throw new ArgumentException($"the embeddings have {d} dimensions, the prototypes of level {m} (K = {level.K}) {level.Centroids.shape[1]}: they come from different models");
            var ids = new int[n];
            var cos = new float[n];
            for (long start = 0; start < n; start += chunk)
            {
                using var scope = NewDisposeScope();
                long count = Math.Min(chunk, n - start);
                var sim = embeddings.narrow(0, start, count).matmul(level.Centroids.t()); // [B, K]
                var (best, index) = sim.max(1);                                          // [B], [B]
                var idx = index.data<long>().ToArray();
                best.data<float>().ToArray().CopyTo(cos, start);
                for (int i = 0; i < idx.Length; i++) ids[start + i] = (int)idx[i];
            }
            result[m] = new LevelAssignment(level.K, ids, cos);
        }
        return result;
    }
}
