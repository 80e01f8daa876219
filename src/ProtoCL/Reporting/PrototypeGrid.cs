using System.Globalization;
using ProtoCL.Data;

namespace ProtoCL.Reporting;

/// <summary>
/// A grid of sample images for the largest clusters of one clustering level (the assignments of an E-step): a title
/// naming the level and the E-step when known, then one row per cluster (largest first, ties by smaller id): a label
/// column with the cluster id, its size and, when the images have labels, its purity (the share of its labelled
/// members with its most common label, and that label), then up to <c>perCluster</c> of its members drawn at random,
/// upscaled with nearest-neighbour sampling (layout and sizes: <see cref="ImageGrid"/>, with perCluster columns).
/// </summary>
public static class PrototypeGrid
{
    /// <summary>
    /// Writes the grid PNG and returns its rows. Negative assignments (unassigned) are ignored.
    /// Grayscale (C = 1) and RGB (C = 3; a fourth channel is ignored) images are supported; other channel counts show channel 0.
    /// </summary>
    /// <param name="images">The dataset the assignments refer to (its labels, when present, give each cluster's purity).</param>
    /// <param name="assignments">Cluster id per image (length N).</param>
    /// <param name="pngPath">Output PNG path.</param>
    /// <param name="seed">Seed for picking the images shown in each row.</param>
    /// <param name="clusters">How many of the largest clusters to show.</param>
    /// <param name="perCluster">Images per row.</param>
    /// <param name="k">The level's number of clusters K, for the title (null: not named).</param>
    /// <param name="epoch">The 1-based epoch whose E-step (run at its start) made the assignments, for the title (null: not named).</param>
    public static IReadOnlyList<PrototypeGridRow> Write(ImageDataset images, long[] assignments, string pngPath, int seed, int clusters = 8, int perCluster = 10,
        int? k = null, int? epoch = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(assignments);
        if (assignments.Length != images.Count)
            throw new ArgumentException($"{assignments.Length} assignments for {images.Count} images", nameof(assignments));
        if (clusters < 1 || perCluster < 1) throw new ArgumentOutOfRangeException(nameof(clusters), "clusters and perCluster must be positive");

        var rows = ChooseRows(assignments, clusters, perCluster, new Random(seed), images.Labels);
        if (rows.Count == 0) throw new ArgumentException("no image is assigned to a cluster", nameof(assignments));
        int nonEmpty = assignments.Where(a => a >= 0).Distinct().Count();

        var labels = images.Labels;
        bool partlyLabelled = labels is not null && assignments.Where((a, i) => a >= 0 && labels[i] == ImageDataset.Unlabelled).Any();
        var text = new ImageGridText { Title = Title(rows.Count, nonEmpty, perCluster, k, epoch, labels is not null, partlyLabelled) };
        ImageGrid.Write(images, rows.Select(r => new ImageGridRow(Caption(r, images), r.Samples)).ToList(), perCluster, pngPath, text);
        return rows;
    }

    /// <summary>The title lines: which level and E-step, which clusters, and what a row shows.</summary>
    internal static string[] Title(int shown, int nonEmpty, int perCluster, int? k, int? epoch, bool labelled, bool partlyLabelled = false)
    {
        var c = CultureInfo.InvariantCulture;
        string level = k is int kk ? string.Format(c, "Level K = {0:N0}", kk) : "Clusters";
        string estep = epoch is int e ? string.Format(c, ", E-step at the start of epoch {0:N0}", e) : "";
        string which = shown < nonEmpty ? string.Format(c, "the {0:N0} largest of {1:N0} non-empty clusters", shown, nonEmpty)
                                        : string.Format(c, "all {0:N0} non-empty clusters", nonEmpty);
        string row = string.Format(c, "Each row: one cluster and up to {0:N0} of its members, drawn at random. Left: cluster id, size", perCluster) +
                     (labelled ? $" and purity: the share of its {(partlyLabelled ? "labelled " : "")}members that have its most common label, and that label." : ".");
        return [$"{level}{estep}: {which}.", row];
    }

    /// <summary>Label-column lines of a row: "cluster ID", "N images" and, with labels, "P % LABEL" (purity and majority label).</summary>
    private static string[] Caption(PrototypeGridRow r, ImageDataset images)
    {
        var lines = new List<string>
        {
            string.Format(CultureInfo.InvariantCulture, "cluster {0}", r.Cluster),
            string.Format(CultureInfo.InvariantCulture, "{0:N0} image{1}", r.Size, r.Size == 1 ? "" : "s"),
        };
        if (images.Labels is not null)
            lines.Add(r.MajorityLabel is int label && r.Purity is double purity
                ? string.Format(CultureInfo.InvariantCulture, "{0:F0} % {1}", 100 * purity, images.ClassName(label))
                : "no labelled member");
        return [.. lines];
    }

    /// <summary>
    /// The largest <paramref name="clusters"/> clusters (ties: smaller id first) with a seeded random sample of members
    /// each and, with <paramref name="labels"/>, each cluster's majority label and purity over its labelled members.
    /// </summary>
    internal static List<PrototypeGridRow> ChooseRows(long[] assignments, int clusters, int perCluster, Random random, int[]? labels = null)
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
            var (majority, purity) = labels is null ? (null, null) : Purity(list, labels);
            rows.Add(new PrototypeGridRow(id, list.Count, ImageGrid.Sample(list.ToArray(), perCluster, random), majority, purity));
        }
        return rows;
    }

    /// <summary>The most common label among <paramref name="members"/> that have one (smallest on ties) and its share of them; (null, null) when none has a label.</summary>
    private static (int? Label, double? Purity) Purity(List<int> members, int[] labels)
    {
        var counts = new Dictionary<int, int>();
        int labelled = 0;
        foreach (int i in members)
        {
            if (labels[i] == ImageDataset.Unlabelled) continue;
            counts[labels[i]] = counts.GetValueOrDefault(labels[i]) + 1;
            labelled++;
        }
        if (labelled == 0) return (null, null);
        var best = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First();
        return (best.Key, best.Value / (double)labelled);
    }
}
