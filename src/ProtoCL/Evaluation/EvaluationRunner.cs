using System.Text.Json;
using System.Text.Json.Nodes;
using ProtoCL.Clustering;
using ProtoCL.Data;
using ProtoCL.Model;
using ProtoCL.Training;
using static TorchSharp.torch;

namespace ProtoCL.Evaluation;

/// <summary>The protocols a checkpoint can be judged by.</summary>
public enum Protocol
{
    /// <summary>Weighted kNN (k = 200, T = 0.07).</summary>
    Knn,
    /// <summary>Softmax regression on frozen features.</summary>
    Linear,
    /// <summary>One-vs-rest linear SVMs with k = 1..16 labelled images per class.</summary>
    LowShot,
    /// <summary>k-means with K = classes: AMI, NMI, Hungarian accuracy; and the AMI of each PCL level.</summary>
    Cluster,
}

/// <summary>Settings shared by the protocols (each protocol reads its own).</summary>
public sealed record EvaluationSettings
{
    /// <summary>Seed of every random choice (low-shot draws, k-means, probe initialisation, random encoder).</summary>
    public int Seed { get; init; }
    /// <summary>kNN neighbours: 200 (InstDisc / MoCo).</summary>
    public int KnnK { get; init; } = 200;
    /// <summary>kNN temperature: 0.07 (InstDisc).</summary>
    public double KnnTemperature { get; init; } = 0.07;
    /// <summary>Low-shot labelled images per class: 1, 2, 4, 8, 16 (the paper's Table 1); fewer for classes with under 16 images.</summary>
    public IReadOnlyList<int> LowShotShots { get; init; } = new LowShotSvmOptions().Shots;
}

/// <summary>
/// Runs one protocol on a checkpoint (or the raw / random baselines) and returns the JSON record every result
/// file holds: protocol, parameters, data paths and sizes, checkpoint, seed, then the protocol's numbers.
/// </summary>
public static class EvaluationRunner
{
    /// <summary>Runs <paramref name="protocol"/> on <paramref name="checkpoint"/> (a run folder or checkpoint file, <c>raw</c>,
    /// <c>random</c> or <c>random:DIR</c>): features of <paramref name="train"/> and <paramref name="test"/>, then the protocol;
    /// returns the JSON record (as <c>protocl eval PROTOCOL --json</c> writes it). <paramref name="progress"/> sees
    /// (stage, done, total) during the feature extraction.</summary>
    public static JsonObject Run(Protocol protocol, string checkpoint, ImageDataset train, ImageDataset test, EvaluationSettings settings,
        Action<string, long, long>? progress = null)
        => RunAll([protocol], checkpoint, train, test, settings, progress)[protocol];

    /// <summary>Runs several protocols on one extraction of the features, in the order given; <paramref name="done"/>
    /// sees each result as soon as it is finished (so a caller can save it before the next protocol starts).</summary>
    public static Dictionary<Protocol, JsonObject> RunAll(IReadOnlyList<Protocol> protocols, string checkpoint, ImageDataset train, ImageDataset test,
        EvaluationSettings settings, Action<string, long, long>? progress = null, Action<Protocol, JsonObject>? done = null,
        Action<Protocol, Exception>? failed = null)
    {
        ArgumentNullException.ThrowIfNull(protocols);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(settings.LowShotShots, "settings.LowShotShots");
        _ = Labels(protocols, train, test);                              // refused before minutes of feature extraction
        using var scope = NewDisposeScope();
        var (trainFeatures, testFeatures) = Features(checkpoint, train, test, settings.Seed, progress); // [N, D], [M, D]
        return Evaluate(protocols, checkpoint, train, test, trainFeatures, testFeatures, settings, done, failed);
    }

    /// <summary>Runs several protocols on features already extracted, in the order given; <paramref name="done"/> sees
    /// each result as soon as it is finished. With <paramref name="failed"/>, a protocol the data cannot serve (an
    /// <see cref="ArgumentException"/> or <see cref="InvalidDataException"/>, e.g. too few images per class for the low-shot
    /// draws) is reported to it and left out of the results, and the others still run; without it, it throws.</summary>
    public static Dictionary<Protocol, JsonObject> Evaluate(IReadOnlyList<Protocol> protocols, string checkpoint, ImageDataset train, ImageDataset test,
        Tensor trainFeatures, Tensor testFeatures, EvaluationSettings settings, Action<Protocol, JsonObject>? done = null, Action<Protocol, Exception>? failed = null)
    {
        var results = new Dictionary<Protocol, JsonObject>();
        foreach (var protocol in protocols)
        {
            try
            {
                results[protocol] = Evaluate(protocol, checkpoint, train, test, trainFeatures, testFeatures, settings);
            }
            catch (Exception e) when (failed is not null && e is ArgumentException or InvalidDataException)
            {
                failed(protocol, e);                                       // the data cannot serve this protocol: go on with the rest
                continue;
            }
            done?.Invoke(protocol, results[protocol]);
        }
        return results;
    }

