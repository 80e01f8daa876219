using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProtoCL.Clustering;
using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.IO;
using ProtoCL.Reporting;
using ProtoCL.Training;
using static TorchSharp.torch;

namespace ProtoCL.Reproduction;

/// <summary>
/// Reproduces the structure of the paper's Table 1 on the data this machine has: trains MoCo, PCL, SimCLR and
/// PCL-SimCLR with one shared budget, evaluates them and the raw-pixel and random-init baselines under every
/// protocol on the test split, and writes table1.json, table1.md and pictures. Finished runs and evaluations are
/// reused, so an interrupted reproduction continues where it stopped.
/// </summary>
public static class Table1Reproduction
{
    /// <summary>Low-shot sizes (labelled images per class) the tables and pictures report, as strings because they key the low-shot results, the same as the low-shot evaluation's default shots.</summary>
    public static readonly string[] Ks = ["1", "2", "4", "8", "16"];

    /// <summary>Trains (or reuses, or resumes) every method's run, evaluates them and the raw-pixel and random-init baselines under low-shot,
    /// linear, kNN and clustering on the test split, and writes table1.json, table1.md, index.html and the pictures to the output folder.</summary>
    /// <param name="o">Data, folders, shared training budget, methods and evaluation seed.</param>
    /// <param name="observer">Receives training and evaluation progress and messages.</param>
    /// <returns>What table1.json holds: results per row, the budget, training seconds per method, data sources, command, machine and time written.</returns>
    public static JsonObject Run(Table1Options o, ITrainingObserver observer)
    {
        Directory.CreateDirectory(o.OutDir);
        Directory.CreateDirectory(Path.Combine(o.OutDir, "evals"));
        using var train = DatasetLoader.Load(o.TrainData, new DataLoadOptions { Limit = o.Budget.Limit });
        using var test = DatasetLoader.Load(o.TestData);
        var trainSeconds = new JsonObject();
        if (o.Budget.Epochs <= o.Budget.WarmupEpochs && o.Methods.Any(m => (o.Budget with { Method = m }).UsesPrototypes))
            observer.Message($"note: --epochs {o.Budget.Epochs} ends within the {o.Budget.WarmupEpochs} warm-up epoch(s): the PCL rows have no E-step and train as MoCo / SimCLR");
        foreach (var method in o.Methods)
            trainSeconds[MethodName(method)] = TrainOne(o, method, train, observer);

        var rows = new List<(string Name, string Checkpoint)> { ("raw", "raw"), ("random", "random:" + RunPath(o, o.Methods[0])) };
        rows.AddRange(o.Methods.Select(m => (MethodName(m), RunPath(o, m))));
        var methods = new JsonObject();
        foreach (var (name, checkpoint) in rows)
        {
            var row = EvaluateAll(o, name, checkpoint, train, test, observer);
            // Scripts read table1.json's low-shot numbers both as lowshot.results[k] (the eval JSON) and as lowshot[k].
            if (row["lowshot"] is JsonObject lowShot && lowShot["results"] is JsonObject perK)
                foreach (var k in Ks) lowShot[k] = perK[k]?.DeepClone();
            methods[name] = row;
        }

        var result = new JsonObject
        {
            ["methods"] = methods,
            // As the trainer sees it: the data fills in channels and image size (and with them the stem).
            ["budget"] = JsonSerializer.SerializeToNode(o.Budget with { Encoder = o.Budget.Encoder with { InChannels = train.Channels, ImageSize = Math.Max(train.Height, train.Width) } }, JsonDefaults.Compact),
            ["train_seconds"] = trainSeconds,
            ["train_data"] = train.Source,
            ["test_data"] = test.Source,
            ["command"] = o.Command,
            ["machine"] = $"{CpuFeatures.ModelName}, {Environment.ProcessorCount} logical cores, {o.Budget.Threads} threads",
            // When this file was written: a re-run that reuses finished runs and evaluations rewrites it in seconds.
            ["written"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        };
        AtomicFile.WriteAllText(Path.Combine(o.OutDir, "table1.json"), result.ToJsonString(JsonDefaults.Indented));
        WritePictures(o, methods, test, observer);
        AtomicFile.WriteAllText(Path.Combine(o.OutDir, "table1.md"), Markdown(o, result));
        WritePage(o.OutDir, result);
        return result;
    }

    /// <summary>Lower-case name of a method, as run folders, file names, table rows and messages use it.</summary>
    /// <param name="m">The method.</param>
    /// <returns>"moco", "pcl", "simclr" or "pcl-simclr".</returns>
    public static string MethodName(Method m) => m.Name();

    private static string RunPath(Table1Options o, Method m) => Path.Combine(o.RunsDir, MethodName(m));

    /// <summary>Trains (or resumes, or reuses) one method's run; returns its training seconds.</summary>
    private static double TrainOne(Table1Options o, Method method, ImageDataset train, ITrainingObserver observer)
    {
        var run = new RunDirectory(RunPath(o, method));
        var options = o.Budget with { Method = method };
        bool resume = run.HasCheckpoint;
        if (resume)
        {
            var meta = Checkpoint.ReadMeta(run.Checkpoint);
            string Key(TrainingOptions t) => JsonSerializer.Serialize(
                t.WithoutUnusedSettings() with { Encoder = t.Encoder with { InChannels = 0, ImageSize = 0 } }, JsonDefaults.Compact); // epochs included: the schedule depends on them
            bool same = Key(meta.Options) == Key(options); // a setting the method does not read (e.g. SimCLR's queue) needs no retraining
            if (!same) throw new ArgumentException($"{run.Path} holds a run with another budget (or one an earlier training revision made differently); remove it or choose another --runs folder");
            if (meta.OtherImagesReason(train) is { } other)
                throw new ArgumentException($"{run.Path} holds a run trained on other images ({other}); remove it or choose another --runs folder");
            if (meta.Epoch >= options.Epochs)
            {
                observer.Message($"{MethodName(method)}: reusing the finished run in {run.Path}");
                return meta.History.Sum(h => h.SecondsTrain + h.SecondsEStep);
            }
        }
        observer.Message($"{MethodName(method)}: training into {run.Path}");
        using var trainer = new Trainer(options, train, run, resume, observer);
        trainer.Run();
        return trainer.History.Sum(h => h.SecondsTrain + h.SecondsEStep);
    }

    private static JsonObject EvaluateAll(Table1Options o, string name, string checkpoint, ImageDataset train, ImageDataset test, ITrainingObserver observer)
    {
        var result = new JsonObject();
        var settings = new EvaluationSettings { Seed = o.Seed };
        var protocols = new[] { Protocol.LowShot, Protocol.Linear, Protocol.Knn, Protocol.Cluster };
        var cached = protocols.ToDictionary(p => p, p => Path.Combine(o.OutDir, "evals", $"{name}-{EvaluationRunner.Name(p)}.json"));
        if (protocols.All(p => IsCurrent(cached[p], checkpoint, train, test, o.Seed)))
        {
            observer.Message($"{name}: reusing its evaluations in {Path.Combine(o.OutDir, "evals")}");
            foreach (var p in protocols) result[EvaluationRunner.Name(p)] = JsonNode.Parse(File.ReadAllText(cached[p]));
            return result;
        }
        using var scope = NewDisposeScope();
        var sw = Stopwatch.StartNew();
        var (trainFeatures, testFeatures) = EvaluationRunner.Features(checkpoint, train, test, o.Seed, (stage, d, t) => observer.Progress($"{name}: {stage}", d, t)); // [N, D], [M, D]
        EvaluationRunner.Evaluate(protocols, checkpoint, train, test, trainFeatures, testFeatures, settings, (p, json) =>
        {
            AtomicFile.WriteAllText(cached[p], json.ToJsonString(JsonDefaults.Indented));
            result[EvaluationRunner.Name(p)] = json;
            observer.Message($"{name}: {EvaluationRunner.Name(p)} done");
        });
        if (name == "pcl")
        {
            Npy.Write(Path.Combine(o.RunsDir, "pcl-test-features.npy"), testFeatures);
        }
        observer.Message($"{name}: evaluated in {sw.Elapsed.TotalSeconds:F0} s");
        return result;
    }

    /// <summary>
    /// Whether an evaluation file left by an earlier reproduction is this one's: it names the same checkpoint, data, image
    /// counts and seed, and was written after the checkpoint it read (a run retrained since is evaluated again).
    /// </summary>
    private static bool IsCurrent(string file, string checkpoint, ImageDataset train, ImageDataset test, int seed)
    {
        if (!File.Exists(file)) return false;
        JsonNode? json;
        try { json = JsonNode.Parse(File.ReadAllText(file)); }
        catch (JsonException) { return false; }
        static int Labelled(ImageDataset d) => d.Labels?.Count(l => l != ImageDataset.Unlabelled) ?? 0;
        string? S(string key) => json?[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        int? I(string key) => json?[key] is JsonValue v && v.TryGetValue(out int i) ? i : null;
        if (S("checkpoint") != checkpoint || S("train_data") != train.Source || S("test_data") != test.Source
            || I("train_images") != Labelled(train) || I("test_images") != Labelled(test) || I("seed") != seed)
            return false;
        var run = checkpoint.StartsWith("random:", StringComparison.Ordinal) ? checkpoint[7..] : checkpoint;
        var weights = Directory.Exists(run) ? new RunDirectory(run).Checkpoint : null;
        return weights is null || !File.Exists(weights) || File.GetLastWriteTimeUtc(weights) <= File.GetLastWriteTimeUtc(file);
    }

    private static void WritePictures(Table1Options o, JsonObject methods, ImageDataset test, ITrainingObserver observer)
    {
        // Pictures of an earlier table in this folder (one replaced with --force) would show as this one's: remove every
        // picture this method draws before drawing them again (a PCL grid of another level, curves of a method left out).
        foreach (var pattern in new[] { "lowshot.png", "pca-pcl.png", "prototypes-pcl-k*.png", "curves-*.png" })
            foreach (var stale in Directory.Exists(o.OutDir) ? Directory.GetFiles(o.OutDir, pattern) : [])
                File.Delete(stale);
        var lowShot = new Dictionary<string, IReadOnlyDictionary<int, (double, double)>>();
        foreach (var (name, node) in methods)
            lowShot[name] = Ks.ToDictionary(k => int.Parse(k, CultureInfo.InvariantCulture),
                k => (node!["lowshot"]!["results"]![k]!["accuracy_mean"]!.GetValue<double>(), node["lowshot"]!["results"]![k]!["accuracy_std"]!.GetValue<double>()));
        LowShotPlot.Write(lowShot, Path.Combine(o.OutDir, "lowshot.png"));
        foreach (var m in o.Methods)
        {
            var metrics = Path.Combine(RunPath(o, m), "metrics.jsonl");
            if (File.Exists(metrics)) CurvePlot.Write(MetricsLog.Read(metrics), Path.Combine(o.OutDir, $"curves-{MethodName(m)}.png"), o.Budget with { Method = m });
        }
        var features = Path.Combine(o.RunsDir, "pcl-test-features.npy");
        if (File.Exists(features) && test.Labels is not null)
        {
            using var f = Npy.Read(features);  // [N, D]
            var pca = EmbeddingMap.Pca(f);
            EmbeddingMap.WritePng(pca.Xy, test.Labels, test.ClassNames, $"PCA of PCL's backbone features of the {test.Count:N0} test images", Path.Combine(o.OutDir, "pca-pcl.png"),
                pca.AxisLabel(0), pca.AxisLabel(1), o.Seed);
        }
        var pclRun = new RunDirectory(Path.Combine(o.RunsDir, "pcl"));
        if (pclRun.HasCheckpoint)
        {
            var meta = Checkpoint.ReadMeta(pclRun.Checkpoint);
            if (meta.LastClusters is not null)
            {
                using var clusters = ClusterResult.Load(Path.Combine(pclRun.Path, meta.LastClusters));
                using var train = DatasetLoader.Load(o.TrainData, new DataLoadOptions { Limit = o.Budget.Limit });
                var level = clusters.Levels[0];
                PrototypeGrid.Write(train, level.Assignments.data<long>().ToArray(), Path.Combine(o.OutDir, $"prototypes-pcl-k{level.K}.png"), o.Seed, k: level.K);
            }
        }
        observer.Message($"pictures written to {o.OutDir}");
    }

    private static double Get(JsonObject methods, string name, params string[] path)
    {
        JsonNode? n = methods[name];
        foreach (var p in path) n = n?[p];
        return n?.GetValue<double>() ?? double.NaN;
    }

    private static string Markdown(Table1Options o, JsonObject result)
    {
        var methods = result["methods"]!.AsObject();
        int testImages = methods.Select(m => m.Value?["knn"]?["test_images"]?.GetValue<int>()).FirstOrDefault(n => n is not null) ?? 0;
        var sb = new StringBuilder();
        sb.AppendLine("# Table 1, reproduced on Fashion-MNIST");
        sb.AppendLine();
        sb.AppendLine("Low-shot classification with linear SVMs on frozen, L2-normalised backbone features (one-vs-rest, cost 0.5,");
        sb.AppendLine($"positive weight 2; k labelled training images per class, 5 draws; accuracy on the {testImages:N0} test images, mean ± std),");
        sb.AppendLine("then linear probe, weighted kNN (k = 200, T = 0.07) and k-means clustering (K = the number of classes) of the L2-normalised test features.");
        sb.AppendLine("All learned rows share one training budget; `raw` is the pixels, `random` the same architecture at random initialisation.");
        sb.AppendLine();
        AppendMarkdownTable(sb, TableHeader, TableRows(methods));
        sb.AppendLine();
        sb.AppendLine("Low-shot mAP (mean over classes of non-interpolated average precision, as scikit-learn computes it; the reference script uses VOC07 interpolation, which is never lower), same draws:");
        sb.AppendLine();
        AppendMarkdownTable(sb, MapHeader, MapRows(methods));
        sb.AppendLine();
        sb.AppendLine("## The paper's claims on this run");
        sb.AppendLine();
        foreach (var line in Claims(methods)) sb.AppendLine("- " + line);
        sb.AppendLine();
        sb.AppendLine("## Budget and command");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(o.Command);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine($"Machine: {result["machine"]}. Training seconds per method: " +
                      string.Join(", ", result["train_seconds"]!.AsObject().Select(kv => $"{kv.Key} {kv.Value!.GetValue<double>():F0}")) + ".");
        sb.AppendLine();
        sb.AppendLine("Shared training budget. " + BudgetIntro);
        sb.AppendLine();
        AppendMarkdownTable(sb, ["setting", "value"], Budget(result).Select(kv => new[] { $"`{kv.Name}`", kv.Value.Replace("|", "\\|", StringComparison.Ordinal) }));
        sb.AppendLine();
        sb.AppendLine("Pictures: `lowshot.png` (accuracy vs k), `curves-*.png` (loss and accuracy per epoch), `pca-pcl.png`, `prototypes-pcl-*.png`.");
        sb.AppendLine("Per-protocol JSON: `evals/<method>-<protocol>.json`. `index.html` shows the tables, the claims and the pictures on one page.");
        // Hand-written reading of the run (what holds, what was tried) survives regeneration in notes.md.
        var notes = Path.Combine(o.OutDir, "notes.md");
        if (File.Exists(notes))
        {
            sb.AppendLine();
            sb.AppendLine("## Notes (written after the run, from notes.md)");
            sb.AppendLine();
            sb.Append(File.ReadAllText(notes).TrimEnd()).AppendLine();
        }
        return sb.ToString();
    }

    private static readonly string[] TableHeader = ["method", .. Ks.Select(k => $"k={k}"), "linear", "kNN", "AMI", "NMI"];

    private static readonly string[] MapHeader = ["method", .. Ks.Select(k => $"k={k}")];

    /// <summary>The main table's rows: low-shot accuracy (mean ± std, %), linear and kNN accuracy (%), AMI, NMI.</summary>
    private static IEnumerable<string[]> TableRows(JsonObject methods) => methods.Select(kv => kv.Key).Select(n => new[] { n }
        .Concat(Ks.Select(k => $"{100 * Get(methods, n, "lowshot", "results", k, "accuracy_mean"):F1} ± {100 * Get(methods, n, "lowshot", "results", k, "accuracy_std"):F1}"))
        .Concat([$"{100 * Get(methods, n, "linear", "accuracy"):F1}", $"{100 * Get(methods, n, "knn", "accuracy"):F1}", $"{Get(methods, n, "cluster", "ami"):F3}", $"{Get(methods, n, "cluster", "nmi"):F3}"])
        .ToArray());

    /// <summary>A Markdown table: the header row, the separator row, then one line per row.</summary>
    private static void AppendMarkdownTable(StringBuilder sb, string[] header, IEnumerable<string[]> rows)
    {
        sb.AppendLine("| " + string.Join(" | ", header) + " |");
        sb.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", header.Length)));
        foreach (var row in rows) sb.AppendLine("| " + string.Join(" | ", row) + " |");
    }

    /// <summary>Low-shot mAP (%) per method and k.</summary>
    private static IEnumerable<string[]> MapRows(JsonObject methods) => methods.Select(kv => kv.Key).Select(n => new[] { n }
        .Concat(Ks.Select(k => $"{100 * Get(methods, n, "lowshot", "results", k, "map_mean"):F1}")).ToArray());

    /// <summary>What the budget table is: one budget for every learned row, each row training its own method.</summary>
    private const string BudgetIntro =
        "Every learned row trains with these settings and its own method (so the budget names none); " +
        "a setting of one family only (such as the queue, the momentum encoder and `symmetric` of MoCo and PCL, `view_batch_norm` of the SimCLR methods, " +
        "the warm-up, prototype levels and k-means of the PCL methods) is read by that family alone.";

    /// <summary>The budget of table1.json as (setting, value) rows, without its method (each row has its own).</summary>
    private static IReadOnlyList<(string Name, string Value)> Budget(JsonObject result) =>
        result["budget"] is JsonObject budget ? HtmlTable.Flatten(budget, ["method"]) : [];

    /// <summary>How the page names a row of the table in captions: MoCo, PCL, SimCLR, PCL-SimCLR (others as they are).</summary>
    private static string DisplayName(string row) =>
        Enum.GetValues<Method>().Where(m => m.Name() == row).Select(m => m.Title()).FirstOrDefault() ?? row;

    /// <summary>
    /// Writes <c>index.html</c> beside table1.json and returns its path: the tables (the low-shot plot under the first),
    /// the claims, each method's training curves in the table's row order, PCL's feature map and prototype grid, the
    /// command and machine, the shared budget as a table, and notes.md rendered from its Markdown. Pictures missing from
    /// <paramref name="outDir"/> are left out.
    /// </summary>
    public static string WritePage(string outDir, JsonObject result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var methods = result["methods"]!.AsObject();
        bool Has(string file) => File.Exists(Path.Combine(outDir, file));
        var sections = new List<(string, string)>
        {
            ("Low-shot accuracy (%, mean ± std over 5 draws), linear probe and kNN accuracy (%), k-means AMI and NMI", HtmlTable.From(TableHeader, TableRows(methods)) +
                (Has("lowshot.png") ? "\n" + HtmlReport.Figure("low-shot accuracy against labelled images per class k, a line per row of the table; bars: ± std over the draws", "lowshot.png") : "")),
            ("Low-shot mAP (%)", HtmlTable.From(MapHeader, MapRows(methods))),
            ("The paper's claims on this run", "<ul>\n" + string.Concat(Claims(methods).Select(c => $"<li>{HtmlTable.Escape(c)}</li>\n")) + "</ul>"),
        };
        var curves = methods.Select(kv => kv.Key).Where(name => Has($"curves-{name}.png"))
            .Select(name => HtmlReport.Figure($"{DisplayName(name)}: training loss (top) and accuracy (bottom) per epoch", $"curves-{name}.png")).ToList();
        if (curves.Count > 0) sections.Add(("Training curves, in the table's row order", string.Concat(curves)));
        var pcl = new List<string>();
        if (Has("pca-pcl.png")) pcl.Add(HtmlReport.Figure("PCA of PCL's test features, coloured by label", "pca-pcl.png"));
        foreach (var (file, k) in Directory.GetFiles(outDir, "prototypes-pcl-k*.png").Select(Path.GetFileName)
                     .Select(f => (File: f!, K: int.TryParse(f![16..^4], NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : int.MaxValue))
                     .OrderBy(p => p.K).ThenBy(p => p.File, StringComparer.Ordinal))
            pcl.Add(HtmlReport.Figure(k == int.MaxValue ? $"largest clusters of a PCL level ({file})" : $"PCL's level K = {k}: its largest clusters in the last E-step", file));
        if (pcl.Count > 0) sections.Add(("PCL's features and prototypes", string.Concat(pcl)));
        sections.Add(("Command and machine", $"<pre>{HtmlTable.Escape(result["command"]?.ToString())}</pre>\n<p>{HtmlTable.Escape(result["machine"]?.ToString())}; " +
            $"training seconds: {HtmlTable.Escape(string.Join(", ", (result["train_seconds"]?.AsObject() ?? []).Select(kv => $"{kv.Key} {kv.Value!.GetValue<double>():F0}")))}.</p>"));
        var budget = Budget(result);
        if (budget.Count > 0)
            sections.Add(("Shared training budget", HtmlReport.Markdown(BudgetIntro) + "\n" +
                HtmlTable.Settings(result["budget"]!.AsObject(), ["method"])));
        var notes = Path.Combine(outDir, "notes.md");
        if (File.Exists(notes)) sections.Add(("Notes (notes.md)", HtmlReport.Markdown(File.ReadAllText(notes))));
        return HtmlReport.Write(outDir, "Table 1, reproduced on Fashion-MNIST", sections);
    }

    /// <summary>Each claim of the paper's Table 1, stated as holding or not on this run.</summary>
    public static IEnumerable<string> Claims(JsonObject methods)
    {
        string Verdict(bool ok) => ok ? "holds" : "does NOT hold";
        double Acc(string m, string k) => Get(methods, m, "lowshot", "results", k, "accuracy_mean");
        if (methods.ContainsKey("pcl") && methods.ContainsKey("moco"))
        {
            var lost = Ks.Where(k => !(Acc("pcl", k) > Acc("moco", k))).ToArray();
            yield return $"PCL > MoCo in low-shot accuracy at every k: {Verdict(lost.Length == 0)}" + (lost.Length > 0 ? $" (not at k = {string.Join(", ", lost)})" : "");
            yield return $"PCL's AMI > MoCo's: {Verdict(Get(methods, "pcl", "cluster", "ami") > Get(methods, "moco", "cluster", "ami"))} ({Get(methods, "pcl", "cluster", "ami"):F3} vs {Get(methods, "moco", "cluster", "ami"):F3})";
        }
        if (methods.ContainsKey("pcl-simclr") && methods.ContainsKey("simclr"))
        {
            var lost = Ks.Where(k => !(Acc("pcl-simclr", k) > Acc("simclr", k))).ToArray();
            yield return $"PCL-SimCLR > SimCLR at every k: {Verdict(lost.Length == 0)}" + (lost.Length > 0 ? $" (not at k = {string.Join(", ", lost)})" : "");
        }
        var learned = methods.Select(kv => kv.Key).Where(n => n is not ("raw" or "random")).ToArray();
        var failures = new List<string>();
        foreach (var m in learned)
            foreach (var b in new[] { "raw", "random" })
            {
                foreach (var k in Ks) if (!(Acc(m, k) > Acc(b, k))) failures.Add($"{m} <= {b} low-shot k={k}");
                if (!(Get(methods, m, "linear", "accuracy") > Get(methods, b, "linear", "accuracy"))) failures.Add($"{m} <= {b} linear");
                if (!(Get(methods, m, "knn", "accuracy") > Get(methods, b, "knn", "accuracy"))) failures.Add($"{m} <= {b} kNN");
                if (!(Get(methods, m, "cluster", "ami") > Get(methods, b, "cluster", "ami"))) failures.Add($"{m} <= {b} AMI");
            }
        yield return $"every learned representation beats raw pixels and random init under every protocol: {Verdict(failures.Count == 0)}" +
                     (failures.Count > 0 ? $" (fails: {string.Join("; ", failures)})" : "");
    }
}
