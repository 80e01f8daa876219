using System.ComponentModel;
using System.Text.Json;
using ProtoCL.Cli.Terminal;
using ProtoCL.Evaluation;
using ProtoCL.IO;
using ProtoCL.Training;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

public class EvalSettings : CommandSettings
{
    [CommandOption("--checkpoint <DIR>")] [Description("Run folder, or raw (pixels) or random (random initialisation; random:DIR for DIR's architecture).")] public string Checkpoint { get; set; } = "";
    [CommandOption("--train-data <PATH>")] [Description("Labelled training data (default: Debian's Fashion-MNIST train split).")] public string? TrainData { get; set; }
    [CommandOption("--test-data <PATH>")] [Description("Labelled test data (default: Debian's Fashion-MNIST test split, the same images as train's default embedded set; eval warns, and the JSON's test_note says, when the run trained on the test images).")] public string? TestData { get; set; }
    [CommandOption("--json <FILE>")] [Description("Write the result here.")] public string? Json { get; set; }
    [CommandOption("--seed <N>")] [Description("Seed of draws, k-means and initialisations.")] public int Seed { get; set; }
    [CommandOption("--limit <N>")] [Description("Use only the first N training images.")] public int? Limit { get; set; }
    [CommandOption("--image-size <S>")] [Description(DataSettings.ImageSizeHelp)] public int? ImageSize { get; set; }
    [CommandOption("-k|--neighbors|--neighbours <N>")] [Description("knn: neighbours (default 200).")] public int? K { get; set; }
    [CommandOption("--temperature <T>")] [Description("knn: temperature (default 0.07).")] public double? Temperature { get; set; }
    [CommandOption("--shots <K,K,...>")] [Description("lowshot: labelled images per class to draw (default 1,2,4,8,16, the paper's).")] public string? Shots { get; set; }
    [CommandOption("--exif-orientation")] [Description(DataSettings.ExifOrientationHelp)] public bool ExifOrientation { get; set; }
    [CommandOption("--on-bad-image <POLICY>")] [Description(DataSettings.PolicyHelp)] public string? OnBadImage { get; set; }
    [CommandOption("--force")] [Description("Replace existing result files (--json, or --json-dir's files).")] public bool Force { get; set; }


    public override Spectre.Console.ValidationResult Validate()
    {
        if (Checkpoint.Length == 0) return Spectre.Console.ValidationResult.Error("--checkpoint is required (a run folder, raw or random)");
        if (K < 1) return Spectre.Console.ValidationResult.Error($"--neighbors must be at least 1 (got {K})");
        if (Temperature is double t && !(t > 0)) return Spectre.Console.ValidationResult.Error($"--temperature must be positive (got {Temperature})");
        if (Limit is < 1) return Spectre.Console.ValidationResult.Error($"--limit must be at least 1 (got {Limit})");
        if ((DataSettings.ImageSizeError(ImageSize) ?? DataSettings.PolicyError(OnBadImage) ?? ShotsError(Shots)) is string error) return Spectre.Console.ValidationResult.Error(error);
        return base.Validate();
    }

    /// <summary>The evaluation settings these options give.</summary>
    internal EvaluationSettings Settings => new()
    {
        Seed = Seed, KnnK = K ?? new EvaluationSettings().KnnK, KnnTemperature = Temperature ?? new EvaluationSettings().KnnTemperature,
        LowShotShots = Shots is null ? new EvaluationSettings().LowShotShots : ParseShots(Shots)!,
    };

    private static int[]? ParseShots(string text) =>
        BudgetSettings.ParseIntegers(text) is { } shots && shots.All(k => k >= 1) && shots.Distinct().Count() == shots.Length ? shots : null;

    private static string? ShotsError(string? text) =>
        text is null || ParseShots(text) is not null ? null : $"--shots must be distinct positive integers separated by commas, such as 1,2,4 (got '{text}')";
}

