using System.ComponentModel;
using System.Text.Json;
using ProtoCL.Cli.Terminal;
using ProtoCL.Evaluation;
using ProtoCL.IO;
using ProtoCL.Training;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

/// <summary>Options of every <c>protocl eval</c> command: what to evaluate, on which images.</summary>
public class EvalSettings : CommandSettings
{
    [CommandOption("--checkpoint <DIR>")] [Description("Run folder, or raw (pixels) or random (random initialisation; random:DIR for DIR's architecture). Required.")] public string Checkpoint { get; set; } = "";
    [CommandOption("--train-data <PATH>")] [Description("Labelled training data (default: Debian's Fashion-MNIST train split).")] public string? TrainData { get; set; }
    [CommandOption("--test-data <PATH>")] [Description("Labelled test data (default: Debian's Fashion-MNIST test split, the same images as train's default embedded set; eval warns, and the JSON's test_note says, when the run trained on the test images).")] public string? TestData { get; set; }
    [CommandOption("--seed <N>")] [Description("Seed of draws, k-means and initialisations (default 0).")] public int Seed { get; set; }
    [CommandOption("--limit <N>")] [Description("Use only the first N training images.")] public int? Limit { get; set; }
    [CommandOption("--image-size <S>")] [Description(DataSettings.ImageSizeHelp)] public int? ImageSize { get; set; }
    [CommandOption("--exif-orientation")] [Description(DataSettings.ExifOrientationHelp)] public bool ExifOrientation { get; set; }
    [CommandOption("--on-bad-image <POLICY>")] [Description(DataSettings.PolicyHelp)] public string? OnBadImage { get; set; }
    [CommandOption("--force")] [Description("Replace existing result files.")] public bool Force { get; set; }

    public override Spectre.Console.ValidationResult Validate()
    {
        if (Checkpoint.Length == 0) return Spectre.Console.ValidationResult.Error("--checkpoint is required (a run folder, raw or random)");
        if (Limit is < 1) return Spectre.Console.ValidationResult.Error($"--limit must be at least 1 (got {Limit})");
        if ((DataSettings.ImageSizeError(ImageSize) ?? DataSettings.PolicyError(OnBadImage)) is string error) return Spectre.Console.ValidationResult.Error(error);
        return base.Validate();
    }

    /// <summary>The evaluation settings these options give.</summary>
    internal virtual EvaluationSettings Settings => new() { Seed = Seed };

    /// <summary>Records --limit in an evaluation's JSON (train_data names the whole file; train_images counts what was used).</summary>
    internal void RecordLimit(System.Text.Json.Nodes.JsonObject json)
    {
        if (Limit is int limit) json["train_limit"] = limit;
    }

