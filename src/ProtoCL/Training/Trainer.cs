using System.Diagnostics;
using System.Text.Json;
using ProtoCL.Augmentation;
using ProtoCL.Clustering;
using ProtoCL.Data;
using ProtoCL.IO;
using ProtoCL.Losses;
using ProtoCL.Model;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ProtoCL.Training;

/// <summary>
/// The EM loop of PCL, and of the methods it is compared with (MoCo, SimCLR, PCL-SimCLR): per epoch, after
/// warm-up, an E-step (features of every image, k-means per granularity, phi), then an M-step over minibatches
/// minimising ProtoNCE with SGD. Writes config.json, metrics.jsonl, the checkpoint and each E-step's clusters.
/// Dispose it (it holds the models' native memory). Not thread-safe, and not to be run beside another trainer in the same
/// process: libtorch's seed and thread count are process-wide, so two trainers at once no longer repeat their results exactly.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly TrainingOptions _o;
    private readonly ImageDataset _data;
    private readonly ImageDataset? _limited;    // the first TrainingOptions.Limit images, when the data holds more (owned)
    private readonly RunDirectory? _run;
    private readonly ITrainingObserver _observer;
    private readonly BatchAugmenter _augmenter;
    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly TorchSharp.Modules.SGD _optimizer;
    private readonly List<EpochMetrics> _history = [];
    private KeyQueue? _queue;
    private int _nextEpoch;                     // the epoch Run starts (or continues) with
    private bool _interrupted;                  // a cancelled Run leaves the models mid-epoch: only a resume continues it
    private string? _lastClusters;
    private PartialEpoch? _resumePartial;

    /// <summary>The encoder being trained (query encoder).</summary>
    public ResNetEncoder Encoder { get; }

    /// <summary>The momentum (key) encoder; null for SimCLR methods.</summary>
    public ResNetEncoder? KeyEncoder { get; }

    /// <summary>The options with the data's channels and image size filled in.</summary>
    public TrainingOptions Options => _o;

    /// <summary>Metrics of every finished epoch, including those restored on resume.</summary>
    public IReadOnlyList<EpochMetrics> History => _history;

    /// <summary>Builds the models; with <paramref name="resume"/> and a checkpoint in <paramref name="run"/>, restores it.</summary>
    public Trainer(TrainingOptions options, ImageDataset data, RunDirectory? run, bool resume = false, ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options.Encoder, "options.Encoder");
        if (options.Limit is int limit && data.Count > limit)
            data = _limited = data.Slice(0, limit);                          // [limit, C, H, W]: Limit is "use only the first N images"
        _data = data;
        _run = run;
        _observer = observer ?? NullTrainingObserver.Instance;
        _o = options with { Encoder = options.Encoder with { InChannels = data.Channels, ImageSize = Math.Max(data.Height, data.Width) } };
        TrainingOptionsValidator.ThrowIfInvalid(_o, data.Count);
        if (_o.LoadSize is int side && (data.Height != side || data.Width != side))
            throw new ArgumentException($"the options record images loaded at {side}x{side} (LoadSize), but {data.Source} holds {data.Height}x{data.Width} images; load them with DataLoadOptions.ImageSize = {side}");
        if (_o.ExifOrientation != data.ExifOriented)
            throw new ArgumentException(_o.ExifOrientation
                ? $"the options record images turned upright by their EXIF orientation (ExifOrientation), but {data.Source} was read without; load it with DataLoadOptions.ApplyExifOrientation = true"
                : $"{data.Source} was read turned upright by EXIF orientation, but the options do not record it; set TrainingOptions.ExifOrientation = true");
        MemoryEstimate.ThrowIfTooLarge(_o, data);                           // before any model is built
        set_num_threads(_o.Threads);

        CheckpointMeta? meta = resume && run is { HasCheckpoint: true } ? Checkpoint.ReadMeta(run.Checkpoint) : null;
        if (meta is not null && (meta.Epoch < _o.Epochs || meta.Partial is not null))
            TrainingRevision.ThrowIfOther(meta, run!.Checkpoint);            // before any model is built; a finished run trains no further
        if (meta?.OtherImagesReason(data) is { } other)
            throw new ArgumentException($"cannot resume {run!.Checkpoint} on other images: {other}; resume it with the images it trained on, or start a new run (--force or another --out)");
        (_mean, _std) = meta is not null ? (meta.ChannelMean, meta.ChannelStd) : FeatureExtractor.ChannelStatistics(data);
        _augmenter = new BatchAugmenter(_o.Augmentation, _mean, _std);

        manual_seed(_o.Seed);
        Encoder = new ResNetEncoder(_o.Encoder);
        if (_o.UsesMomentumEncoder)
        {
            KeyEncoder = MomentumEncoder.CopyOf(Encoder);
            using var queueGenerator = new Generator((ulong)_o.Seed + 17);
            _queue = new KeyQueue(_o.Encoder.Dim, _o.QueueSize, queueGenerator);
        }
        _optimizer = optim.SGD(Encoder.parameters(), _o.LearningRate, _o.SgdMomentum, weight_decay: _o.WeightDecay);
        if (meta is not null)
        {
            _queue?.Dispose();
            Checkpoint.Load(run!.Checkpoint, Encoder, KeyEncoder, out _queue, _optimizer);
            _nextEpoch = meta.Epoch;
            _history.AddRange(meta.History.Take(meta.Epoch));
            _lastClusters = meta.LastClusters;
            _resumePartial = meta.Partial;
            _observer.Message(meta.Partial is { } part
                ? $"resuming epoch {part.Epoch + 1} of {_o.Epochs} at minibatch {part.Step + 1} from {run.Checkpoint}"
                : $"resuming after epoch {meta.Epoch} of {_o.Epochs} from {run.Checkpoint}");
        }
        else if (resume && run is not null)
        {
            _observer.Message($"no checkpoint in {run.Path} yet: starting from the beginning");
        }
    }

    /// <summary>Trains from the current epoch to <see cref="TrainingOptions.Epochs"/>; a second call after training finished
    /// does nothing. When <paramref name="cancel"/> fires it stops between minibatches with an
    /// <see cref="OperationCanceledException"/>: with a run folder the checkpoint then holds the unfinished epoch, and a new
    /// <c>Trainer(..., resume: true)</c> continues it exactly; this trainer cannot be run again.</summary>
    public void Run(CancellationToken cancel = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_interrupted)
            throw new InvalidOperationException("this trainer was interrupted in the middle of an epoch; continue with a new Trainer(..., resume: true) on its run folder");
        if (_run is not null)
        {
            var stale = AtomicFile.RemoveStale(_run.Path);
            if (stale.Count > 0)
                _observer.Message($"removed {stale.Count} unfinished temporary file(s) left by an interrupted write (the files they were replacing are intact)");
            Directory.CreateDirectory(_run.Path);
            AtomicFile.WriteAllText(_run.Config, JsonSerializer.Serialize(new RunConfig(_o, _data.Source, _data.Count, _mean, _std) { SkippedImages = _data.SkippedCount }, JsonDefaults.Indented));
            WriteMetrics();
        }
        for (int epoch = _nextEpoch; epoch < _o.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            EpochMetrics metrics;
            try
            {
                metrics = RunEpoch(epoch, cancel);
            }
            catch (TrainingInterruptedException stop)
            {
                _interrupted = true;
                if (_run is null)
                    throw new OperationCanceledException($"interrupted in epoch {epoch + 1} after minibatch {stop.State.Step}; no run folder, so nothing was saved", stop, cancel);
                SaveCheckpoint(epoch, stop.State);
                throw new OperationCanceledException(
                    $"interrupted in epoch {epoch + 1} after minibatch {stop.State.Step}; checkpoint written to {_run.Checkpoint}; continue with --resume", stop, cancel);
            }
            catch (OperationCanceledException)
            {
                _interrupted = true;                                           // cancelled inside an E-step: the models are untouched, but keep one rule
                throw;
            }
            _nextEpoch = epoch + 1;
            _history.Add(metrics);
            if (_run is not null)
            {
                SaveCheckpoint(epoch + 1);
                WriteMetrics();
            }
            _observer.EpochFinished(metrics);
        }
    }

    private EpochMetrics RunEpoch(int epoch, CancellationToken cancel)
    {
        using var gen = new Generator((ulong)_o.Seed * 1000003UL + (ulong)epoch);
        double lr = _o.LearningRateAt(epoch);
        foreach (var group in _optimizer.ParamGroups) group.LearningRate = lr;
        var warnings = new List<string>();

        ClusterResult? clusters = null;
        double estepSeconds = 0, featureSeconds = 0, kmeansSeconds = 0, phiSeconds = 0;
        bool protoEpoch = _o.UsesPrototypes && epoch >= _o.WarmupEpochs;
        var partial = _resumePartial is { } p && p.Epoch == epoch ? p : null;
        _resumePartial = null;
        if (partial is not null)
        {
            // Continue an interrupted epoch exactly: its E-step result was saved before the interruption.
            if (protoEpoch) clusters = ClusterResult.Load(Path.Combine(_run!.Path, _lastClusters!));
            (estepSeconds, featureSeconds, kmeansSeconds, phiSeconds) = (partial.SecondsEStep, partial.SecondsEStepFeatures, partial.SecondsKMeans, partial.SecondsPhi);
        }
        else if (protoEpoch)
        {
            var sw = Stopwatch.StartNew();
            clusters = RunEStep(epoch, out featureSeconds, warnings, cancel);
            estepSeconds = sw.Elapsed.TotalSeconds;
            kmeansSeconds = clusters.Levels.Sum(l => l.KMeansSeconds);
            phiSeconds = clusters.Levels.Sum(l => l.PhiSeconds);
        }
        try
        {
            var timings = new PartialEpoch { SecondsEStep = estepSeconds, SecondsEStepFeatures = featureSeconds, SecondsKMeans = kmeansSeconds, SecondsPhi = phiSeconds };
            return TrainPass(epoch, lr, gen, clusters, partial, timings, cancel) with
            {
                SecondsEStep = estepSeconds,
                SecondsEStepFeatures = featureSeconds,
                SecondsKMeans = kmeansSeconds,
                SecondsPhi = phiSeconds,
                Clusters = protoEpoch ? _o.Clusters : null,
                Warnings = warnings.Count > 0 ? warnings.ToArray() : null,
            };
        }
        finally
        {
            clusters?.Dispose();
        }
    }

    /// <summary>The E-step. A cancellation is honoured between feature batches and k-means steps: nothing of this
    /// epoch has been saved yet, so the previous epoch's checkpoint stands and a resume redoes the E-step exactly.</summary>
    private ClusterResult RunEStep(int epoch, out double featureSeconds, List<string> warnings, CancellationToken cancel)
    {
        void Progress(string stage, long done, long total)
        {
            cancel.ThrowIfCancellationRequested();
            _observer.Progress($"epoch {epoch + 1}/{_o.Epochs} {stage}", done, total);
        }
        var sw = Stopwatch.StartNew();
        var source = KeyEncoder ?? Encoder; // PCL: momentum encoder; PCL-SimCLR: the encoder itself
        using var features = FeatureExtractor.Extract(source, _data, _augmenter, FeatureKind.Embedding, _o.FeatureBatchSize,
            (done, total) => Progress("E-step features", done, total), _o.ComputeType); // [N, Dim], L2-normalised
        featureSeconds = sw.Elapsed.TotalSeconds;
        bool finite;
        using (NewDisposeScope()) finite = isfinite(features).all().item<bool>(); // [N, Dim] bool -> []
        if (!finite)
            throw new TrainingDivergedException($"epoch {epoch + 1}: E-step features contain NaN or infinity; the last good checkpoint is kept");
        var kmeans = new KMeansOptions { Iterations = _o.KMeansIterations, Restarts = _o.KMeansRestarts };
        var result = EStep.Cluster(features, _o.Clusters, _o.Temperature, kmeans,
            (stage, done, total) => Progress(stage, done, total));         // per level: Assignments [N], Centroids [K, Dim], Phi [K]
        // Every epoch's warnings go to metrics.jsonl; the console hears each kind once per level (a collapse's numbers
        // change from epoch to epoch, so it is keyed by its kind, not its text).
        foreach (var level in result.Levels)
        {
            foreach (var w in level.Warnings.Select(w => $"K={level.K}: {w}"))
            {
                warnings.Add(w);
                if (_warned.Add(w)) _observer.Message($"warning: epoch {epoch + 1}: {w}");
            }
            if (!level.LooksCollapsed) continue;
            warnings.Add($"K={level.K}: the representation looks collapsed ({level.CollapseReason})");
            if (_warned.Add($"K={level.K}: collapsed"))
                _observer.Message($"warning: epoch {epoch + 1}: K={level.K}: the representation looks collapsed ({level.CollapseReason}); said once, every epoch's state is in metrics.jsonl");
        }
        if (_run is not null)
        {
            var dir = _run.ClustersOfEpoch(epoch + 1);
            try
            {
                result.Save(dir);
            }
            catch
            {
                result.Dispose(); // e.g. a full disk: the caller never receives the levels' tensors
                throw;
            }
            _lastClusters = Path.GetRelativePath(_run.Path, dir);
        }
        return result;
    }

    private EpochMetrics TrainPass(int epoch, double lr, Generator gen, ClusterResult? clusters, PartialEpoch? resume, PartialEpoch timings, CancellationToken cancel)
    {
        Encoder.train();
        KeyEncoder?.train();
        int b = _o.BatchSize;
        long steps = _data.Count / b; // drop_last, as MoCo's loader
        using var perm = randperm(_data.Count, generator: gen);            // [N]
        double sumLoss = 0, sumInst = 0, sumProto = 0, correctInst = 0, correctProto = 0, secondsBefore = 0;
        long seen = 0, firstStep = 0;
        if (resume is not null)
        {
            using var state = tensor(resume.GeneratorState);                // [S] uint8, the saved generator state
            gen.set_state(state);
            (firstStep, sumLoss, sumInst, sumProto, correctInst, correctProto, seen, secondsBefore) =
                (resume.Step, resume.SumLoss, resume.SumInstance, resume.SumProto, resume.CorrectInstance, resume.CorrectProto, resume.Seen, resume.SecondsTrain);
        }
        var sw = Stopwatch.StartNew();
        for (long step = firstStep; step < steps; step++)
        {
            if (cancel.IsCancellationRequested)
            {
                using var state = gen.get_state();                          // [S] uint8
                throw new TrainingInterruptedException(timings with
                {
                    Epoch = epoch, Step = step, GeneratorState = state.bytes.ToArray(), SumLoss = sumLoss, SumInstance = sumInst, SumProto = sumProto,
                    CorrectInstance = correctInst, CorrectProto = correctProto, Seen = seen, SecondsTrain = secondsBefore + sw.Elapsed.TotalSeconds,
                });
            }
            using var scope = NewDisposeScope();
            var idx = perm.narrow(0, step * b, b);                          // [B]
            var images = _data.Images.index_select(0, idx);                 // [B, C, H, W] uint8
            var xq = _augmenter.Augment(images, gen).to(_o.ComputeType);       // [B, C, H, W]
            var xk = _augmenter.Augment(images, gen).to(_o.ComputeType);       // [B, C, H, W]
            var (instance, queries, keys) = Forward(xq, xk, gen);           // Loss [], Correct []; queries [B, Dim] each; keys [B or 2B, Dim] or null
            var protoTerms = new List<Tensor>();
            var protoCorrect = new List<Tensor>();
            if (clusters is not null)
            {
                foreach (var level in clusters.Levels)
                {
                    var assign = level.Assignments.index_select(0, idx);      // [B]
                    foreach (var q in queries)
                    {
                        var p = ProtoNceLoss.Compute(q, assign, level.Centroids, level.Phi, _o.QueueSize, gen,
                            _o.PrototypeLogits == PrototypeLogits.Paper);       // Loss [], Correct []
                        protoTerms.Add(p.Loss);
                        protoCorrect.Add(p.Correct);
                    }
                }
            }
            var proto = protoTerms.Count > 0 ? stack(protoTerms).mean() : null; // []: (1/M) sum_m, averaged over the query views
            var loss = proto is null ? instance.Loss : instance.Loss + proto; // []
            double lossValue = loss.item<float>();
            if (!double.IsFinite(lossValue))
                throw new TrainingDivergedException($"epoch {epoch + 1}, step {step + 1}: the loss is {lossValue}; stopped, the last good checkpoint is kept (try a smaller --lr)");
            _optimizer.zero_grad();
            loss.backward();
            _optimizer.step();
            if (keys is not null) _queue!.Enqueue(keys);
            sumLoss += lossValue * b;
            sumInst += instance.Loss.item<float>() * b;
            correctInst += instance.Correct.item<long>();
            if (proto is not null)
            {
                sumProto += proto.item<float>() * b;
                correctProto += protoCorrect.Sum(c => c.item<long>()) / (double)protoCorrect.Count;
            }
            seen += b;
            _observer.Progress($"epoch {epoch + 1}/{_o.Epochs} train", step + 1, steps,
                $"loss {sumLoss / seen:F3}  {seen / (secondsBefore + sw.Elapsed.TotalSeconds):F0} img/s");
        }
        double seconds = secondsBefore + sw.Elapsed.TotalSeconds;
        double views = _o.UsesMomentumEncoder && !_o.Symmetric ? 1.0 : 2.0;    // SimCLR methods and symmetric MoCo/PCL score both views
        return new EpochMetrics
        {
            Epoch = epoch + 1,
            Loss = sumLoss / seen,
            LossInstance = sumInst / seen,
            LossProto = clusters is null ? null : sumProto / seen,
            AccInstance = correctInst / (seen * views),
            AccProto = clusters is null ? null : correctProto / seen,
            Lr = lr,
            ImagesPerSecond = seen / seconds,
            SecondsTrain = seconds,
        };
    }

    /// <summary>The instance-discrimination part of a step: returns its loss, the embeddings the prototype term uses
    /// (MoCo methods: the query view, or both views when symmetric; SimCLR methods: both views, which NT-Xent treats
    /// alike), and the keys to enqueue (MoCo methods).</summary>
    private (LossOutput Instance, Tensor[] Queries, Tensor? Keys) Forward(Tensor xq, Tensor xk, Generator gen)
    {
        if (KeyEncoder is null)
        {
            var z1 = F.normalize(Encoder.forward(xq), dim: 1);              // [B, Dim]
            var z2 = _o.ViewBatchNorm == ViewBatchNorm.Shuffled && _o.Encoder.BnGroups > 1
                ? ShuffledForward(Encoder, xk, gen)                         // [B, Dim]: its slices hold other images than the first view's
                : F.normalize(Encoder.forward(xk), dim: 1);                 // [B, Dim]
            return (NtXentLoss.Compute(z1, z2, _o.Temperature), [z1, z2], null); // Loss [], Correct []; no query view here: the prototype term takes both
        }
        using (no_grad()) MomentumEncoder.Update(KeyEncoder, Encoder, _o.EncoderMomentum);
        var q = F.normalize(Encoder.forward(xq), dim: 1);                   // [B, Dim]
        var k = Keys(xk, gen);                                              // [B, Dim]
        var loss = InfoNceLoss.Compute(q, k, _queue!.Keys, _o.Temperature); // Loss [], Correct []
        if (!_o.Symmetric) return (loss, [q], k);
        var q2 = F.normalize(Encoder.forward(xk), dim: 1);                  // [B, Dim]
        var k2 = Keys(xq, gen);                                             // [B, Dim]
        var loss2 = InfoNceLoss.Compute(q2, k2, _queue.Keys, _o.Temperature); // Loss [], Correct []
        Tensor correct;
        using (no_grad()) correct = loss.Correct + loss2.Correct;          // [] a count, no gradient
        var both = new LossOutput((loss.Loss + loss2.Loss) / 2, correct);   // Loss [], Correct []
        return (both, [q, q2], cat([k, k2], 0));                            // keys [2B, Dim]
    }

    /// <summary>Momentum-encoder keys with shuffled BN on one device.</summary>
    private Tensor Keys(Tensor x, Generator gen)
    {
        using var _ = no_grad();
        return ShuffledForward(KeyEncoder!, x, gen);                        // [B, Dim]
    }

    /// <summary>Shuffled BatchNorm on one device: the images pass <paramref name="encoder"/>'s split BN in a random order
    /// drawn from <paramref name="gen"/>, and their L2-normalised embeddings are put back in batch order.</summary>
    internal static Tensor ShuffledForward(ResNetEncoder encoder, Tensor x, Generator gen)
    {
        var shuffle = randperm(x.shape[0], generator: gen);                 // [B]
        var shuffled = F.normalize(encoder.forward(x.index_select(0, shuffle)), dim: 1); // [B, Dim]
        return shuffled.index_select(0, shuffle.argsort());                 // [B, Dim]
    }

    private void SaveCheckpoint(int epochsDone, PartialEpoch? partial = null)
    {
        var meta = new CheckpointMeta
        {
            Revision = TrainingRevision.Current,
            Epoch = epochsDone,
            Options = _o,
            ChannelMean = _mean,
            ChannelStd = _std,
            QueuePointer = _queue?.Pointer ?? 0,
            LastClusters = _lastClusters,
            History = _history.ToList(),
            Source = _data.Source,
            ImageCount = _data.Count,
            SkippedImages = _data.SkippedCount,
            DataDigest = _data.ContentDigest,
            Channels = _data.Channels,
            ImageSize = Math.Max(_data.Height, _data.Width),
            Partial = partial,
        };
        try
        {
            Checkpoint.Save(_run!.Checkpoint, meta, Encoder, KeyEncoder, _queue, _optimizer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var kept = File.Exists(_run!.Checkpoint) ? $"the previous checkpoint in {_run.Checkpoint} is intact" : "no checkpoint was written yet";
            throw new IOException($"could not write the checkpoint after epoch {epochsDone} ({e.Message}); {kept}", e);
        }
    }

    private void WriteMetrics()
    {
        var lines = _history.Select(m => JsonSerializer.Serialize(m, JsonDefaults.Compact) + "\n");
        AtomicFile.WriteAllText(_run!.Metrics, string.Concat(lines));
    }

    private bool _disposed;
    private readonly HashSet<string> _warned = [];                             // E-step warnings already said on the console

    /// <summary>Frees the encoders, the queue, the optimizer state and the trainer's copy of the first
    /// <see cref="TrainingOptions.Limit"/> images (the data given stays the caller's).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Encoder.Dispose();
        KeyEncoder?.Dispose();
        _queue?.Dispose();
        _optimizer.Dispose();
        _limited?.Dispose();
    }
}

/// <summary>config.json: every setting, resolved, plus what the data was.</summary>
public sealed record RunConfig(TrainingOptions Options, string Data, int Images, float[] ChannelMean, float[] ChannelStd)
{
    /// <summary>ProtoCL version that wrote the file.</summary>
    public string Version { get; init; } = typeof(RunConfig).Assembly.GetName().Version?.ToString() ?? "0";
    /// <summary>Image files of the data left out as unreadable (<see cref="ProtoCL.Data.BadImagePolicy.Skip"/>); a resume
    /// reads the data the same way. 0 in files written before it was recorded.</summary>
    public int SkippedImages { get; init; }
}
