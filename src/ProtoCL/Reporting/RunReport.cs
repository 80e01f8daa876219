using System.Globalization;
using ProtoCL.Clustering;
using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.Training;
using static TorchSharp.torch;

namespace ProtoCL.Reporting;

/// <summary>What <see cref="RunReport.Write"/> draws besides the curves and settings.</summary>
public sealed record RunReportOptions
{
    /// <summary>Also draw a t-SNE map (2,000 points; minutes on a CPU).</summary>
    public bool Tsne { get; init; }

    /// <summary>Seed of every random choice (random-init baseline, images shown, t-SNE).</summary>
    public int Seed { get; init; }

    /// <summary>JSON files written by <c>protocl eval</c> to show as tables (and low-shot ones as a plot).</summary>
    public IReadOnlyList<string> Evaluations { get; init; } = [];

    /// <summary>Nearest images shown per query image (a display choice of ProtoCL's, not the paper's: the query and 8
    /// neighbours make a row of nine cells that stays readable at the page's width).</summary>
    public int Neighbours { get; init; } = 8;

    /// <summary>Query rows of the nearest-neighbour picture (one per class when the images have labels; 10 covers every
    /// class of Fashion-MNIST and CIFAR-10; an image folder with more classes shows its first 10).</summary>
    public int NeighbourQueries { get; init; } = 10;
}

/// <summary>
/// The report of one run folder: loss and accuracy curves, the epoch table and settings, the evaluation JSONs given,
/// a 2-D map and nearest-neighbour picture of the backbone features of a labelled image set, and a grid of images per
/// prototype for every level of the last E-step, all in one <c>index.html</c> beside the PNGs.
/// </summary>
public static class RunReport
{
    /// <summary>Writes the PNGs and <c>index.html</c> into the run folder and returns the path of <c>index.html</c>.</summary>
    /// <param name="runFolder">A folder written by <c>protocl train</c>.</param>
    /// <param name="images">Images for the map and the neighbour picture (labels colour them; null: neither is drawn).</param>
    /// <param name="options">What else to draw.</param>
    /// <param name="progress">Receives a line per step.</param>
    public static string Write(string runFolder, ImageDataset? images, RunReportOptions options, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Neighbours, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.NeighbourQueries, 1);
        var run = new RunDirectory(runFolder);
        if (!run.HasCheckpoint) throw new FileNotFoundException($"{run.Path} holds no checkpoint.pcl; train first");
        var evaluations = options.Evaluations.Select(EvaluationFile.Read).ToList(); // refused before anything is written
        var meta = Checkpoint.ReadMeta(run.Checkpoint);
        var figures = new List<(string, string)>();
        var sections = new List<(string, string)>();

        var metrics = MetricsLog.Read(run.Metrics);
        CurvePlot.Write(metrics, Path.Combine(run.Path, "curves.png"), meta.Options);
        figures.Add(("loss and accuracy per epoch", "curves.png"));
        sections.Add(("Epochs", HtmlTable.From(["epoch", "loss", "instance", "proto", "acc instance", "acc proto", "lr", "img/s", "train s", "E-step s"],
            metrics.Select(m => new[] { m.Epoch.ToString(CultureInfo.InvariantCulture), F(m.Loss), F(m.LossInstance), F(m.LossProto), F(m.AccInstance), F(m.AccProto), F(m.Lr), F(m.ImagesPerSecond), F(m.SecondsTrain), F(m.SecondsEstep) }))));
        if (evaluations.Count > 0) AddEvaluations(run, evaluations, sections, figures);
        sections.Add(("Settings", "<pre>" + HtmlTable.Escape(File.Exists(run.Config) ? File.ReadAllText(run.Config) : "") + "</pre>"));

