using System.Text;
using System.Text.Json;
using ProtoCL.IO;
using ProtoCL.Model;
using TorchSharp;
using static TorchSharp.torch;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;

namespace ProtoCL.Training;

/// <summary>What a checkpoint records besides the tensors.</summary>
public sealed record CheckpointMeta
{
    /// <summary>Format version of the file.</summary>
    public int Format { get; init; } = 1;
    /// <summary>Revision of the training step that wrote the file (<see cref="TrainingRevision"/>); files written before
    /// revisions were recorded read as 1.</summary>
    public int Revision { get; init; } = 1;
    /// <summary>Epochs finished (1-based count).</summary>
    public int Epoch { get; init; }
    /// <summary>Training options of the run, with the data's channels and image size filled in.</summary>
    public TrainingOptions Options { get; init; } = new();
    /// <summary>Per-channel mean and std used to normalise images.</summary>
    public float[] ChannelMean { get; init; } = [];
    /// <summary>Per-channel standard deviation of the training pixels scaled to [0, 1], one entry per channel; used with <see cref="ChannelMean"/>.</summary>
    public float[] ChannelStd { get; init; } = [];
    /// <summary>Column of the MoCo key queue where the next key is written; 0 for runs without a queue (SimCLR methods).</summary>
    public int QueuePointer { get; init; }
    /// <summary>Relative folder of the last E-step's cluster result, or null before the first.</summary>
    public string? LastClusters { get; init; }
    /// <summary>How every random stream continues: each epoch's generators are seeded from (seed, epoch), so the
    /// state at an epoch boundary is fully given by these two numbers.</summary>
    public string RngScheme { get; init; } = "per-epoch torch.Generator seeded with seed * 1000003 + epoch; model init by torch.manual_seed(seed)";
    /// <summary>Metrics of the finished epochs, one per epoch, in order.</summary>
    public List<EpochMetrics> History { get; init; } = [];
    /// <summary>Set when the run was interrupted (Ctrl-C) inside an epoch: where to continue it exactly.</summary>
    public PartialEpoch? Partial { get; init; }
    /// <summary>Where the training images came from (<see cref="ProtoCL.Data.ImageDataset.Source"/>: a path, or "embedded:...").</summary>
    public string Source { get; init; } = "";
    /// <summary>Number of training images, after any <see cref="TrainingOptions.Limit"/>.</summary>
    public int ImageCount { get; init; }
    /// <summary>Channels of the training images (1 for grayscale, 3 for colour).</summary>
    public int Channels { get; init; }
    /// <summary>Longer side of the training images in pixels.</summary>
    public int ImageSize { get; init; }
    /// <summary>The training images' <see cref="ProtoCL.Data.ImageDataset.ContentDigest"/>; null in files written before it
    /// was recorded (those are judged by the image count alone).</summary>
    public string? DataDigest { get; init; }
    /// <summary>Image files of the training data left out as unreadable (<see cref="ProtoCL.Data.BadImagePolicy.Skip"/>) when
    /// the run read them; later commands read the same data the same way. 0 in files written before it was recorded.</summary>
    public int SkippedImages { get; init; }

    /// <summary>
    /// Null when <paramref name="data"/> holds the images this run trained on (the same pixels in the same order, so the
    /// E-step's assignments index them); otherwise why not, in words.
    /// </summary>
    public string? OtherImagesReason(ProtoCL.Data.ImageDataset data)
    {
        if (data.Count != ImageCount)
            return $"the run trained on {ImageCount:N0} images from {Source}, {data.Source} holds {data.Count:N0}";
        if (DataDigest is not null && DataDigest != data.ContentDigest)
            return $"{data.Source} holds {data.Count:N0} images, as many as the run trained on from {Source}, but not the same pixels in the same order " +
                   $"(content digest {data.ContentDigest[..12]}, the run's {DataDigest[..Math.Min(12, DataDigest.Length)]})";
        return null;
    }