    /// <summary>The features every protocol reads: the training and test images through the checkpoint (or the raw /
    /// random baseline; the random encoder's normalisation comes from the training data). Progress stages are
    /// "train features" and "test features".</summary>
    public static (Tensor Train, Tensor Test) Features(string checkpoint, ImageDataset train, ImageDataset test, int seed,
        Action<string, long, long>? progress = null)
    {
        var trainFeatures = FeatureSource.Extract(checkpoint, train, seed, (d, t) => progress?.Invoke("train features", d, t)); // [N, D]
        var testFeatures = FeatureSource.Extract(checkpoint, test, seed, (d, t) => progress?.Invoke("test features", d, t), train);    // [M, D]
        return (trainFeatures, testFeatures);
    }

    /// <summary>The labels of both sets, which every protocol scores against, the test labels numbered as the training
    /// classes of the same name (see <see cref="AlignedToTraining"/>); throws <see cref="ArgumentException"/> naming a set
    /// without them, or whose every image is <see cref="ImageDataset.Unlabelled"/>.</summary>
    private static (int[] Train, int[] Test) Labels(IReadOnlyList<Protocol> protocols, ImageDataset train, ImageDataset test) =>
        (LabelsOf(train, "training"),
         AlignedToTraining(LabelsOf(test, "test"), train, test, protocols.Any(p => p != Protocol.Cluster)));

