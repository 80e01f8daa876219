using System.ComponentModel;
using System.Text.Json;
using ProtoCL.Benchmarks;
using ProtoCL.Cli.Terminal;
using ProtoCL.IO;
using ProtoCL.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

public sealed class BenchSettings : DataSettings
{
    [CommandOption("--preset <NAME>")] [Description("Baseline settings (default: small).")] public string Preset { get; set; } = "small";
    [CommandOption("--method <NAME>")] [Description("pcl (default), pcl-simclr.")] public string? Method { get; set; }
    [CommandOption("--arch <NAME>")] [Description("resnet18 or resnet50.")] public string? Arch { get; set; }
    [CommandOption("--width <N>")] [Description("Channels of the first ResNet stage.")] public int? Width { get; set; }
    [CommandOption("--batch-size <N>")] [Description("Minibatch size.")] public int? BatchSize { get; set; }
    [CommandOption("--queue <R>")] [Description("Queue size r.")] public int? Queue { get; set; }
    [CommandOption("--clusters <K,K,...>")] [Description("Cluster counts per level.")] public string? Clusters { get; set; }
    [CommandOption("--temperature <TAU>")] [Description("tau.")] public double? Temperature { get; set; }
    [CommandOption("--threads <N>")] [Description("Intra-op threads (default: all cores).")] public int? Threads { get; set; }
    [CommandOption("--precision <P>")] [Description("fp32 or bf16.")] public string? Precision { get; set; }
    [CommandOption("--repeats <N>")] [Description("Measured runs (median reported) after one warm-up run; default 3.")] public int Repeats { get; set; } = 3;
    [CommandOption("--features <FILE.npy>")] [Description("Only the E-step's k-means + phi, on these float32 N x d features (e.g. from protocl embed --kind embedding), for side-by-side runs with faiss (bench/kmeans-side-by-side.sh runs both through bench/kmeans_vs_faiss.py).")] public string? Features { get; set; }
    [CommandOption("--kmeans-restarts <N>")] [Description("k-means restarts (default 5, as the reference).")] public int? KMeansRestarts { get; set; }
    [CommandOption("--steps <N>")] [Description("Minibatches per measured training epoch (default 20); the E-step uses all images.")] public int Steps { get; set; } = 20;
    [CommandOption("--json <FILE>")] [Description("Write the result as JSON.")] public string? Json { get; set; }
    [CommandOption("--force")] [Description("Replace an existing --json file.")] public bool Force { get; set; }

    public override ValidationResult Validate()
    {
        if (Repeats < 1) return ValidationResult.Error($"--repeats must be at least 1 (got {Repeats})");
        if (Steps < 1) return ValidationResult.Error($"--steps must be at least 1 (got {Steps})");
        if (Method is not (null or "pcl" or "pcl-simclr"))
            return ValidationResult.Error($"--method must be pcl or pcl-simclr (got '{Method}'): bench times the warm-up step (moco's or simclr's) and the prototype step of one of them");
        return base.Validate();
    }
}