/// <summary><c>protocl eval PROTOCOL</c>: one evaluation protocol on frozen features.</summary>
public abstract class EvalCommand(Protocol protocol) : Command<EvalSettings>
{
    public override int Execute(CommandContext context, EvalSettings s, CancellationToken cancellationToken)
    {
        if (protocol != Protocol.Knn && (s.K is not null || s.Temperature is not null))
            throw new UserError($"-k / --neighbors and --temperature are knn's options; eval {EvaluationRunner.Name(protocol)} does not read them");
        if (protocol != Protocol.LowShot && s.Shots is not null)
            throw new UserError($"--shots is lowshot's option; eval {EvaluationRunner.Name(protocol)} does not read it");
        ConsoleProgress.ResultOnStandardOutput = s.Json is null;           // the JSON goes to stdout: keep it clean
        OutputFile.ThrowIfTaken(s.Force, s.Json);                          // before any image is read
        using var train = DataSettings.LoadFor(s.Checkpoint, s.TrainData ?? Data.DatasetLoader.FashionMnistTrainPath, new Data.DataLoadOptions { Limit = s.Limit, ImageSize = s.ImageSize, ApplyExifOrientation = s.ExifOrientation }, s.OnBadImage);
        using var test = DataSettings.LoadFor(s.Checkpoint, s.TestData ?? Data.DatasetLoader.FashionMnistTestPath, new Data.DataLoadOptions { ImageSize = s.ImageSize, ApplyExifOrientation = s.ExifOrientation }, s.OnBadImage);
        WarnIfTrainedOn(s.Checkpoint, test);
        var settings = s.Settings;
        var json = ConsoleProgress.Run(o => EvaluationRunner.Run(protocol, s.Checkpoint, train, test, settings, (stage, d, t) => o.Progress(stage, d, t)));
        var text = json.ToJsonString(JsonDefaults.Indented);
        if (s.Json is not null)
        {
            Console.WriteLine(Summary(json));
            AtomicFile.WriteAllText(s.Json, text);
            Console.WriteLine($"wrote {s.Json}");
        }
        else
        {
            Console.Error.WriteLine(Summary(json));
            Console.WriteLine(text);
        }
        return 0;
    }

    /// <summary>Says, before any feature is extracted, when the checkpoint's run trained on the test images (the default
    /// data make that easy: train's embedded set is the Fashion-MNIST test split that eval scores on).</summary>
    internal static void WarnIfTrainedOn(string checkpoint, Data.ImageDataset test)
    {
        if (FeatureSource.MetaOf(checkpoint) is { } meta && meta.TrainedOn(test))
            Console.Error.WriteLine($"warning: {EvaluationRunner.TestNote(meta.ImageCount, test.Count)}");
    }

    internal static string Summary(System.Text.Json.Nodes.JsonObject j) => j["protocol"]!.GetValue<string>() switch
    {
        "lowshot" => $"low-shot accuracy (k={string.Join(",", j["results"]!.AsObject().Select(r => r.Key))}): " +
                     string.Join(" / ", j["results"]!.AsObject().Select(r => $"{r.Value!["accuracy_mean"]!.GetValue<double>():P1}")),
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

public sealed class EvalKnnCommand() : EvalCommand(Protocol.Knn);
public sealed class EvalLinearCommand() : EvalCommand(Protocol.Linear);
public sealed class EvalLowShotCommand() : EvalCommand(Protocol.LowShot);
public sealed class EvalClusterCommand() : EvalCommand(Protocol.Cluster);

public sealed class EvalAllSettings : EvalSettings
{
    [CommandOption("--json-dir <DIR>")] [Description("Write DIR/knn.json, linear.json, lowshot.json and cluster.json, each as eval PROTOCOL --json writes it.")] public string? JsonDir { get; set; }

    public override Spectre.Console.ValidationResult Validate()
    {
        if (Json is not null) return Spectre.Console.ValidationResult.Error("eval all writes one JSON per protocol: use --json-dir DIR instead of --json");
        return base.Validate();
    }
}

/// <summary><c>protocl eval all</c>: the four protocols on one extraction of the features.</summary>
public sealed class EvalAllCommand : Command<EvalAllSettings>
{
    private static readonly Protocol[] Protocols = [Protocol.LowShot, Protocol.Linear, Protocol.Knn, Protocol.Cluster];

    public override int Execute(CommandContext context, EvalAllSettings s, CancellationToken cancellationToken)
    {
        if (s.JsonDir is not null) OutputFile.ThrowIfTaken(s.Force, Protocols.Select(p => Path.Combine(s.JsonDir, EvaluationRunner.Name(p) + ".json")));
        using var train = DataSettings.LoadFor(s.Checkpoint, s.TrainData ?? Data.DatasetLoader.FashionMnistTrainPath, new Data.DataLoadOptions { Limit = s.Limit, ImageSize = s.ImageSize, ApplyExifOrientation = s.ExifOrientation }, s.OnBadImage);
        using var test = DataSettings.LoadFor(s.Checkpoint, s.TestData ?? Data.DatasetLoader.FashionMnistTestPath, new Data.DataLoadOptions { ImageSize = s.ImageSize, ApplyExifOrientation = s.ExifOrientation }, s.OnBadImage);
        EvalCommand.WarnIfTrainedOn(s.Checkpoint, test);
        if (s.JsonDir is not null) Directory.CreateDirectory(s.JsonDir);
        var settings = s.Settings;
        var failures = new List<string>();
        ConsoleProgress.Run(o => EvaluationRunner.RunAll(Protocols, s.Checkpoint, train, test, settings, (stage, d, t) => o.Progress(stage, d, t), (protocol, json) =>
        {
            o.Message(EvalCommand.Summary(json));
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