    /// <summary>Reads --train-data and --test-data as the checkpoint's run read its images; warns when the run trained on
    /// the test images.</summary>
    internal (Data.ImageDataset Train, Data.ImageDataset Test) LoadData()
    {
        var train = DataSettings.LoadFor(Checkpoint, TrainData ?? Data.DatasetLoader.FashionMnistTrainPath, new Data.DataLoadOptions { Limit = Limit, ImageSize = ImageSize, ApplyExifOrientation = ExifOrientation }, OnBadImage);
        try
        {
            var test = DataSettings.LoadFor(Checkpoint, TestData ?? Data.DatasetLoader.FashionMnistTestPath, new Data.DataLoadOptions { ImageSize = ImageSize, ApplyExifOrientation = ExifOrientation }, OnBadImage);
            EvalText.WarnIfTrainedOn(Checkpoint, test);
            return (train, test);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>The message for knn's or lowshot's options given to a protocol that does not read them.</summary>
    internal static string? OtherProtocolsError(bool knnGiven, bool shotsGiven) =>
        knnGiven ? "-k / --neighbours and --temperature are knn's options (eval knn, eval all); this protocol does not read them"
        : shotsGiven ? "--shots is lowshot's option (eval lowshot, eval all); this protocol does not read it" : null;

    /// <summary>The message for bad knn options; null when they are fine or unset.</summary>
    internal static string? KnnError(int? k, double? temperature) =>
        k < 1 ? $"--neighbours must be at least 1 (got {k})"
        : temperature is double t && !(t > 0) ? $"--temperature must be positive (got {temperature})" : null;

    /// <summary>The evaluation settings with the knn and low-shot options given (null: the protocol's default).</summary>
    internal static EvaluationSettings With(EvaluationSettings baseline, int? k, double? temperature, string? shots) => baseline with
    {
        KnnK = k ?? baseline.KnnK, KnnTemperature = temperature ?? baseline.KnnTemperature,
        LowShotShots = shots is null ? baseline.LowShotShots : ParseShots(shots)!,
    };

    private static int[]? ParseShots(string text) =>
        BudgetSettings.ParseIntegers(text) is { } shots && shots.All(k => k >= 1) && shots.Distinct().Count() == shots.Length ? shots : null;

    /// <summary>The message for a bad --shots; null when it is fine or unset.</summary>
    internal static string? ShotsError(string? text) =>
        text is null || ParseShots(text) is not null ? null : $"--shots must be distinct positive integers separated by commas, such as 1,2,4 (got '{text}')";
}

/// <summary>Options of <c>protocl eval knn|linear|lowshot|cluster</c>: one protocol, one JSON.</summary>
public class EvalProtocolSettings : EvalSettings
{
    [CommandOption("--json <FILE>")] [Description("Write the result here (default: print it on standard output).")] public string? Json { get; set; }

    /// <summary>Records --limit in the result, then writes it to --json (its summary line on standard output) or, without
    /// --json, prints it on standard output (the summary on standard error).</summary>
    internal void Write(System.Text.Json.Nodes.JsonObject json)
    {
        RecordLimit(json);
        var text = json.ToJsonString(JsonDefaults.Indented);
        if (Json is not null)
        {
            Console.WriteLine(EvalText.Summary(json));
            AtomicFile.WriteAllText(Json, text);
            Console.WriteLine($"wrote {Json}");
        }
        else
        {
            Console.Error.WriteLine(EvalText.Summary(json));
            Console.WriteLine(text);
        }
    }
}

/// <summary>Options of <c>protocl eval knn</c>.</summary>
public sealed class EvalKnnSettings : EvalProtocolSettings
{
    [CommandOption("-k|--neighbours|--neighbors <N>")] [Description("Neighbours that vote (default 200).")] public int? K { get; set; }
    [CommandOption("--temperature <T>")] [Description("Temperature of the votes' weights exp(similarity / T) (default 0.07).")] public double? Temperature { get; set; }
    [CommandOption("--shots <K,K,...>", IsHidden = true)] public string? Shots { get; set; }

    public override Spectre.Console.ValidationResult Validate() =>
        (OtherProtocolsError(false, Shots is not null) ?? KnnError(K, Temperature)) is string error ? Spectre.Console.ValidationResult.Error(error) : base.Validate();

    internal override EvaluationSettings Settings => With(base.Settings, K, Temperature, null);
}

/// <summary>Options of <c>protocl eval lowshot</c>.</summary>
public sealed class EvalLowShotSettings : EvalProtocolSettings
{
    [CommandOption("--shots <K,K,...>")] [Description("Labelled images per class to draw (default 1,2,4,8,16, the paper's).")] public string? Shots { get; set; }
    [CommandOption("-k|--neighbours|--neighbors <N>", IsHidden = true)] public int? K { get; set; }
    [CommandOption("--temperature <T>", IsHidden = true)] public double? Temperature { get; set; }

    public override Spectre.Console.ValidationResult Validate() =>
        (OtherProtocolsError(K is not null || Temperature is not null, false) ?? ShotsError(Shots)) is string error ? Spectre.Console.ValidationResult.Error(error) : base.Validate();

    internal override EvaluationSettings Settings => With(base.Settings, null, null, Shots);
}

/// <summary>Options of <c>protocl eval linear</c> and <c>eval cluster</c>. Each protocol's settings also take the other
/// protocols' options, hidden from its help, only to refuse them by name.</summary>
public sealed class EvalPlainSettings : EvalProtocolSettings
{
    [CommandOption("-k|--neighbours|--neighbors <N>", IsHidden = true)] public int? K { get; set; }
    [CommandOption("--temperature <T>", IsHidden = true)] public double? Temperature { get; set; }
    [CommandOption("--shots <K,K,...>", IsHidden = true)] public string? Shots { get; set; }

    public override Spectre.Console.ValidationResult Validate() =>
        OtherProtocolsError(K is not null || Temperature is not null, Shots is not null) is string error ? Spectre.Console.ValidationResult.Error(error) : base.Validate();
}

/// <summary><c>protocl eval PROTOCOL</c>: one evaluation protocol on frozen features.</summary>
public abstract class EvalCommand<TSettings>(Protocol protocol) : Command<TSettings> where TSettings : EvalProtocolSettings
{
    public override int Execute(CommandContext context, TSettings s, CancellationToken cancellationToken)
    {
        ConsoleProgress.ResultOnStandardOutput = s.Json is null;           // the JSON goes to stdout: keep it clean
        OutputFile.ThrowIfTaken(s.Force, s.Json);                          // before any image is read
        var (trainData, testData) = s.LoadData();
        using var train = trainData;
        using var test = testData;
        var settings = s.Settings;
        var json = ConsoleProgress.Run(o => EvaluationRunner.Run(protocol, s.Checkpoint, train, test, settings, (stage, d, t) => o.Progress(stage, d, t)));
        s.Write(json);
        return 0;
    }
}

/// <summary>What the eval commands print besides the JSON.</summary>
internal static class EvalText
{
    /// <summary>Says, before any feature is extracted, when the checkpoint's run trained on the test images (the default
    /// data make that easy: train's embedded set is the Fashion-MNIST test split that eval scores on).</summary>
    internal static void WarnIfTrainedOn(string checkpoint, Data.ImageDataset test)
    {
        if (EvaluationRunner.TrainedCheckpoint(checkpoint) is { } meta && meta.TrainedOn(test))   // not for raw, random or random:DIR
            Console.Error.WriteLine($"warning: {EvaluationRunner.TestNote(meta.ImageCount, test.Count)}");
    }

    internal static string Summary(System.Text.Json.Nodes.JsonObject j) => j["protocol"]!.GetValue<string>() switch
    {
        "lowshot" => $"low-shot accuracy (k={string.Join(",", j["results"]!.AsObject().Select(r => r.Key))}): " +
                     string.Join(" / ", j["results"]!.AsObject().Select(r => $"{r.Value!["accuracy_mean"]!.GetValue<double>():P1}")),
        "finetune" => "fine-tuned accuracy (top-1 / top-5): " + string.Join(", ", j["results"]!.AsObject().Select(r =>
                      $"{r.Key} % labels {r.Value!["accuracy"]!.GetValue<double>():P1} / {r.Value["top5_accuracy"]!.GetValue<double>():P1}")),
        "cluster" => $"AMI {j["ami"]!.GetValue<double>():F3}, NMI {j["nmi"]!.GetValue<double>():F3}, accuracy {j["accuracy"]!.GetValue<double>():P1}" + Levels(j),
        var p => $"{p} accuracy {j["accuracy"]!.GetValue<double>():P2}",
    };

    /// <summary>The PCL levels' AMI on the training images, or why they were not scored; empty for a run without an E-step.</summary>
    private static string Levels(System.Text.Json.Nodes.JsonObject j)
    {
        if (j["levels_note"] is { } note) return "; " + note.GetValue<string>();
        var levels = j["levels"]?.AsArray() ?? [];
        return levels.Count == 0 ? ""
            : "; last E-step's levels on the training images: " + string.Join(", ", levels.Select(l => $"K={l!["k"]} AMI {l["ami"]!.GetValue<double>():F3}"));
    }
}

public sealed class EvalKnnCommand() : EvalCommand<EvalKnnSettings>(Protocol.Knn);
public sealed class EvalLinearCommand() : EvalCommand<EvalPlainSettings>(Protocol.Linear);
public sealed class EvalLowShotCommand() : EvalCommand<EvalLowShotSettings>(Protocol.LowShot);
public sealed class EvalClusterCommand() : EvalCommand<EvalPlainSettings>(Protocol.Cluster);

/// <summary>Options of <c>protocl eval finetune</c>: the semi-supervised protocol, which trains the network and so takes
/// its own schedule options; the frozen-feature protocols' options are refused by name.</summary>
public sealed class EvalFineTuneSettings : EvalProtocolSettings
{
    [CommandOption("--percent <P,P,...>")] [Description("Percentages of each class's labelled training images to fine-tune on (default 1,10, the paper's Table 2).")] public string? Percent { get; set; }
    [CommandOption("--epochs <N>")] [Description("Passes over each labelled subset, at least (default 20; more where a subset would take fewer than --min-steps steps); the learning rates drop x0.2 at 60 % and 80 % of them.")] public int? Epochs { get; set; }
    [CommandOption("--min-steps <N>")] [Description("SGD steps per percentage, at least (default 500; 0: --epochs alone decides, quicker on a small subset).")] public int? MinSteps { get; set; }
    [CommandOption("--batch-size <N>")] [Description("Labelled images per fine-tuning step (default 256, the paper's batch size); fine-tuning is refused before it starts when the memory it needs, estimated from the network, this and --precision, exceeds the machine's, naming a batch size that fits.")] public int? BatchSize { get; set; }
    [CommandOption("--lr-backbone <X>")] [Description("SGD learning rate of the pre-trained backbone (default 0.01; 0 keeps its weights, while its BatchNorm statistics still follow the subset).")] public double? LrBackbone { get; set; }
    [CommandOption("--lr-head <X>")] [Description("SGD learning rate of the new linear classifier (default 0.1).")] public double? LrHead { get; set; }
    [CommandOption("--precision <P>")] [Description("fp32 (default, as the other protocols extract features) or bf16: convolutions in bfloat16 with float32 master weights, on processors with AVX-512 BF16 (training steps ran 1.8-2.1x faster in bf16, results/bench; fine-tuning's own speed-up is not measured).")] public string? Precision { get; set; }
    [CommandOption("-k|--neighbours|--neighbors <N>", IsHidden = true)] public int? K { get; set; }
    [CommandOption("--temperature <T>", IsHidden = true)] public double? Temperature { get; set; }
    [CommandOption("--shots <K,K,...>", IsHidden = true)] public string? Shots { get; set; }

    public override Spectre.Console.ValidationResult Validate()
    {
        var error = OtherProtocolsError(K is not null || Temperature is not null, Shots is not null)
            ?? (Precision is not (null or "fp32" or "bf16") ? $"--precision must be fp32 or bf16 (got '{Precision}')" : null)
            ?? (Precision == "bf16" && !Training.CpuFeatures.HasBf16 ? FineTuneOptions.Bf16Unsupported : null)
            ?? (Percent is not null && ParsePercents(Percent) is null ? $"--percent must be distinct percentages in (0, 100] separated by commas, such as 1,10 (got '{Percent}')" : null)
            ?? (Epochs < 1 ? $"--epochs must be at least 1 (got {Epochs})" : null)
            ?? (MinSteps < 0 ? $"--min-steps must be 0 or more (got {MinSteps})" : null)
            ?? (BatchSize < 2 ? $"--batch-size must be at least 2, as BatchNorm needs (got {BatchSize})" : null)
            ?? (LrBackbone is double b && !(b >= 0 && double.IsFinite(b)) ? $"--lr-backbone must be 0 or more (got {LrBackbone})" : null)
            ?? (LrHead is double h && !(h > 0 && double.IsFinite(h)) ? $"--lr-head must be positive (got {LrHead})" : null);
        return error is null ? base.Validate() : Spectre.Console.ValidationResult.Error(error);
    }

    /// <summary>The fine-tuning settings these options give (the protocol's defaults where an option is not given).</summary>
    internal FineTuneOptions Options
    {
        get
        {
            var o = new FineTuneOptions { Seed = Seed };
            return o with
            {
                Percents = Percent is null ? o.Percents : ParsePercents(Percent)!,
                Epochs = Epochs ?? o.Epochs,
                MinSteps = MinSteps ?? o.MinSteps,
                BatchSize = BatchSize ?? o.BatchSize,
                BackboneLearningRate = LrBackbone ?? o.BackboneLearningRate,
                HeadLearningRate = LrHead ?? o.HeadLearningRate,
                Precision = Precision == "bf16" ? Training.Precision.Bf16 : Training.Precision.Fp32,
            };
        }
    }

    private static double[]? ParsePercents(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out values[i]) || !(values[i] > 0 && values[i] <= 100))
                return null;
        return values.Distinct().Count() == values.Length ? values : null;
    }
}