    /// <summary>
    /// Whether <paramref name="data"/> begins with the images this run trained on: its first <see cref="ImageCount"/>
    /// images are the training images, the same pixels in the same order (as when a run trained on the embedded test split,
    /// or the first N of it, is scored on the Fashion-MNIST test file). False when they are not, or when no digest was
    /// recorded; images shared in another order or in part are not detected.
    /// </summary>
    public bool TrainedOn(ProtoCL.Data.ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (DataDigest is null || data.Count < ImageCount || data.Channels != Channels || Math.Max(data.Height, data.Width) != ImageSize)
            return false;
        if (data.Count == ImageCount) return data.ContentDigest == DataDigest;
        using var first = data.Take(ImageCount);
        return first.ContentDigest == DataDigest;
    }

    /// <summary>Throws when <paramref name="data"/>'s images have another channel count or size than the training images.</summary>
    public void ThrowIfOtherImages(ProtoCL.Data.ImageDataset data)
    {
        if (Channels != data.Channels || ImageSize != Math.Max(data.Height, data.Width))
            throw new ArgumentException($"the checkpoint was trained on {Channels}-channel images whose longer side is {ImageSize} px; the data has {data.Channels}-channel {data.Width}x{data.Height} images" +
                                        (Channels == data.Channels ? $" (an image folder is read at {ImageSize} x {ImageSize} with --image-size {ImageSize})" : ""));
    }
}

/// <summary>
/// What one training step computes, numbered: a run continues only under the revision that started it, so that no run
/// mixes epochs trained by two different losses under the same settings. Raise <see cref="Current"/> whenever a change
/// makes the same options train differently (and say what changed below); a change to logging alone does not count.
/// </summary>
public static class TrainingRevision
{
    /// <summary>5 since 2026-11-30 (evening): SimCLR and PCL-SimCLR pass the second view through the split BatchNorm in a
    /// random order (<see cref="ViewBatchNorm.Shuffled"/>; revision 4 kept batch order, so an image's two views shared a
    /// slice); MoCo and PCL train exactly as in revision 4. 4 since 2026-11-30 (second session): crops are drawn as torchvision's RandomResizedCrop draws them (whole
    /// pixels, redrawn up to 10 times, then a centre crop; revision 3 clipped a crop wider or taller than the image to its
    /// side) and ColorJitter's steps run in a random order per image (revision 3: a fixed order). 3: the v1 augmentation turns colour images gray before the colour jitter, as
    /// main_pcl.py's v1 list does (revision 2: after it; one-channel images train as before). 2: PCL-SimCLR applies the
    /// prototype term to both of its views (revision 1: to the first view only, unless --symmetric was given).</summary>
    public const int Current = 5;

    /// <summary>Throws when a checkpoint of another revision would be trained further.</summary>
    public static void ThrowIfOther(CheckpointMeta meta, string path)
    {
        if (meta.Revision != Current)
            throw new InvalidDataException(
                $"{path} was written by a ProtoCL whose training differs from this one (training revision {meta.Revision}, this build {Current}); " +
                "continuing it would mix two training steps in one run: finish it with the ProtoCL that started it, or start a new run (--force or another --out)");
    }
}

