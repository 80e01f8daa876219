using ProtoCL.Data;

namespace ProtoCL.Reporting;

/// <summary>
/// A grid of sample images for the largest clusters of one clustering level: one row per cluster (largest first, ties
/// by smaller id), a label column with the cluster id and size, then up to <c>perCluster</c> images drawn at random,
/// upscaled with nearest-neighbour sampling (layout and sizes: <see cref="ImageGrid"/>, with perCluster columns).
/// </summary>
public static class PrototypeGrid
{
    /// <summary>
    /// Writes the grid PNG and returns its rows. Negative assignments (unassigned) are ignored.
    /// Grayscale (C = 1) and RGB (C = 3; a fourth channel is ignored) images are supported; other channel counts show channel 0.
    /// </summary>
    /// <param name="images">The dataset the assignments refer to.</param>
    /// <param name="assignments">Cluster id per image (length N).</param>
    /// <param name="pngPath">Output PNG path.</param>
    /// <param name="seed">Seed for picking the images shown in each row.</param>
    /// <param name="clusters">How many of the largest clusters to show.</param>
    /// <param name="perCluster">Images per row.</param>
    public static IReadOnlyList<PrototypeGridRow> Write(ImageDataset images, long[] assignments, string pngPath, int seed, int clusters = 8, int perCluster = 10)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(assignments);
        if (assignments.Length != images.Count)
            throw new ArgumentException($"{assignments.Length} assignments for {images.Count} images", nameof(assignments));
        if (clusters < 1 || perCluster < 1) throw new ArgumentOutOfRangeException(nameof(clusters), "clusters and perCluster must be positive");

        var rows = ChooseRows(assignments, clusters, perCluster, new Random(seed));
        if (rows.Count == 0) throw new ArgumentException("no image is assigned to a cluster", nameof(assignments));

        ImageGrid.Write(images, rows.Select(r => new ImageGridRow([$"cluster {r.Cluster}", $"n = {r.Size}"], r.Samples)).ToList(), perCluster, pngPath);
        return rows;
    }

    /// <summary>The largest <paramref name="clusters"/> clusters (ties: smaller id first) with a seeded random sample of members each.</summary>
    internal static List<PrototypeGridRow> ChooseRows(long[] assignments, int clusters, int perCluster, Random random)
    {
        var members = new Dictionary<long, List<int>>();
        for (int i = 0; i < assignments.Length; i++)
        {
            if (assignments[i] < 0) continue;
            if (!members.TryGetValue(assignments[i], out var list)) members[assignments[i]] = list = [];
            list.Add(i);
        }
        var rows = new List<PrototypeGridRow>();
        foreach (var (id, list) in members.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key).Take(clusters))
        {
            rows.Add(new PrototypeGridRow(id, list.Count, ImageGrid.Sample(list.ToArray(), perCluster, random)));
        }
        return rows;
    }
}