    /// <summary>
    /// <paramref name="testLabels"/> renumbered so that each test class carries the index of the training class with the
    /// same name, when both sets name their classes (two class-folder trees whose folders differ, e.g. a test tree with
    /// only some of the classes); unchanged when either set has no class names or both name the same classes. A test
    /// class without a training class of its name is refused when <paramref name="classified"/> (a classifier trained on
    /// the training classes cannot be scored on it); clustering reads only the test labels and keeps them as they are.
    /// </summary>
    private static int[] AlignedToTraining(int[] testLabels, ImageDataset train, ImageDataset test, bool classified)
    {
        if (train.ClassNames is not { } trainNames || test.ClassNames is not { } testNames || trainNames.SequenceEqual(testNames, StringComparer.Ordinal))
            return testLabels;
        // Names compared in Unicode normal form C: the same folder name copied from macOS (NFD) and from Linux (NFC) is one class.
        trainNames = trainNames.Select(n => n.Normalize()).ToList();
        testNames = testNames.Select(n => n.Normalize()).ToList();
        var index = trainNames.Select((name, i) => (name, i)).GroupBy(p => p.name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        var missing = testNames.Where((name, c) => !index.ContainsKey(name) && testLabels.Contains(c)).ToArray();
        if (missing.Length > 0)
        {
            if (!classified) return testLabels;
            throw new ArgumentException($"the test data's class(es) {string.Join(", ", missing.Select(n => $"'{n}'"))} have no training class of that name " +
                                        $"(training classes: {string.Join(", ", trainNames)}); a classifier fit on the training classes cannot be scored on them");
        }
        return testLabels.Select(c => c == ImageDataset.Unlabelled ? c : index[testNames[c]]).ToArray();
    }

    private static int[] LabelsOf(ImageDataset data, string role)
    {
        var labels = data.Labels ?? throw new ArgumentException($"the {role} data ({data.Source}) has no labels; the protocols need labelled data");
        if (labels.Length > 0 && labels.All(l => l == ImageDataset.Unlabelled))
            throw new ArgumentException($"{data.Source} has no labelled images (only images outside class folders); the protocols need labelled data");
        return labels;
    }

    /// <summary>Runs one protocol on features already extracted (so several protocols can share one extraction).</summary>
    public static JsonObject Evaluate(Protocol protocol, string checkpoint, ImageDataset train, ImageDataset test, Tensor trainFeatures, Tensor testFeatures,
        EvaluationSettings settings)
    {
        var (trainLabels, testLabels) = Labels([protocol], train, test);
        bool finite;
        using (NewDisposeScope())
        using (no_grad())
            finite = isfinite(trainFeatures).all().item<bool>() && isfinite(testFeatures).all().item<bool>();
        if (!finite)
            throw new InvalidDataException($"the features of {checkpoint} contain NaN or infinity");
        using var scope = NewDisposeScope();
        // Unlabelled images (the root files of a class-folder tree) are not a class: they are left out of every score.
        int trainImages = trainLabels.Length, testImages = testLabels.Length;
        (trainFeatures, trainLabels, int[] trainKept) = LabelledRows(trainFeatures, trainLabels);   // [N', D]
        (testFeatures, testLabels, _) = LabelledRows(testFeatures, testLabels);                     // [M', D]
        int trainLeftOut = trainImages - trainLabels.Length, testLeftOut = testImages - testLabels.Length;
        object result = protocol switch
        {
            Protocol.Knn => KnnClassifier.Evaluate(trainFeatures, trainLabels, testFeatures, testLabels, settings.KnnK, settings.KnnTemperature),
            Protocol.Linear => LinearProbe.Evaluate(trainFeatures, trainLabels, testFeatures, testLabels, new LinearProbeOptions { Seed = settings.Seed }),
            Protocol.LowShot => InDataOrder(LowShotSvm.Evaluate(trainFeatures, ThrowIfTooFewPerClass(train, trainLabels, settings.LowShotShots), testFeatures, testLabels,
                                                    new LowShotSvmOptions { Seed = settings.Seed, Shots = settings.LowShotShots }), trainKept),
            Protocol.Cluster => ClusterEvaluation.Evaluate(testFeatures, testLabels, seed: settings.Seed),
            _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
        };
        var json = Header(Name(protocol), checkpoint, train, test, trainLabels.Length, testLabels.Length, settings.Seed, trainLeftOut, testLeftOut);
        json["feature_dim"] = trainFeatures.shape[1];
        foreach (var (key, value) in JsonSerializer.SerializeToNode(result, result.GetType(), JsonDefaults.Compact)!.AsObject().ToList())
            json[key] = value?.DeepClone();
        if (protocol == Protocol.Cluster)
        {
            var (levels, note) = LevelAmi(checkpoint, train);
            json["levels"] = levels;
            if (note is not null) json["levels_note"] = note;
        }
        return json;
    }

    /// <summary>What every evaluation JSON holds before its protocol's numbers: protocol, checkpoint, data and their sizes,
    /// split, seed, the checkpoint's epoch and notes, the class names and the unlabelled images left out.</summary>
    private static JsonObject Header(string protocol, string checkpoint, ImageDataset train, ImageDataset test, int trainImages, int testImages,
        int seed, int trainLeftOut, int testLeftOut)
    {
        var json = new JsonObject
        {
            ["protocol"] = protocol,
            ["checkpoint"] = checkpoint,
            ["train_data"] = train.Source,
            ["test_data"] = test.Source,
            ["train_images"] = trainImages,
            ["test_images"] = testImages,
            ["split"] = "fit on --train-data, score on --test-data",
            ["seed"] = seed,
        };
        if (TrainedCheckpoint(checkpoint) is { } state)
        {
            json["checkpoint_epoch"] = state.Epoch;                      // the epochs finished in the weights scored
            if (state.Partial is { } part)
                json["checkpoint_note"] = $"written mid-epoch: epoch {part.Epoch + 1} was interrupted after minibatch {part.Step}, so the weights are partly into it";
            if (state.TrainedOn(test))
                json["test_note"] = TestNote(state.ImageCount, test.Count);
        }
        if (train.ClassNames is { } names) json["class_names"] = new JsonArray(names.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()); // what label c (per_class_*[c]) is
        if (trainLeftOut > 0) json["train_unlabelled_left_out"] = trainLeftOut;
        if (testLeftOut > 0) json["test_unlabelled_left_out"] = testLeftOut;
        return json;
    }

    /// <summary>
    /// The semi-supervised protocol (<see cref="FineTune"/>) on <paramref name="checkpoint"/> (a run folder or checkpoint
    /// file, <c>random</c> or <c>random:DIR</c>, the latter two the supervised baseline trained from scratch on the same
    /// labels); returns the JSON record, as <c>protocl eval finetune --json</c> writes it. <c>raw</c> has no network to
    /// fine-tune and is refused. <paramref name="progress"/> sees (stage, step, steps) while each percentage trains;
    /// <paramref name="message"/> gets the memory estimate (<see cref="MemoryEstimate.Summary"/>) before anything is built.
    /// </summary>
    public static JsonObject RunFineTune(string checkpoint, ImageDataset train, ImageDataset test, FineTuneOptions options,
        Action<string, long, long>? progress = null, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        if (checkpoint == "raw")
            throw new ArgumentException(FeatureSource.RawCannotFineTune);
        var (trainLabels, testLabels) = Labels([Protocol.Linear], train, test);   // scored as a classifier: test classes must be training classes
        Func<ResNetEncoder> make;
        float[] mean, std;
        EncoderOptions encoderOptions;
        if (checkpoint == "random" || checkpoint.StartsWith("random:", StringComparison.Ordinal))
        {
            encoderOptions = FeatureSource.RandomEncoderOptions(checkpoint, train);
            (mean, std) = FeatureExtractor.ChannelStatistics(train);
            make = () => { manual_seed(options.Seed); return new ResNetEncoder(encoderOptions); };
        }
        else
        {
            var meta = FeatureSource.MetaOf(checkpoint);
            if (meta is null) FeatureSource.LoadCheckpoint(checkpoint).Encoder.Dispose();   // throws its clear error: there is none
            meta!.ThrowIfOtherImages(train);
            meta.ThrowIfOtherImages(test);
            (mean, std) = (meta.ChannelMean, meta.ChannelStd);
            encoderOptions = meta.Options.Encoder;
            make = () => FeatureSource.LoadCheckpoint(checkpoint).Encoder;
        }
        int trainLabelled = trainLabels.Count(l => l != ImageDataset.Unlabelled), testLabelled = testLabels.Count(l => l != ImageDataset.Unlabelled);
        var memory = MemoryEstimate.ThrowIfFineTuneTooLarge(encoderOptions, options, train, test, FineTune.LargestStep(trainLabels, options));   // before a network is built
        message?.Invoke(memory.Summary($"a fine-tuning step of {memory.StepImages} images"));
        if (message is not null && memory.NoteNow() is string note) message(note);
        var result = FineTune.Evaluate(make, mean, std, train, trainLabels, test, testLabels, options, progress);
        var json = Header(FineTuneResult.Protocol, checkpoint, train, test, trainLabelled, testLabelled, options.Seed,
            trainLabels.Length - trainLabelled, testLabels.Length - testLabelled);
        foreach (var (key, value) in JsonSerializer.SerializeToNode(result, JsonDefaults.Compact)!.AsObject().ToList())
            json[key] = value?.DeepClone();
        return json;
    }

    /// <summary>What an evaluation's <c>test_note</c> says when the checkpoint's run trained on the first
    /// <paramref name="trained"/> of the <paramref name="tested"/> test images.</summary>
    public static string TestNote(int trained, int tested) =>
        (trained == tested ? $"the run was trained on these {tested:N0} test images" : $"the run was trained on the first {trained:N0} of these {tested:N0} test images") +
        " (without their labels), so the scores are not on held-out images; score it on other images (--test-data) for a held-out result";

    /// <summary>The meta of a run folder's (or a checkpoint file's) checkpoint; null for the raw and random baselines.</summary>
    public static CheckpointMeta? TrainedCheckpoint(string checkpoint)
    {
        if (checkpoint is "raw" or "random" || checkpoint.StartsWith("random:", StringComparison.Ordinal)) return null;
        var file = Directory.Exists(checkpoint) ? new RunDirectory(checkpoint).Checkpoint : checkpoint;
        return File.Exists(file) ? Checkpoint.ReadMeta(file) : null;
    }

    /// <summary><paramref name="labels"/> as they are, after refusing (naming the class) a training class with fewer labelled
    /// images than the largest low-shot draw takes.</summary>
    private static int[] ThrowIfTooFewPerClass(ImageDataset train, int[] labels, IReadOnlyList<int> shots)
    {
        if (shots.Count == 0) return labels;
        int most = shots.Max();
        var counts = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        for (int c = 0; c <= (labels.Length == 0 ? -1 : labels.Max()); c++)
        {
            int n = counts.GetValueOrDefault(c);
            if (n < most)
                throw new ArgumentException($"{(train.ClassNames is null ? $"training class {c}" : $"the training class '{train.ClassName(c)}'")} has {n} labelled image(s), fewer than the {most} per class the low-shot " +
                                            $"protocol draws (k = {string.Join(", ", shots)}); ask for fewer (--shots, e.g. {string.Join(",", shots.Where(k => k <= Math.Max(1, n)).DefaultIfEmpty(1))})");
        }
        return labels;
    }

    /// <summary>The rows of <paramref name="features"/> [N, D] whose label is not <see cref="ImageDataset.Unlabelled"/>, their
    /// labels and their positions among the N rows; the same tensor and labels when every row has a label.</summary>
    private static (Tensor Features, int[] Labels, int[] Kept) LabelledRows(Tensor features, int[] labels)
    {
        var keep = Enumerable.Range(0, labels.Length).Where(i => labels[i] != ImageDataset.Unlabelled).ToArray();
        if (keep.Length == labels.Length) return (features, labels, keep);
        using var index = tensor(keep.Select(i => (long)i).ToArray());                 // [N']
        return (features.index_select(0, index), keep.Select(i => labels[i]).ToArray(), keep); // [N', D]
    }

    /// <summary>The low-shot result with each draw's training rows given as positions in the training data as read, where
    /// <paramref name="kept"/> (the labelled rows' positions) left unlabelled images out before the draws.</summary>
    private static LowShotResult InDataOrder(LowShotResult result, int[] kept) => result with
    {
        Results = result.Results.ToDictionary(r => r.Key, r => r.Value with
        {
            TrainIndices = r.Value.TrainIndices?.Select(draw => draw.Select(i => kept[i]).ToArray()).ToArray(),
        }),
    };

    /// <summary>
    /// The AMI of each PCL level's assignments in the checkpoint's last E-step, against the training labels; empty for a
    /// run without an E-step, and empty with a note saying why when <paramref name="train"/> is not the images it clustered.
    /// </summary>
    private static (JsonArray Levels, string? Note) LevelAmi(string checkpoint, ImageDataset train)
    {
        var levels = new JsonArray();
        if (checkpoint == "raw" || checkpoint == "random" || checkpoint.StartsWith("random:", StringComparison.Ordinal))
            return (levels, $"{checkpoint} is a baseline without PCL levels");
        if (!Directory.Exists(checkpoint)) return (levels, null);
        var run = new RunDirectory(checkpoint);
        if (!run.HasCheckpoint) return (levels, null);
        var meta = Checkpoint.ReadMeta(run.Checkpoint);
        if (meta.LastClusters is null)
            return (levels, $"the run has no E-step clusters to score ({meta.Options.Method.Name()}{(meta.Options.UsesPrototypes ? ", still in its warm-up" : "")})");
        if (meta.OtherImagesReason(train) is { } other)
            return (levels, $"the PCL levels are not scored: --train-data is not the images the last E-step clustered ({other})");
        using var clusters = ClusterResult.Load(Path.Combine(run.Path, meta.LastClusters));
        // Unlabelled images (the root files of a class-folder tree) are not a class: they are left out of the scores.
        var labelled = Enumerable.Range(0, train.Count).Where(i => train.Labels![i] != ImageDataset.Unlabelled).ToArray();
        var labels = labelled.Select(i => train.Labels![i]).ToArray();
        foreach (var level in clusters.Levels)
        {
            var all = level.Assignments.data<long>().ToArray();
            var assignments = labelled.Select(i => (int)all[i]).ToArray();
            levels.Add(new JsonObject
            {
                ["k"] = level.K,
                ["ami"] = ClusteringMetrics.AdjustedMutualInformation(labels, assignments),
                ["nmi"] = ClusteringMetrics.NormalizedMutualInformation(labels, assignments),
            });
        }
        return (levels, null);
    }

    /// <summary>Lower-case name of a protocol, as the command line, the evaluation file names and the result's "protocol" field use it.</summary>
    /// <param name="p">The protocol.</param>
    /// <returns>"knn", "linear", "lowshot" or "cluster".</returns>
    public static string Name(Protocol p) => p switch
    {
        Protocol.Knn => "knn",
        Protocol.Linear => "linear",
        Protocol.LowShot => "lowshot",
        _ => "cluster",
    };
}