/// <summary>An epoch stopped between minibatches: the steps done, the random stream's state and the running sums.</summary>
public sealed record PartialEpoch
{
    /// <summary>0-based epoch that was interrupted.</summary>
    public int Epoch { get; init; }
    /// <summary>Minibatches finished in that epoch.</summary>
    public long Step { get; init; }
    /// <summary>The epoch generator's state after those minibatches (torch ByteTensor bytes).</summary>
    public byte[] GeneratorState { get; init; } = [];
    /// <summary>Sum over the finished minibatches of the total loss times the batch size; divided by <see cref="Seen"/> it is the mean.</summary>
    public double SumLoss { get; init; }
    /// <summary>The same sum for the instance term (InfoNCE or NT-Xent).</summary>
    public double SumInstance { get; init; }
    /// <summary>The same sum for the prototype term; 0 in an epoch without prototypes.</summary>
    public double SumProto { get; init; }
    /// <summary>Query views, over the finished minibatches, whose positive scored highest in the instance term (a count).</summary>
    public double CorrectInstance { get; init; }
    /// <summary>Query rows whose best prototype is their own cluster's, averaged per minibatch over levels and views, summed over minibatches.</summary>
    public double CorrectProto { get; init; }
    /// <summary>Images trained on so far in the epoch (finished minibatches x batch size).</summary>
    public long Seen { get; init; }
    /// <summary>Wall-clock seconds of the epoch's minibatches so far, including any time before an earlier interruption.</summary>
    public double SecondsTrain { get; init; }
    /// <summary>Wall-clock seconds of the epoch's E-step; 0 when it had none.</summary>
    public double SecondsEStep { get; init; }
    /// <summary>Seconds of the E-step spent computing the embeddings of all images.</summary>
    public double SecondsEStepFeatures { get; init; }
    /// <summary>Seconds of the E-step's k-means, summed over the levels.</summary>
    public double SecondsKMeans { get; init; }
    /// <summary>Seconds of the E-step's phi estimate, summed over the levels.</summary>
    public double SecondsPhi { get; init; }
}

/// <summary>
/// The latest training state in one file: magic, JSON meta, encoder, momentum encoder, queue, optimizer.
/// Written to a temporary file and renamed over the old one, so a crash leaves the previous checkpoint intact.
/// </summary>
public static class Checkpoint
{
    private static readonly byte[] Magic = "PROTOCL1"u8.ToArray();

