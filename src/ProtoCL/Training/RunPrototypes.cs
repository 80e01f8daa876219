using ProtoCL.Augmentation;
using ProtoCL.Clustering;
using ProtoCL.Data;

namespace ProtoCL.Training;

/// <summary>Where images fall among the prototypes a run learned (its last E-step, or an earlier one).</summary>
public static class RunPrototypes
{
    /// <summary>
    /// Embeds <paramref name="data"/> with the encoder the E-step clusters (as the E-step does: un-augmented, in the
    /// run's precision) and assigns every image to its most similar prototype at each level of the E-step that
    /// started <paramref name="epoch"/> (default: the last one).
    /// </summary>
    /// <returns>The assignments, the E-step folder they refer to, and whether that is the run's last E-step (an earlier
    /// one's prototypes meet embeddings of the run's final encoder, the only one a checkpoint keeps).</returns>
    public static (LevelAssignment[] Levels, string ClustersFolder, bool IsLast) Assign(string runFolder, ImageDataset data, int? epoch = null,
        Action<long, long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(runFolder);
        ArgumentNullException.ThrowIfNull(data);
        var run = new RunDirectory(runFolder);
        if (!Directory.Exists(run.Path)) throw new DirectoryNotFoundException($"no such run folder: {runFolder}");
        if (!run.HasCheckpoint) throw new FileNotFoundException($"{runFolder} holds no checkpoint.pcl yet (train first)");
        var meta = Checkpoint.ReadMeta(run.Checkpoint);
        string folder;
        if (epoch is int e)
        {
            folder = run.ClustersOfEpoch(e);
            if (!ClusterResult.IsSaved(folder))
                throw new ArgumentException($"{runFolder} has no E-step result for epoch {e} (the E-steps of this run: {Describe(run)})");
        }
        else
        {
            folder = meta.LastClusters is { } last ? Path.Combine(run.Path, last)
                : throw new ArgumentException(meta.Options.UsesPrototypes
                    ? $"{runFolder} has no E-step result yet: the first comes after the {meta.Options.WarmupEpochs} warm-up epoch(s)"
                    : $"{runFolder} is a {meta.Options.Method.Name()} run: it learns no prototypes (train with --method pcl or pcl-simclr)");
        }
        meta.ThrowIfOtherImages(data);
        using var clusters = ClusterResult.Load(folder);
        var (encoder, _) = Checkpoint.LoadClusteringEncoder(run.Checkpoint);
        using (encoder)
        {
            using var embeddings = FeatureExtractor.Extract(encoder, data, new BatchAugmenter(new AugmentationOptions(), meta.ChannelMean, meta.ChannelStd),
                FeatureKind.Embedding, meta.Options.FeatureBatchSize, progress, meta.Options.ComputeType); // [N, Dim]
            bool isLast = meta.LastClusters is { } last && Path.GetFullPath(Path.Combine(run.Path, last)) == Path.GetFullPath(folder);
            return (PrototypeAssignment.Assign(embeddings, clusters), folder, isLast);
        }
    }

    private static string Describe(RunDirectory run)
    {
        var epochs = Directory.Exists(run.ClustersRoot)
            ? Directory.GetDirectories(run.ClustersRoot, "epoch-*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()
            : [];
        return epochs.Length == 0 ? "none" : string.Join(", ", epochs);
    }
}