/// <summary><c>protocl eval finetune</c>: the paper's semi-supervised protocol (Table 2), one JSON.</summary>
public sealed class EvalFineTuneCommand : Command<EvalFineTuneSettings>
{
    public override int Execute(CommandContext context, EvalFineTuneSettings s, CancellationToken cancellationToken)
    {
        ConsoleProgress.ResultOnStandardOutput = s.Json is null;           // the JSON goes to stdout: keep it clean
        OutputFile.ThrowIfTaken(s.Force, s.Json);                          // before any image is read
        if (s.Checkpoint == "raw")                                         // before minutes of reading
            throw new UserError(FeatureSource.RawCannotFineTune);
        var (trainData, testData) = s.LoadData();
        using var train = trainData;
        using var test = testData;
        var options = s.Options;
        var json = ConsoleProgress.Run(o => EvaluationRunner.RunFineTune(s.Checkpoint, train, test, options, (stage, d, t) => o.Progress(stage, d, t), o.Message));
        s.Write(json);
        return 0;
    }
}

/// <summary>Options of <c>protocl eval all</c>: every protocol's options, one JSON per protocol.</summary>
public sealed class EvalAllSettings : EvalSettings
{
    [CommandOption("--json-dir <DIR>")] [Description("Write DIR/knn.json, linear.json, lowshot.json and cluster.json, each as eval PROTOCOL --json writes it.")] public string? JsonDir { get; set; }
    [CommandOption("-k|--neighbours|--neighbors <N>")] [Description("knn: neighbours that vote (default 200).")] public int? K { get; set; }
    [CommandOption("--temperature <T>")] [Description("knn: temperature of the votes' weights exp(similarity / T) (default 0.07).")] public double? Temperature { get; set; }
    [CommandOption("--shots <K,K,...>")] [Description("lowshot: labelled images per class to draw (default 1,2,4,8,16, the paper's).")] public string? Shots { get; set; }
    [CommandOption("--json <FILE>", IsHidden = true)] public string? Json { get; set; }