    /// <summary>Writes the meta and the training state to <paramref name="path"/> atomically, replacing any previous checkpoint there.</summary>
    /// <param name="path">Checkpoint file, usually <see cref="RunDirectory.Checkpoint"/>.</param>
    /// <param name="meta">Settings, progress and data description, stored as JSON.</param>
    /// <param name="encoder">The encoder being trained.</param>
    /// <param name="keyEncoder">The momentum encoder; null when the method has none (SimCLR methods).</param>
    /// <param name="queue">The MoCo key queue, whose keys are saved (its pointer goes in <paramref name="meta"/>); null when there is none.</param>
    /// <param name="optimizer">Optimizer whose state is saved; null saves none.</param>
    public static void Save(string path, CheckpointMeta meta, ResNetEncoder encoder, ResNetEncoder? keyEncoder, KeyQueue? queue, OptimizerHelper? optimizer)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            var json = JsonSerializer.SerializeToUtf8Bytes(meta, JsonDefaults.Compact);
            w.Write(json.Length);
            w.Write(json);
            encoder.save(w);
            w.Write(keyEncoder is not null);
            keyEncoder?.save(w);
            w.Write(queue is not null);
            if (queue is not null)
            {
                w.Write(queue.Keys.shape[0]);
                w.Write(queue.Keys.shape[1]);
                using var keys = queue.Keys.contiguous();                 // [D, r]
                w.Write(keys.bytes);
            }
            w.Write(optimizer is not null);
            optimizer?.save_state_dict(w);
            w.Write(Magic); // trailer: a file cut short is recognised
        });
    }

    /// <summary>Reads only the meta (fast; for resume checks and evaluation).</summary>
    public static CheckpointMeta ReadMeta(string path)
    {
        using var r = Open(path);
        return ReadMeta(r, path);
    }

    private static BinaryReader Open(string path)
    {
        var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8, leaveOpen: false);
        var magic = r.ReadBytes(Magic.Length);
        if (!magic.SequenceEqual(Magic)) { r.Dispose(); throw new InvalidDataException($"{path} is not a ProtoCL checkpoint"); }
        // The trailer is written last: without it the file was cut short (only possible if copied by hand, since writes are atomic).
        var stream = r.BaseStream;
        if (stream.Length < 2 * Magic.Length) { r.Dispose(); throw new InvalidDataException($"{path} is cut short; it is not a complete ProtoCL checkpoint"); }
        stream.Seek(-Magic.Length, SeekOrigin.End);
        var trailer = r.ReadBytes(Magic.Length);
        if (!trailer.SequenceEqual(Magic)) { r.Dispose(); throw new InvalidDataException($"{path} is cut short; it is not a complete ProtoCL checkpoint"); }
        stream.Seek(Magic.Length, SeekOrigin.Begin);
        return r;
    }

    private static CheckpointMeta ReadMeta(BinaryReader r, string path)
    {
        int len = r.ReadInt32();
        if (len <= 0 || len > 256 << 20) throw new InvalidDataException($"{path}: corrupt checkpoint header");
        var meta = JsonSerializer.Deserialize<CheckpointMeta>(r.ReadBytes(len), JsonDefaults.Compact)
                   ?? throw new InvalidDataException($"{path}: empty checkpoint meta");
        return WithSettingsOfItsRevision(meta);
    }

    /// <summary>A file of revision 4 or earlier records no <see cref="TrainingOptions.ViewBatchNorm"/>, which would read
    /// as today's default; those revisions trained with both views in batch order, so that is what it says.</summary>
    internal static CheckpointMeta WithSettingsOfItsRevision(CheckpointMeta meta) =>
        meta.Revision < 5 ? meta with { Options = meta.Options with { ViewBatchNorm = ViewBatchNorm.Same } } : meta;

    /// <summary>Loads the state into already-built modules (built on CPU from the meta's options).</summary>
    public static CheckpointMeta Load(string path, ResNetEncoder encoder, ResNetEncoder? keyEncoder, out KeyQueue? queue, OptimizerHelper? optimizer)
    {
        try
        {
            using var r = Open(path);
            var meta = ReadMeta(r, path);
            encoder.load(r);
            bool hasKey = r.ReadBoolean();
            if (hasKey)
            {
                if (keyEncoder is not null) keyEncoder.load(r);
                else new ResNetEncoder(encoder.Options).load(r).Dispose();
            }
            queue = null;
            if (r.ReadBoolean())
            {
                long d = r.ReadInt64(), n = r.ReadInt64();
                var bytes = r.ReadBytes(checked((int)(d * n * 4)));
                if (bytes.Length != d * n * 4) throw new EndOfStreamException();
                var keys = empty(d, n);                                    // [D, r]
                keys.bytes = bytes;
                queue = new KeyQueue(keys, meta.QueuePointer);
            }
            if (r.ReadBoolean() && optimizer is not null) optimizer.load_state_dict(r);
            return meta;
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} is cut short; it is not a complete ProtoCL checkpoint");
        }
    }

    /// <summary>Loads the encoder whose embeddings the E-step clusters: the momentum encoder of MoCo and PCL runs, the
    /// encoder itself for SimCLR and PCL-SimCLR.</summary>
    public static (ResNetEncoder Encoder, CheckpointMeta Meta) LoadClusteringEncoder(string path)
    {
        var meta = ReadMeta(path);
        if (!meta.Options.UsesMomentumEncoder) return LoadEncoder(path);
        using var encoder = new ResNetEncoder(meta.Options.Encoder);
        var key = new ResNetEncoder(meta.Options.Encoder);
        try
        {
            Load(path, encoder, key, out var queue, null);
            queue?.Dispose();
            return (key, meta);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Loads only the encoder for evaluation and embedding.</summary>
    public static (ResNetEncoder Encoder, CheckpointMeta Meta) LoadEncoder(string path)
    {
        var meta = ReadMeta(path);
        var encoder = new ResNetEncoder(meta.Options.Encoder);
        Load(path, encoder, null, out var queue, null);
        queue?.Dispose();
        return (encoder, meta);
    }
}
