using static TorchSharp.torch;

namespace ProtoCL.Evaluation;

/// <summary>The nearest images of one query in a feature space: dataset indices, most similar first, and cosine similarities.</summary>
/// <param name="Query">Dataset index of the query image.</param>
/// <param name="Neighbours">Dataset indices of its nearest images (the query itself excluded), most similar first.</param>
/// <param name="Cosine">Cosine similarity of each neighbour to the query.</param>
public sealed record NeighbourList(int Query, int[] Neighbours, float[] Cosine);

/// <summary>
/// Nearest neighbours by cosine similarity of L2-normalised features, within one set of images: what a user asks when
/// looking at what a representation considers alike. Ties keep the smaller index first.
/// </summary>
public static class NearestNeighbours
{
    /// <summary>The <paramref name="k"/> nearest images of each query, the query itself excluded.</summary>
    /// <param name="features">Features float32 [N, D] (normalised here).</param>
    /// <param name="queries">Dataset indices to search from.</param>
    /// <param name="k">Neighbours per query; capped at the rows searched (less the query when it is one of them).</param>
    /// <param name="blockSize">Queries compared with all N rows at once.</param>
    /// <param name="searched">Neighbours come from rows [0, searched) only (default: all N): queries at or past it are
    /// images from elsewhere, looked up among the first rows.</param>
    public static NeighbourList[] Find(Tensor features, IReadOnlyList<int> queries, int k, int blockSize = KnnClassifier.DefaultBlockSize,
        int? searched = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(queries);
        if (features.dim() != 2) throw new ArgumentException($"features must be [N, D] (got {features.dim()} dimensions)", nameof(features));
        if (features.dtype != TorchSharp.torch.ScalarType.Float32) throw new ArgumentException($"features must be float32 (got {features.dtype})", nameof(features));
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        long n = features.shape[0];
        int rows = searched ?? (int)n;
        if (rows < 0 || rows > n) throw new ArgumentOutOfRangeException(nameof(searched), searched, $"rows searched outside 0..{n}");
        foreach (var q in queries)
            if (q < 0 || q >= n) throw new ArgumentOutOfRangeException(nameof(queries), q, $"query index outside 0..{n - 1}");
        int Take(int query) => Math.Min(k, query < rows ? rows - 1 : rows);
        var result = new NeighbourList[queries.Count];
        if (queries.All(q => Take(q) < 1))
        {
            for (int i = 0; i < queries.Count; i++) result[i] = new NeighbourList(queries[i], [], []);
            return result;
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var all = FrozenFeatures.L2Normalize(features); // [N, D]
        var allT = all.narrow(0, 0, rows).t();           // [D, S]: only the searched rows are candidates
        for (int start = 0; start < queries.Count; start += blockSize)
        {
            using var blockScope = NewDisposeScope();
            int length = Math.Min(blockSize, queries.Count - start);
            var ids = new long[length];
            for (int i = 0; i < length; i++) ids[i] = queries[start + i];
            var index = tensor(ids);                                                   // [B]
            var sims = all.index_select(0, index).mm(allT).data<float>().ToArray();  // [B, S], row-major
            for (int i = 0; i < length; i++)
                result[start + i] = TopOfRow(sims.AsSpan(i * rows, rows), queries[start + i], Take(queries[start + i]));
        }
        return result;
    }

    /// <summary>
    /// The fraction of each image's <paramref name="k"/> nearest images that share its label, averaged over all images
    /// (precision at k of retrieval by the representation; 1/C for a representation that knows nothing of C balanced
    /// classes). Images without a label (<see cref="Data.ImageDataset.Unlabelled"/>) are left out, as queries and as
    /// neighbours. NaN when fewer than two images have a label.
    /// </summary>
    /// <param name="features">Features float32 [N, D] (normalised here).</param>
    /// <param name="labels">Label of each row.</param>
    /// <param name="k">Neighbours per image; capped at the labelled images - 1.</param>
    public static double LabelAgreement(Tensor features, int[] labels, int k)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() != 2 || features.shape[0] != labels.Length)
            throw new ArgumentException($"features must be [{labels.Length}, D] for {labels.Length} labels (got [{string.Join(", ", features.shape)}])", nameof(features));
        var labelled = Enumerable.Range(0, labels.Length).Where(i => labels[i] != Data.ImageDataset.Unlabelled).ToArray();
        if (labelled.Length < 2) return double.NaN;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var rows = labelled.Length == labels.Length ? features
            : features.index_select(0, tensor(labelled.Select(i => (long)i).ToArray()));  // [L, D]
        var kept = labelled.Select(i => labels[i]).ToArray();
        long same = 0, total = 0;
        foreach (var list in Find(rows, Enumerable.Range(0, kept.Length).ToArray(), k))
        {
            foreach (var j in list.Neighbours) if (kept[j] == kept[list.Query]) same++;
            total += list.Neighbours.Length;
        }
        return (double)same / total;
    }

    /// <summary>
    /// The <paramref name="take"/> largest entries of one similarity row, larger first, ties by smaller index: one pass
    /// keeping a sorted list of the best so far (O(N · take), for the few neighbours a picture or a score needs).
    /// </summary>
    private static NeighbourList TopOfRow(ReadOnlySpan<float> row, int query, int take)
    {
        if (take < 1) return new NeighbourList(query, [], []);
        var ids = new int[take];
        var sims = new float[take];
        int filled = 0;
        for (int j = 0; j < row.Length; j++)
        {
            float s = row[j];
            if (j == query) continue;                                 // the query never comes back as its own neighbour
            if (filled == take && !(s > sims[take - 1])) continue;    // an equal similarity keeps the earlier (smaller) index
            int at = filled == take ? take - 1 : filled++;
            while (at > 0 && s > sims[at - 1])
            {
                sims[at] = sims[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }
            sims[at] = s;
            ids[at] = j;
        }
        return new NeighbourList(query, ids[..filled], sims[..filled]);
    }
}