    public override Spectre.Console.ValidationResult Validate()
    {
        if (Json is not null) return Spectre.Console.ValidationResult.Error("eval all writes one JSON per protocol: use --json-dir DIR instead of --json");
        if ((KnnError(K, Temperature) ?? ShotsError(Shots)) is string error) return Spectre.Console.ValidationResult.Error(error);
        return base.Validate();
    }

    internal override EvaluationSettings Settings => With(base.Settings, K, Temperature, Shots);
}

/// <summary><c>protocl eval all</c>: the four protocols on one extraction of the features.</summary>
public sealed class EvalAllCommand : Command<EvalAllSettings>
{
    private static readonly Protocol[] Protocols = [Protocol.LowShot, Protocol.Linear, Protocol.Knn, Protocol.Cluster];

    public override int Execute(CommandContext context, EvalAllSettings s, CancellationToken cancellationToken)
    {
        if (s.JsonDir is not null) OutputFile.ThrowIfTaken(s.Force, Protocols.Select(p => Path.Combine(s.JsonDir, EvaluationRunner.Name(p) + ".json")));
        var (trainData, testData) = s.LoadData();
        using var train = trainData;
        using var test = testData;
        if (s.JsonDir is not null) Directory.CreateDirectory(s.JsonDir);
        var settings = s.Settings;
        var failures = new List<string>();
        ConsoleProgress.Run(o => EvaluationRunner.RunAll(Protocols, s.Checkpoint, train, test, settings, (stage, d, t) => o.Progress(stage, d, t), (protocol, json) =>
        {
            s.RecordLimit(json);
            o.Message(EvalText.Summary(json));
            if (s.JsonDir is null) return;
            var path = Path.Combine(s.JsonDir, EvaluationRunner.Name(protocol) + ".json");
            AtomicFile.WriteAllText(path, json.ToJsonString(JsonDefaults.Indented)); // each as soon as it is done
            o.Message($"wrote {path}");
        }, (protocol, e) => failures.Add($"{EvaluationRunner.Name(protocol)}: {e.Message}")));  // the others still run
        if (failures.Count > 0)
            throw new UserError($"{string.Join("; ", failures)} ({Protocols.Length - failures.Count} of {Protocols.Length} protocols done{(s.JsonDir is null ? "" : " and written")})");
        return 0;
    }
}
