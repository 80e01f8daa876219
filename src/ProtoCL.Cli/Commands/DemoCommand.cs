using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;
using ProtoCL.Cli.Terminal;
using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.IO;
using ProtoCL.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

public sealed class DemoSettings : CommandSettings
{
    [CommandOption("--out <DIR>")] [Description("Run folder (default: runs/demo-<time>).")] public string? Out { get; set; }
    [CommandOption("--epochs <N>")] [Description("Epochs (default 10, the demo preset's; more than its 2 warm-up epochs).")] public int? Epochs { get; set; }
    [CommandOption("--threads <N>")] [Description("Intra-op threads (default: all cores).")] public int? Threads { get; set; }
    [CommandOption("--precision <P>")] [Description("fp32 (default) or bf16.")] public string? Precision { get; set; }
    [CommandOption("--seed <N>")] [Description("Seed (default 0).")] public int Seed { get; set; }
}

/// <summary>
/// <c>protocl demo</c>: PCL on 9,000 images of the embedded Fashion-MNIST test split with the demo preset, then
/// weighted kNN on the 1,000 held-out images for the trained encoder, the same encoder at random initialisation,
/// and raw pixels, all on the same split.
/// </summary>
public sealed class DemoCommand : Command<DemoSettings>
{
    public const int HeldOut = 1000;

    public override int Execute(CommandContext context, DemoSettings s, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var run = new RunDirectory(s.Out ?? Path.Combine("runs", "demo-" + DateTime.Now.ToString("yyyyMMdd-HHmmss")));
        if (run.HasRunFiles) throw new UserError($"{run.Path} already holds a run; choose another --out");
        var options = new TrainSettings { Epochs = s.Epochs, Threads = s.Threads, Precision = s.Precision, Seed = s.Seed }.Apply(Presets.Demo);
        if (options.Epochs <= options.WarmupEpochs) // the demo trains PCL: it needs epochs after its warm-up for the prototypes
            throw new UserError($"--epochs must be more than the demo's {options.WarmupEpochs} warm-up epochs, so that PCL's E-step runs (got {options.Epochs})");
        TrainingOptionsValidator.ThrowIfInvalid(options);

        using var all = DatasetLoader.LoadEmbedded();
        using var train = all.Slice(0, all.Count - HeldOut);
        using var test = all.Slice(all.Count - HeldOut, HeldOut);
        Console.WriteLine($"ProtoCL demo: PCL ({options.Encoder.Arch}, width {options.Encoder.Width}, {options.Epochs} epochs, K = {string.Join("/", options.Clusters)}) " +
                          $"on {train.Count} embedded Fashion-MNIST images; kNN on {test.Count} held-out images. Run folder: {run.Path}");
        ConsoleProgress.Run(observer =>
        {
            using var trainer = new Trainer(options, train, run, false, observer);
            trainer.Run(cancellationToken);
        });
        double trainMinutes = clock.Elapsed.TotalMinutes;

        var settings = new EvaluationSettings { Seed = s.Seed };
        var rows = new List<(string Name, double Accuracy)>();
        var report = new JsonObject { ["train_images"] = train.Count, ["test_images"] = test.Count, ["protocol"] = "knn", ["k"] = settings.KnnK, ["temperature"] = settings.KnnTemperature };
        foreach (var (name, checkpoint) in new[] { ("PCL (trained)", run.Path), ("same encoder, random init", "random:" + run.Path), ("raw pixels", "raw") })
        {
            var json = ConsoleProgress.Run(o => EvaluationRunner.Run(Protocol.Knn, checkpoint, train, test, settings, (st, d, t) => o.Progress($"{name}: {st}", d, t)));
            double acc = json["accuracy"]!.GetValue<double>();
            rows.Add((name, acc));
            report[checkpoint == "raw" ? "raw" : checkpoint.StartsWith("random", StringComparison.Ordinal) ? "random" : "trained"] = acc;
        }
        report["minutes"] = clock.Elapsed.TotalMinutes;
        report["train_minutes"] = trainMinutes;
        AtomicFile.WriteAllText(Path.Combine(run.Path, "demo-report.json"), report.ToJsonString(JsonDefaults.Indented));

        var table = new Table().Title("weighted kNN (k = 200, T = 0.07) on 1,000 held-out images").AddColumn("features").AddColumn(new TableColumn("accuracy").RightAligned());
        foreach (var (name, acc) in rows) table.AddRow(Markup.Escape(name), $"{acc:P1}");
        AnsiConsole.Write(table);
        bool beats = rows[0].Accuracy > rows[1].Accuracy && rows[0].Accuracy > rows[2].Accuracy;
        Console.WriteLine(beats
            ? $"PCL beats random initialisation by {(rows[0].Accuracy - rows[1].Accuracy) * 100:F1} points and raw pixels by {(rows[0].Accuracy - rows[2].Accuracy) * 100:F1} points."
            : "PCL does not beat both baselines on this budget; train longer (protocl train --preset small) for a stronger encoder.");
        Console.WriteLine($"total {clock.Elapsed.TotalMinutes:F1} minutes; metrics in {run.Metrics}");
        return 0;
    }
}