        if (images is not null && images.Channels == meta.Channels && images.Count >= 2)
        {
            progress?.Invoke($"features of {images.Count} images ({images.Source})");
            using var features = FeatureSource.Extract(run.Path, images, options.Seed); // [N, D]
            AddMaps(run, images, features, options, figures, progress);
            AddNeighbours(run, images, features, options, sections, figures);
        }
        else if (images is not null)
            progress?.Invoke(images.Channels != meta.Channels
                ? $"note: the map and the neighbour picture are left out: {images.Source} has {images.Channels}-channel images, the run {meta.Channels}-channel ones; pass --data with images like the run's"
                : $"note: the map and the neighbour picture are left out: {images.Source} holds fewer than 2 images");
        if (meta.LastClusters is not null) AddPrototypeGrids(run, meta, options.Seed, sections, figures, progress);
        return HtmlReport.Write(run.Path, $"ProtoCL run {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(run.Path)))}", sections, figures);
    }

    private static void AddEvaluations(RunDirectory run, List<EvaluationFile> evaluations, List<(string, string)> sections, List<(string, string)> figures)
    {
        var others = evaluations.Where(e => e.Protocol != "lowshot").ToList();
        if (others.Count > 0)
            sections.Add(("Evaluations", HtmlTable.From(["protocol", "checkpoint", "test images", "accuracy", "AMI", "NMI", "file"],
                others.Select(e => new[] { e.Protocol, e.Checkpoint, Count(e.Get("test_images")), Percent(e.Get("accuracy")), F(e.Get("ami")), F(e.Get("nmi")), e.Path }))));
        var lowShot = evaluations.Where(e => e.Protocol == "lowshot").ToList();
        if (lowShot.Count == 0) return;
        var ks = lowShot.SelectMany(e => e.LowShot().Keys).Distinct().Order().ToArray();
        sections.Add(("Low-shot classification (accuracy %, mean ± std over the draws; mAP %)", HtmlTable.From(
            ["checkpoint", .. ks.Select(k => $"k = {k}"), "file"],
            lowShot.Select(e =>
            {
                var (accuracy, map) = (e.LowShot(), e.LowShotMap());
                return new[] { e.Checkpoint }
                    .Concat(ks.Select(k => accuracy.TryGetValue(k, out var a)
                        ? $"{Percent(a.Mean)} ± {Percent(a.Std)} ({(map.TryGetValue(k, out var m) ? Percent(m.Mean) : "")})" : ""))
                    .Append(e.Path).ToArray();
            }))));
        var lines = new Dictionary<string, IReadOnlyDictionary<int, (double mean, double std)>>();
        foreach (var e in lowShot)
        {
            var name = e.CheckpointName;
            if (lines.ContainsKey(name)) name = $"{name} ({Path.GetFileName(e.Path)})";
            lines[name] = e.LowShot().ToDictionary(kv => kv.Key, kv => (kv.Value.Mean, kv.Value.Std));
        }
        LowShotPlot.Write(lines, Path.Combine(run.Path, "lowshot.png"));
        figures.Add(("low-shot accuracy against labelled images per class", "lowshot.png"));
    }

    private static void AddMaps(RunDirectory run, ImageDataset images, Tensor features, RunReportOptions options, List<(string, string)> figures, Action<string>? progress)
    {
        if (images.Labels is null) return;
        var pca = EmbeddingMap.Pca(features);
        EmbeddingMap.WritePng(pca.Xy, images.Labels, images.ClassNames, $"PCA of the backbone features of {images.Source}", Path.Combine(run.Path, "pca.png"),
            pca.AxisLabel(0), pca.AxisLabel(1), options.Seed);
        figures.Add(("PCA of the backbone features, coloured by label", "pca.png"));
        if (!options.Tsne) return;
        progress?.Invoke("t-SNE");
        var tsne = EmbeddingMap.Tsne2D(features, options.Seed);
        EmbeddingMap.WritePng(tsne.Xy, tsne.Select(images.Labels), images.ClassNames,
            $"t-SNE of the backbone features of {images.Source}" + (tsne.Count < images.Count ? $" (a random subset of the {images.Count:N0} images)" : ""),
            Path.Combine(run.Path, "tsne.png"), "t-SNE 1", "t-SNE 2", options.Seed);
        figures.Add(("t-SNE of the backbone features", "tsne.png"));
    }

    private static void AddNeighbours(RunDirectory run, ImageDataset images, Tensor features, RunReportOptions options, List<(string, string)> sections, List<(string, string)> figures)
    {
        var queries = NeighbourGrid.ChooseQueries(images.Count, images.Labels, options.NeighbourQueries, options.Seed);
        NeighbourGrid.Write(images, NearestNeighbours.Find(features, queries, options.Neighbours), Path.Combine(run.Path, "neighbours.png"));
        figures.Add(($"each row: an image (purple frame) and its {options.Neighbours} nearest images among the {images.Count:N0} by cosine similarity of the backbone features" +
                     (images.Labels is null ? "" : "; blue ✓: same label, orange ✗: another label"), "neighbours.png"));
        if (images.Labels is null) return;
        double agreement = NearestNeighbours.LabelAgreement(features, images.Labels, options.Neighbours);
        if (double.IsNaN(agreement)) return;
        int labelled = images.Labels.Count(l => l != ImageDataset.Unlabelled);
        int classes = images.Labels.Where(l => l != ImageDataset.Unlabelled).Distinct().Count();
        sections.Add(("Nearest neighbours", $"<p>Of each image's {options.Neighbours} nearest images among the {labelled:N0} labelled images of " +
            $"{HtmlTable.Escape(images.Source)} (cosine similarity of the backbone features), <b>{Percent(agreement)} %</b> share its label " +
            $"({classes} classes: about {Percent(1.0 / classes)} % for features that know nothing of them, if the classes are balanced).</p>"));
    }

    private static void AddPrototypeGrids(RunDirectory run, CheckpointMeta meta, int seed, List<(string, string)> sections, List<(string, string)> figures, Action<string>? progress)
    {
        ImageDataset train;
        try
        {
            progress?.Invoke($"training images ({meta.Source})");
            var load = new DataLoadOptions { Limit = meta.ImageCount, ImageSize = meta.Options.LoadSize, ApplyExifOrientation = meta.Options.ExifOrientation, BadImagePolicy = BadImagePolicy.Skip };
            train = DatasetLoader.Load(DatasetLoader.PathOf(meta.Source), load);
        }
        catch (Exception e) when (e is IOException or DataException or ArgumentException or InvalidDataException or UnauthorizedAccessException)
        {
            sections.Add(("Prototypes", $"<p>The training images could not be read from {HtmlTable.Escape(meta.Source)} ({HtmlTable.Escape(e.Message)}), so the prototype grids are left out.</p>"));
            progress?.Invoke($"note: the prototype grids are left out: the training images could not be read from {meta.Source} ({e.Message})");
            return;
        }
        using (train)
        {
            using var clusters = ClusterResult.Load(Path.Combine(run.Path, meta.LastClusters!));
            if (meta.OtherImagesReason(train) is { } other)
            {
                sections.Add(("Prototypes", $"<p>The training images have changed since the run ({HtmlTable.Escape(other)}), so the prototype grids are left out.</p>"));
                progress?.Invoke($"note: the prototype grids are left out: the training images have changed since the run ({other})");
                return;
            }
            // The clusters folder is named after the 1-based epoch whose E-step wrote it (RunDirectory.ClustersOfEpoch: epoch-NNNN).
            var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(meta.LastClusters!));
            int? estepEpoch = folder.StartsWith("epoch-", StringComparison.Ordinal) && int.TryParse(folder["epoch-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var e) ? e : null;
            foreach (var level in clusters.Levels)
            {
                var file = $"prototypes-k{level.K}.png";
                PrototypeGrid.Write(train, level.Assignments.data<long>().ToArray(), Path.Combine(run.Path, file), seed, k: level.K, epoch: estepEpoch);
                figures.Add(($"largest clusters of the level K = {level.K} (last E-step), with randomly drawn members", file));
            }
        }
    }

    private static string F(double? v) => v is double d && !double.IsNaN(d) ? d.ToString("G4", CultureInfo.InvariantCulture) : "";

    private static string Count(double v) => double.IsNaN(v) ? "" : v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double v) => double.IsNaN(v) ? "" : (100 * v).ToString("F1", CultureInfo.InvariantCulture);
}
