using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProtoCL.Cli.Terminal;
using ProtoCL.Data;
using ProtoCL.Training;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

/// <summary><c>protocl train</c>: validates everything, loads the data, then trains (or resumes) a run.</summary>
public sealed class TrainCommand : Command<TrainSettings>
{
    /// <summary>A side above which training at the images' own size earns a note suggesting --image-size (ImageNet's 224 passes).</summary>
    public const int LargeImageSide = 256;

    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        var run = new RunDirectory(settings.Out ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss")));
        if (run.HasRunFiles && !settings.Resume && !settings.Force)
            throw new UserError($"{run.Path} already holds a run; continue it with --resume or replace it with --force");

        RunConfig? saved = settings.Resume && File.Exists(run.Config) ? ReadConfig(run.Config) : null;
        var baseline = saved?.Options ?? Presets.ByName(settings.Preset ?? "paper");
        var options = settings.Apply(baseline);
        TrainingOptionsValidator.ThrowIfInvalid(options);
        if (saved is not null)
        {
            var requested = options with { Encoder = options.Encoder with { InChannels = saved.Options.Encoder.InChannels, ImageSize = saved.Options.Encoder.ImageSize } };
            var differences = Differences(saved.Options with { Epochs = 0 }, requested with { Epochs = 0 });
            if (settings.Data is not null && settings.Data != saved.Data && settings.Data != DatasetLoader.PathOf(saved.Data))
                differences.Insert(0, $"data: {saved.Data} -> {settings.Data}");
            if (differences.Count > 0)
                throw new UserError($"--resume with settings that differ from {run.Config}: {string.Join("; ", differences)} (only --epochs may change)");
        }

        var dataPath = settings.Data ?? (saved is null ? null : DatasetLoader.PathOf(saved.Data));
        using var data = DataSettings.Load(dataPath, settings.LoadOptions with { Limit = options.Limit, ImageSize = options.LoadSize });
        var problems = TrainingOptionsValidator.Validate(options with { Encoder = options.Encoder with { InChannels = data.Channels, ImageSize = Math.Max(data.Height, data.Width) } }, data.Count);
        if (problems.Count > 0)
            throw new UserError(string.Join(" ", problems) + (settings.Preset is null && saved is null
                ? " (no --preset was given, so these are the paper's ImageNet settings; --preset small suits 10k-60k small images)" : ""));

        if (settings.Force && run.HasRunFiles) Clear(run);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cts.Cancel(); });
        try
        {
            Console.WriteLine($"training {options.Method.ToString().ToLowerInvariant()} on {data.Count} images ({data.Channels}x{data.Height}x{data.Width}) from {data.Source} into {run.Path}");
            if (options.LoadSize is null && Math.Max(data.Height, data.Width) > LargeImageSide)
                Console.Error.WriteLine($"note: training at {data.Width}x{data.Height}, the size of the first image; --image-size (e.g. 64 or 224) trains on smaller copies (a step's time grows with the pixels of an image)");
            ConsoleProgress.Run(observer =>
            {
                using var trainer = new Trainer(options, data, run, settings.Resume, observer);
                trainer.Run(cts.Token);
            });
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        Console.WriteLine($"done: {run.Path} (metrics.jsonl, checkpoint.pcl, clusters/)");
        return 0;
    }

    private static RunConfig ReadConfig(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RunConfig>(File.ReadAllText(path), JsonDefaults.Indented)
                   ?? throw new UserError($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new UserError($"{path} is not a readable ProtoCL config ({e.Message}); start a new run with --force");
        }
    }

    /// <summary>Names every setting whose value differs, as "name: old -> new".</summary>
    public static List<string> Differences(TrainingOptions before, TrainingOptions after)
    {
        var a = Flatten(JsonSerializer.SerializeToNode(before, JsonDefaults.Compact)!, "");
        var b = Flatten(JsonSerializer.SerializeToNode(after, JsonDefaults.Compact)!, "");
        return a.Keys.Union(b.Keys).Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k))
            .Select(k => $"{k}: {a.GetValueOrDefault(k) ?? "unset"} -> {b.GetValueOrDefault(k) ?? "unset"}").ToList();
    }

    private static Dictionary<string, string?> Flatten(JsonNode node, string prefix)
    {
        var result = new Dictionary<string, string?>();
        if (node is JsonObject obj)
            foreach (var (key, value) in obj)
            {
                var name = prefix.Length == 0 ? key : prefix + "." + key;
                if (value is JsonObject) foreach (var kv in Flatten(value, name)) result[kv.Key] = kv.Value;
                else result[name] = value?.ToJsonString();
            }
        return result;
    }

    private static void Clear(RunDirectory run)
    {
        foreach (var f in new[] { run.Config, run.Metrics, run.Checkpoint }) if (File.Exists(f)) File.Delete(f);
        if (Directory.Exists(run.ClustersRoot)) Directory.Delete(run.ClustersRoot, recursive: true);
    }
}