/// <summary><c>protocl bench</c>: speed of the training step, the E-step's parts and augmentation; FLOPs and memory.</summary>
public sealed class BenchCommand : Command<BenchSettings>
{
    public override int Execute(CommandContext context, BenchSettings s, CancellationToken cancellationToken)
    {
        var asTrain = new TrainSettings
        {
            Method = s.Method, Arch = s.Arch, Width = s.Width, BatchSize = s.BatchSize, Queue = s.Queue, Clusters = s.Clusters,
            Temperature = s.Temperature, Threads = s.Threads, Precision = s.Precision, Limit = s.Limit, ExifOrientation = s.ExifOrientation,
        };
        var options = asTrain.Apply(Presets.ByName(s.Preset));
        if (s.KMeansRestarts is int restarts) options = options with { KMeansRestarts = restarts };
        TrainingOptionsValidator.ThrowIfInvalid(options);
        OutputFile.ThrowIfTaken(s.Force, s.Json);
        if (s.Features is not null) return KMeansOnly(s, options);
        using var data = DataSettings.Load(s.Data, s.LoadOptions);
        var problems = TrainingOptionsValidator.Validate(options with { Encoder = options.Encoder with { InChannels = data.Channels, ImageSize = Math.Max(data.Height, data.Width) } }, data.Count);
        if (problems.Count > 0) throw new UserError(string.Join("; ", problems));              // before the warm-up run, not after it
        var result = ConsoleProgress.Run(o => Benchmark.Run(options, data, s.Repeats, o, s.Steps));
        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("median").RightAligned());
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        bool simclr = options.Method == Method.PclSimclr;
        Row(simclr ? "train, warm-up (NT-Xent)" : "train, warm-up (InfoNCE)", $"{result.TrainWarmupImagesPerSecond:F1} img/s");
        Row(simclr ? "train, PCL-SimCLR (NT-Xent + prototypes)" : "train, PCL (ProtoNCE)", $"{result.TrainPclImagesPerSecond:F1} img/s");
        Row("E-step features", $"{result.EStepFeatureImagesPerSecond:F1} img/s");
        Row($"k-means, {options.Clusters.Length} levels ({string.Join("/", options.Clusters)})", $"{result.KMeansSeconds:F2} s");
        Row("phi", $"{result.PhiSeconds:F3} s");
        Row("augmentation (one view)", $"{result.AugmentImagesPerSecond:F0} img/s ({result.AugmentFractionOfStep:P1} of a step)");
        Row("forward FLOPs per image", $"{result.GflopsPerImage:F3} GFLOP");
        Row("training, effective", $"{result.TrainEffectiveGflops:F1} GFLOP/s ({result.FractionOfMatmulPeak:P0} of matmul peak {result.MatmulPeakGflops:F0})");
        Row("peak memory", $"{result.PeakMemoryBytes / (1024.0 * 1024):F0} MiB");
        AnsiConsole.Write(table);
        if (s.Json is not null)
        {
            AtomicFile.WriteAllText(s.Json, JsonSerializer.Serialize(result, JsonDefaults.Indented));
            Console.WriteLine($"wrote {s.Json}");
        }
        return 0;
    }

    private static int KMeansOnly(BenchSettings s, TrainingOptions options)
    {
        if (!File.Exists(s.Features)) throw new UserError($"no such features file: {s.Features}");
        var runs = new List<IReadOnlyList<KMeansBenchLevel>>();
        for (int r = 0; r < s.Repeats; r++)
            runs.Add(KMeansBench.Run(s.Features!, options.Clusters, options.Threads,
                new Clustering.KMeansOptions { Iterations = options.KMeansIterations, Restarts = options.KMeansRestarts }, options.Temperature));
        using var shape = IO.Npy.Read(s.Features!);  // [N, D]
        var levels = options.Clusters.Select((k, m) => new
        {
            level = m,
            k,
            kmeans_seconds = Benchmark.Median(runs.Select(r => r[m].KMeansSeconds)),
            phi_seconds = Benchmark.Median(runs.Select(r => r[m].PhiSeconds)),
            objective = runs[0][m].Objective,
        }).ToList();
        foreach (var l in levels) Console.WriteLine($"level {l.level} K={l.k}: kmeans {l.kmeans_seconds:F3} s, phi {l.phi_seconds:F4} s, objective {l.objective:F6}");
        var result = new
        {
            features = s.Features,
            n = shape.shape[0],
            d = shape.shape[1],
            threads = options.Threads,
            iterations = options.KMeansIterations,
            restarts = options.KMeansRestarts,
            repeats = s.Repeats,
            kmeans_seconds = levels.Sum(l => l.kmeans_seconds),
            phi_seconds = levels.Sum(l => l.phi_seconds),
            peak_memory_bytes = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64,
            levels,
        };
        Console.WriteLine($"total: kmeans {result.kmeans_seconds:F3} s, phi {result.phi_seconds:F4} s, peak memory {result.peak_memory_bytes / 1048576.0:F0} MiB");
        if (s.Json is not null) AtomicFile.WriteAllText(s.Json, JsonSerializer.Serialize(result, JsonDefaults.Indented));
        return 0;
    }
}
