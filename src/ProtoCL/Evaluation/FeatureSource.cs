using ProtoCL.Augmentation;
using ProtoCL.Data;
using ProtoCL.Model;
using ProtoCL.Training;
using static TorchSharp.torch;

namespace ProtoCL.Evaluation;

/// <summary>
/// Frozen features for the evaluation protocols, from a run folder (its checkpoint's backbone) or from the two
/// baselines that share the same code path: <c>raw</c> (pixels scaled to [0, 1], flattened) and <c>random</c>
/// (the default architecture at seeded random initialisation; <c>random:DIR</c> uses DIR's architecture).
/// </summary>
public static class FeatureSource
{
    /// <summary>Backbone features [N, D] of <paramref name="data"/> under <paramref name="checkpoint"/>. For <c>random</c>,
    /// the input is normalised with the per-channel mean and std of <paramref name="statistics"/> (pass the training split
    /// when extracting the test split, as a trained checkpoint uses its training statistics for both), or of
    /// <paramref name="data"/> itself when null.</summary>
    public static Tensor Extract(string checkpoint, ImageDataset data, int seed, Action<long, long>? progress = null,
        ImageDataset? statistics = null)
    {
        if (checkpoint == "raw")
        {
            using var _ = no_grad();
            using var flat = data.Images.reshape(data.Count, -1);                 // [N, C*H*W] uint8
            return flat.to_type(ScalarType.Float32).div_(255);                    // [N, C*H*W]
        }
        if (checkpoint == "random" || checkpoint.StartsWith("random:", StringComparison.Ordinal))
        {
            manual_seed(seed);
            using var encoder = new ResNetEncoder(RandomEncoderOptions(checkpoint, data));
            var (mean, std) = FeatureExtractor.ChannelStatistics(statistics ?? data);
            return FeatureExtractor.Extract(encoder, data, new BatchAugmenter(new AugmentationOptions(), mean, std), FeatureKind.Backbone, 512, progress);
        }
        var (trained, meta) = LoadCheckpoint(checkpoint);
        using (trained)
        {
            meta.ThrowIfOtherImages(data);
            return FeatureExtractor.Extract(trained, data, new BatchAugmenter(new AugmentationOptions(), meta.ChannelMean, meta.ChannelStd), FeatureKind.Backbone, 512, progress);
        }
    }

    /// <summary>The architecture of the <c>random</c> baseline (the default, the paper's) or of <c>random:DIR</c> (DIR's
    /// checkpoint's; a clear <see cref="FileNotFoundException"/> when DIR holds none), built for <paramref name="data"/>'s
    /// channels and image size.</summary>
    public static EncoderOptions RandomEncoderOptions(string checkpoint, ImageDataset data) =>
        (checkpoint == "random" ? new EncoderOptions() : Checkpoint.ReadMeta(CheckpointFile(checkpoint[7..])).Options.Encoder)
        with { InChannels = data.Channels, ImageSize = Math.Max(data.Height, data.Width) };

    /// <summary>What <c>eval finetune</c> says of <c>--checkpoint raw</c>: pixels have no network to fine-tune.</summary>
    public const string RawCannotFineTune = "fine-tuning trains a network and raw pixels have none; --checkpoint random gives the supervised baseline (the same network trained from scratch on the same labels)";

    /// <summary>
    /// The side a run's image folder was loaded at (<see cref="TrainingOptions.LoadSize"/>), for reading other folders the
    /// same way: that of the run folder or checkpoint file <paramref name="checkpoint"/> names (for <c>random:DIR</c>,
    /// DIR's); null for <c>raw</c> and <c>random</c>, for a run that kept its images' own size, and where there is no
    /// checkpoint to read (using it then fails with its own message).
    /// </summary>
    public static int? LoadSizeOf(string checkpoint) => MetaOf(checkpoint)?.Options.LoadSize;

    /// <summary>
    /// What the run folder or checkpoint file <paramref name="checkpoint"/> recorded about its run (for <c>random:DIR</c>,
    /// DIR's); null for <c>raw</c> and <c>random</c> and where there is no checkpoint to read (using it then fails with
    /// its own message).
    /// </summary>
    public static CheckpointMeta? MetaOf(string checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint is "raw" or "random") return null;
        var path = checkpoint.StartsWith("random:", StringComparison.Ordinal) ? checkpoint[7..] : checkpoint;
        var file = Directory.Exists(path) ? new RunDirectory(path).Checkpoint : path;
        return File.Exists(file) ? Checkpoint.ReadMeta(file) : null;
    }

    /// <summary>Loads a run folder's (or a checkpoint file's) encoder; clear errors when there is none.</summary>
    public static (ResNetEncoder Encoder, CheckpointMeta Meta) LoadCheckpoint(string path) => Checkpoint.LoadEncoder(CheckpointFile(path));

    /// <summary>The checkpoint file of a run folder (or the file itself); throws <see cref="FileNotFoundException"/> saying what is missing.</summary>
    private static string CheckpointFile(string path)
    {
        var file = Directory.Exists(path) ? new RunDirectory(path).Checkpoint : path;
        if (!File.Exists(file))
            throw new FileNotFoundException(Directory.Exists(path)
                ? $"{path} holds no checkpoint.pcl yet (train first, or pass raw / random)"
                : $"no such checkpoint: {path} (give a run folder, raw or random)");
        return file;
    }
}
