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
        if (File.Exists(run.Path)) throw new UserError($"--out {run.Path} is a file; a run needs a folder");
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
            if (settings.Data is not null && !DatasetLoader.SameSource(settings.Data, saved.Data))
            {
                // The images may have moved (or the run be resumed from another folder): a checkpoint that holds the digest
                // of its images' pixels refuses other images by itself, so a new path to the same images is accepted.
                if (run.HasCheckpoint && Checkpoint.ReadMeta(run.Checkpoint).DataDigest is null)
                    differences.Insert(0, $"data: {saved.Data} -> {settings.Data}");
                else
                    Console.Error.WriteLine($"note: reading the run's images from {settings.Data} (it recorded {saved.Data}); the checkpoint checks that they are the same images");
            }
            if (differences.Count > 0)
                throw new UserError($"--resume with settings that differ from {run.Config}: {string.Join("; ", differences)} (only --epochs may change)");
        }

        if (saved is not null && run.HasCheckpoint && Checkpoint.ReadMeta(run.Checkpoint) is { } done && done.Epoch > options.Epochs)
            throw new UserError($"{run.Path} has trained {done.Epoch} epochs already; --epochs {options.Epochs} would end before them (give --epochs {done.Epoch} or more)");
        if (options.UsesPrototypes && options.Epochs <= options.WarmupEpochs)
            Console.Error.WriteLine($"note: --epochs {options.Epochs} ends within the {options.WarmupEpochs} warm-up epoch(s), so this {options.Method.Name()} run has no E-step and learns no prototypes (it trains as {(options.Method == Method.Pcl ? "moco" : "simclr")}); give more epochs than --warmup-epochs");
        if (options.Threads > Environment.ProcessorCount)
            Console.Error.WriteLine($"note: --threads {options.Threads} is more than the {Environment.ProcessorCount} cores here; threads that outnumber the cores slow training down, often several-fold");
        var dataPath = FullPath(settings.Data ?? (saved is null ? null : DatasetLoader.PathOf(saved.Data)));
        if (saved is not null && settings.Data is null && dataPath is not null && dataPath != DatasetLoader.EmbeddedPath && !File.Exists(dataPath) && !Directory.Exists(dataPath))
            throw new UserError($"the run's images ({saved.Data}) are not found from {Environment.CurrentDirectory}; pass --data with their path (the checkpoint checks that they are the same images)");
        var policy = DataSettings.Policy(settings.OnBadImage);
        if (settings.OnBadImage is null && saved is { SkippedImages: > 0 })
        {
            Console.Error.WriteLine($"note: the run left out {saved.SkippedImages} unreadable image(s) of its data (--on-bad-image skip); reading it the same way");
            policy = BadImagePolicy.Skip;
        }
        using var data = DataSettings.Load(dataPath, new DataLoadOptions { Limit = options.Limit, ImageSize = options.LoadSize, ApplyExifOrientation = options.ExifOrientation, BadImagePolicy = policy });
        var problems = TrainingOptionsValidator.Validate(options with { Encoder = options.Encoder with { InChannels = data.Channels, ImageSize = Math.Max(data.Height, data.Width) } }, data.Count);
        if (problems.Count > 0)
            throw new UserError(string.Join("; ", problems) + (settings.Preset is null && saved is null
                ? $" ({(settings.Resume ? $"{run.Path} holds no run to resume, so --resume starts a new one; " : "")}no --preset was given, so these are the paper's ImageNet settings; --preset small suits 10k-60k small images)" : ""));

        var memory = MemoryEstimate.ThrowIfTooLarge(options, data);          // before --force clears anything
        using var held = RunLock.Acquire(run.Path);                            // not while another process trains this folder
        if (settings.Force && run.HasRunFiles) Clear(run);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cts.Cancel(); });
        try
        {
            Console.WriteLine($"training {options.Method.Name()} on {data.Count} images ({data.Channels}x{data.Height}x{data.Width}) from {data.Source} into {run.Path}");
            Console.WriteLine(memory.Summary("a training step"));
            if (memory.NoteNow() is string memoryNote)
                Console.Error.WriteLine(memoryNote);
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
        Console.WriteLine($"done: {run.Path} (metrics.jsonl, checkpoint.pcl{(Directory.Exists(run.ClustersRoot) ? ", clusters/" : "")})");
        return 0;
    }

    /// <summary>A file or folder that exists as its absolute path, so the run's config names it from any folder; anything else
    /// (embedded, a missing path whose error comes later) unchanged.</summary>
    private static string? FullPath(string? path) =>
        path is not null && (File.Exists(path) || Directory.Exists(path)) ? Path.GetFullPath(path) : path;

    private static RunConfig ReadConfig(string path)
    {
        try
        {
            var config = JsonSerializer.Deserialize<RunConfig>(File.ReadAllText(path), JsonDefaults.Indented)
                         ?? throw new UserError($"{path} is empty");
            if (config.Options is null || config.Data is null || config.Options.Encoder is null)
                throw new UserError($"{path} is not a ProtoCL run config (it has no options or data); start a new run with --force");
            return config;
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
