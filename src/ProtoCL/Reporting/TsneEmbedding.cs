namespace ProtoCL.Reporting;

/// <summary>A 2-D t-SNE layout of a (possibly subsampled) set of feature rows.</summary>
/// <param name="Xy">float [M, 2]: row i is the position of feature row <c>Indices[i]</c>.</param>
/// <param name="Indices">Ascending indices into the input features of the M embedded rows (all rows when not subsampled).</param>
public sealed record TsneEmbedding(float[,] Xy, int[] Indices)
{
    /// <summary>Number of embedded points M.</summary>
    public int Count => Indices.Length;

    /// <summary>Picks the entries of a per-input array (e.g. labels) that belong to the embedded rows, in row order.</summary>
    public T[] Select<T>(IReadOnlyList<T> perInput) => Indices.Select(i => perInput[i]).ToArray();
}
