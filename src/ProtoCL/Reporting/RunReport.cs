using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ProtoCL.Clustering;
using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.IO;
using ProtoCL.Training;
using static TorchSharp.torch;

namespace ProtoCL.Reporting;

/// <summary>What <see cref="RunReport.Write"/> draws besides the curves and settings.</summary>
public sealed record RunReportOptions
{
    /// <summary>Also draw a t-SNE map (2,000 points; minutes on a CPU).</summary>
    public bool Tsne { get; init; }

    /// <summary>Seed of the random choices: the images shown and t-SNE.</summary>
    public int Seed { get; init; }

    /// <summary>JSON files written by <c>protocl eval</c> to show as tables (and low-shot ones as a plot).</summary>
    public IReadOnlyList<string> Evaluations { get; init; } = [];

    /// <summary>Nearest images shown per query image (a display choice of ProtoCL's, not the paper's: the query and 8
    /// neighbours make a row of nine cells that stays readable at the page's width).</summary>
    public int Neighbours { get; init; } = 8;

    /// <summary>Query rows of the nearest-neighbour picture (one per class when the images have labels; 10 covers every
    /// class of Fashion-MNIST and CIFAR-10; an image folder with more classes shows its first 10).</summary>
    public int NeighbourQueries { get; init; } = 10;

    /// <summary>Why no images were given for the map and the neighbour picture, said where they would stand (null:
    /// nothing is said).</summary>
    public string? NoImagesReason { get; init; }
}

/// <summary>
/// The report of one run folder, all in one <c>index.html</c> beside the PNGs, each picture next to its numbers: the
/// epoch table with the loss and accuracy curves, the evaluation JSONs given (low-shot ones with their plot), the
/// nearest-neighbour agreement and picture and a 2-D map of the backbone features of a labelled image set, a grid of
/// images per prototype for every level of the last E-step, and the run's settings. The files a report writes are
/// listed in <see cref="ManifestFile"/>; the next report removes those of them it does not draw again.
/// </summary>
public static partial class RunReport
{
    /// <summary>
    /// The run folder's list of the files the last report wrote (JSON: <c>{"files": [...]}</c>). A report removes the
    /// pictures that list names and it does not draw again (a t-SNE map after a report without --tsne, a low-shot plot
    /// after one without a low-shot --eval, a grid of a level the run no longer has), and nothing else: only the names
    /// a report draws (curves.png, pca.png, tsne.png, neighbours.png, lowshot.png, prototypes-kN.png) are ever removed.
    /// Without the list (a report older than it), the pictures the old index.html links among those names are taken.
    /// </summary>
    public const string ManifestFile = "report-files.json";

    /// <summary>What is said when a file (such as a run's checkpoint.pcl) is given where a run folder is expected.</summary>
    public static string FileGivenAsRun(string path) =>
        $"--run takes a run folder; {path} is a file (give the folder that holds it{(Path.GetFileName(path) == "checkpoint.pcl" ? $": {Path.GetDirectoryName(Path.GetFullPath(path))}" : "")})";

    /// <summary>Writes the PNGs and <c>index.html</c> into the run folder and returns the path of <c>index.html</c>.</summary>
    /// <param name="runFolder">A folder written by <c>protocl train</c>.</param>
    /// <param name="images">Images for the map and the neighbour picture (labels colour them; null: neither is drawn).</param>
    /// <param name="options">What else to draw.</param>
    /// <param name="progress">Receives a line per step, and one naming the pictures of an earlier report it removed.</param>
    public static string Write(string runFolder, ImageDataset? images, RunReportOptions options, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Neighbours, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.NeighbourQueries, 1);
        var run = new RunDirectory(runFolder);
        if (File.Exists(runFolder)) throw new ArgumentException(FileGivenAsRun(runFolder));
        if (!run.HasCheckpoint) throw new FileNotFoundException($"{run.Path} holds no checkpoint.pcl; train first");
        var evaluations = options.Evaluations.Select(EvaluationFile.Read).ToList(); // refused before anything is written
        var meta = Checkpoint.ReadMeta(run.Checkpoint);
        var files = new ReportFiles(run.Path);
        var sections = new List<(string, string)>();

        var metrics = MetricsLog.Read(run.Metrics);
        progress?.Invoke($"drawing the loss and accuracy curves of the {metrics.Count} epoch(s) in {run.Metrics}");
        CurvePlot.Write(metrics, files.Add("curves.png"), meta.Options);
        sections.Add(("Training, epoch by epoch", Epochs(meta, metrics) +
            HtmlReport.Figure("training loss (top) and accuracy (bottom) per epoch, as in the table above", "curves.png")));
        if (evaluations.Count > 0) AddEvaluations(files, evaluations, sections, progress);

        bool usable = images is not null && images.Channels == meta.Channels && images.Count >= 2;
        bool gridsNeedTrain = meta.LastClusters is not null;
        // Report images fewer than the run's training images may be their first ones: only the training images tell.
        bool prefixNeedsTrain = usable && images!.Count < meta.ImageCount && !meta.TrainedOn(images) && DatasetLoader.SameSource(images.Source, meta.Source);
        ImageDataset? train = null;
        string? trainError = null;
        try
        {
            if (gridsNeedTrain || prefixNeedsTrain)
                (train, trainError) = gridsNeedTrain
                    ? ReadTrainingImages(meta, meta.ImageCount, "for the prototype grids", progress)
                    : ReadTrainingImages(meta, images!.Count, "to tell whether the report's images are among them", progress); // their first N only
            if (usable && images is not null)
            {
                var trainedNote = TrainingImagesNote(meta, images, train);
                progress?.Invoke($"computing the backbone features of the {images.Count:N0} images of {images.Source} for the nearest-neighbour picture and the feature map");
                using var features = FeatureSource.Extract(run.Path, images, options.Seed); // [N, D]
                AddNeighbours(files, images, features, options, trainedNote, sections, progress);
                AddMaps(files, images, features, options, trainedNote, sections, progress);
            }
            else if (images is not null)
            {
                var why = images.Channels != meta.Channels
                    ? $"{images.Source} has {images.Channels}-channel images, the run {meta.Channels}-channel ones; pass --data with images like the run's"
                    : $"{images.Source} holds fewer than 2 images";
                sections.Add(("Nearest neighbours", $"<p>The nearest-neighbour picture and the feature map are left out: {HtmlTable.Escape(why)}.</p>"));
                progress?.Invoke($"note: the map and the neighbour picture are left out: {why}");
            }
            else if (options.NoImagesReason is { } reason)
                sections.Add(("Nearest neighbours", $"<p>The nearest-neighbour picture and the feature map are left out: {HtmlTable.Escape(reason)}.</p>"));
            if (meta.LastClusters is not null) AddPrototypeGrids(files, run, meta, train, trainError, options.Seed, sections, progress);
            else if (meta.Options.UsesPrototypes)
                sections.Add(("Prototypes", $"<p>No prototype grids: the run has no E-step yet (it ended within its {meta.Options.WarmupEpochs} warm-up epoch(s), which train without prototypes).</p>"));
        }
        finally
        {
            train?.Dispose();
        }
        sections.Add(("Settings", Settings(run)));

        var index = HtmlReport.Write(run.Path, $"ProtoCL run {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(run.Path)))}", sections);
        files.Add("index.html");
        var removed = files.Finish();
        if (removed.Count > 0)
            progress?.Invoke($"removed {string.Join(", ", removed)} from {run.Path}: an earlier report drew {(removed.Count == 1 ? "it" : "them")} and this one does not (nothing else there is touched)");
        return index;
    }

    /// <summary>The epoch table, with a line on what was trained before it and a legend after it.</summary>
    private static string Epochs(CheckpointMeta meta, IReadOnlyList<MetricsLine> metrics)
    {
        var o = meta.Options;
        bool prototypes = o.UsesPrototypes || metrics.Any(m => m.LossProto is not null);
        bool simclr = o.Method is Method.Simclr or Method.PclSimclr;
        string instanceLoss = simclr ? "NT-Xent" : "InfoNCE";
        var header = new List<string> { "epoch", "total loss", $"instance loss ({instanceLoss})" };
        if (prototypes) header.Add("prototype loss (ProtoNCE)");
        header.Add("instance-discrimination top-1 accuracy %");
        if (prototypes) header.Add("prototype accuracy %");
        header.AddRange(["learning rate", "images / s", "training s"]);
        if (prototypes) header.Add("E-step s");
        var rows = metrics.Select(m =>
        {
            var row = new List<string> { m.Epoch.ToString(CultureInfo.InvariantCulture), F(m.Loss), F(m.LossInstance) };
            string warm = m.Epoch <= o.WarmupEpochs ? "warm-up" : "";
            if (prototypes) row.Add(m.LossProto is double lp ? F(lp) : warm);
            row.Add(Percent(m.AccInstance));
            if (prototypes) row.Add(m.AccProto is double ap ? Percent(ap) : warm);
            row.AddRange([F(m.Lr), F(m.ImagesPerSecond), F(m.SecondsTrain)]);
            if (prototypes) row.Add(F(m.SecondsEstep));
            return row.ToArray();
        });
        var sb = new StringBuilder();
        sb.Append($"<p>{HtmlTable.Escape(o.Method.Name())}, {metrics.Count} of {o.Epochs} epoch(s)")
          .Append(prototypes ? $" ({o.WarmupEpochs} warm-up), prototype levels K = {HtmlTable.Escape(string.Join(", ", o.Clusters))}" : "")
          .Append($", on {meta.ImageCount:N0} images of {HtmlTable.Escape(meta.Source)}.</p>\n");
        sb.Append(HtmlTable.From([.. header], rows)).Append('\n');
        string chance = simclr
            ? $"chance: 1 in 2 &#215; batch &#8722; 1 = {2 * o.BatchSize - 1:N0}, the other views of the batch being the candidates"
            : $"chance: 1 in queue + 1 = {o.QueueSize + 1:N0}, the queued keys being the negatives";
        sb.Append("<p class=\"legend\">Losses are means per image over the epoch. <b>Instance loss</b>: the ").Append(instanceLoss)
          .Append(" loss of instance discrimination")
          .Append(prototypes ? "; <b>prototype loss</b>: the ProtoNCE prototype term, averaged over the levels; <b>total loss</b>: their sum." : "; <b>total loss</b>: the same, as the run has no prototype term.")
          .Append(" <b>Instance-discrimination top-1 accuracy</b>: the share of query views whose positive (the other view of the same image) scored highest (")
          .Append(chance).Append(").");
        if (prototypes)
            sb.Append(" <b>Prototype accuracy</b>: the share of images whose highest-scoring prototype is their own cluster&#39;s, averaged over the levels (about 1 / K by chance for equal clusters).")
              .Append(" Warm-up epochs train without prototypes. <b>E-step s</b>: the clustering before the epoch.");
        sb.Append(" <b>Training s</b>: the epoch&#39;s minibatches.</p>\n");
        return sb.ToString();
    }

    private static void AddEvaluations(ReportFiles files, List<EvaluationFile> evaluations, List<(string, string)> sections, Action<string>? progress)
    {
        var others = evaluations.Where(e => e.Protocol is not ("lowshot" or "finetune")).ToList();
        if (others.Count > 0)
        {
            bool levels = others.Any(e => e.Protocol == "cluster");
            var header = new List<string> { "protocol", "checkpoint", "test images", "accuracy %", "AMI", "NMI" };
            if (levels) header.Add("AMI of the run's PCL levels (training images)");
            header.Add("file");
            var sb = new StringBuilder(HtmlTable.From([.. header], others.Select(e =>
            {
                var row = new List<string> { ProtocolName(e), e.Checkpoint, Count(e.Get("test_images")), Percent(e.Get("accuracy")), F3(e.Get("ami")), F3(e.Get("nmi")) };
                if (levels) row.Add(string.Join(", ", e.Levels().Select(l => $"K = {l.K}: {F3(l.Ami)}")));
                row.Add(e.Path);
                return row.ToArray();
            })));
            sb.Append("\n<p class=\"legend\"><b>Accuracy</b>: of kNN and the linear probe, the share of test images classified right; of k-means, the share " +
                      "right under the best one-to-one matching of clusters to classes. <b>AMI</b> and <b>NMI</b>: of k-means on the test features against their labels.");
            if (levels) sb.Append(" <b>AMI of the run&#39;s PCL levels</b>: each level&#39;s clusters from the run&#39;s last E-step against the labels of the training images they cluster.");
            sb.Append("</p>\n").Append(Notes(others, "levels_note"));
            sections.Add(("Evaluations", sb.ToString()));
        }
        AddFineTuning(evaluations.Where(e => e.Protocol == "finetune").ToList(), sections);
        var lowShot = evaluations.Where(e => e.Protocol == "lowshot").ToList();
        if (lowShot.Count == 0) return;
        var ks = lowShot.SelectMany(e => e.LowShot().Keys).Distinct().Order().ToArray();
        var html = new StringBuilder("<p>Linear SVMs trained on the frozen backbone features of k labelled training images per class and scored on the test images; " +
                                     "each number is the mean &#177; standard deviation over the random draws of the k images.</p>\n");
        html.Append("<p><b>Accuracy (%)</b></p>\n").Append(HtmlTable.From(
            ["checkpoint", .. ks.Select(k => $"k = {k}: accuracy %"), "test images", "draws", "file"],
            lowShot.Select(e =>
            {
                var accuracy = e.LowShot();
                return new[] { e.Checkpoint }
                    .Concat(ks.Select(k => accuracy.TryGetValue(k, out var a) ? MeanStd(a) : ""))
                    .Concat([Count(e.Get("test_images")), Count(e.Get("draws")), e.Path]).ToArray();
            })));
        html.Append("\n<p><b>mAP (%)</b>: the mean over the classes of the average precision of each class&#39;s SVM scores</p>\n").Append(HtmlTable.From(
            ["checkpoint", .. ks.Select(k => $"k = {k}: mAP %")],
            lowShot.Select(e =>
            {
                var map = e.LowShotMap();
                return new[] { e.Checkpoint }.Concat(ks.Select(k => map.TryGetValue(k, out var m) ? MeanStd(m) : "")).ToArray();
            })));
        html.Append('\n').Append(Notes(lowShot));
        var lines = new Dictionary<string, IReadOnlyDictionary<int, (double mean, double std)>>();
        foreach (var e in lowShot)
        {
            var name = e.CheckpointName;
            if (lines.ContainsKey(name)) name = $"{name} ({Path.GetFileName(e.Path)})";
            lines[name] = e.LowShot().ToDictionary(kv => kv.Key, kv => (kv.Value.Mean, kv.Value.Std));
        }
        progress?.Invoke($"drawing the low-shot accuracy of {lowShot.Count} evaluation(s) against k");
        LowShotPlot.Write(lines, files.Add("lowshot.png"));
        html.Append(HtmlReport.Figure("low-shot accuracy (the first table) against labelled images per class k, a line per evaluation; bars: ± std over the draws", "lowshot.png"));
        sections.Add(("Low-shot classification", html.ToString()));
    }

    /// <summary>The semi-supervised section: top-1 and top-5 accuracy per percentage of labels, a row per evaluation file.</summary>
    private static void AddFineTuning(List<EvaluationFile> fineTuned, List<(string, string)> sections)
    {
        if (fineTuned.Count == 0) return;
        var percents = fineTuned.SelectMany(e => e.FineTune().Select(r => r.Percent)).Distinct().Order().ToArray();
        static string P(double p) => p.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        var html = new StringBuilder("<p>The whole network, the backbone and a new linear classifier, fine-tuned on a share of each class&#39;s labelled " +
                                     "training images and scored on the test images (the paper&#39;s Table 2 protocol). A <code>random</code> row is the same " +
                                     "network trained from scratch on the same labels: what the pre-training adds is the difference.</p>\n");
        html.Append(HtmlTable.From(
            ["checkpoint", .. percents.SelectMany(p => new[] { $"{P(p)} % labels: top-1 %", $"{P(p)} %: top-5 %" }), "labelled images", "file"],
            fineTuned.Select(e =>
            {
                var rows = e.FineTune();
                return new[] { e.Checkpoint }
                    .Concat(percents.SelectMany(p => rows.Where(r => r.Percent == p).Select(r => new[] { Percent(r.Top1), Percent(r.Top5) }).DefaultIfEmpty(["", ""]).First()))
                    .Concat([string.Join(" / ", rows.Select(r => Count(r.Labelled))), e.Path]).ToArray();
            })));
        html.Append('\n').Append(Notes(fineTuned));
        sections.Add(("Semi-supervised fine-tuning", html.ToString()));
    }

    /// <summary>How the Evaluations table names a protocol: with its k (kNN) or K (k-means) where the file records it.</summary>
    private static string ProtocolName(EvaluationFile e) => e.Protocol switch
    {
        "knn" => double.IsNaN(e.Get("k")) ? "kNN" : $"kNN (k = {Count(e.Get("k"))})",
        "linear" => "linear probe",
        "cluster" => double.IsNaN(e.Get("k")) ? "k-means" : $"k-means (K = {Count(e.Get("k"))})",
        _ => e.Protocol,
    };

    /// <summary>
    /// The notes the evaluation files carry (test images the run trained on, a mid-epoch checkpoint, and <paramref name="more"/>),
    /// a paragraph per distinct note naming the files that carry it.
    /// </summary>
    private static string Notes(IEnumerable<EvaluationFile> evaluations, params string[] more)
    {
        var notes = new List<(string Note, List<string> Files)>();
        foreach (var e in evaluations)
            foreach (var key in new[] { "test_note", "checkpoint_note" }.Concat(more))
                if (e.Text(key) is { Length: > 0 } note)
                {
                    if (notes.FirstOrDefault(n => n.Note == note) is { Files: not null } same) same.Files.Add(Path.GetFileName(e.Path));
                    else notes.Add((note, [Path.GetFileName(e.Path)]));
                }
        return string.Concat(notes.Select(n => $"<p class=\"note\">{HtmlTable.Escape(string.Join(", ", n.Files.Distinct()))}: {HtmlTable.Escape(n.Note)}.</p>\n"));
    }

    /// <summary>
    /// The training images, read as the run read them, or the reason they could not be read. <paramref name="why"/> says
    /// on the console what they are read for.
    /// </summary>
    private static (ImageDataset? Train, string? Error) ReadTrainingImages(CheckpointMeta meta, int count, string why, Action<string>? progress)
    {
        try
        {
            progress?.Invoke(count == meta.ImageCount
                ? $"reading the run's {meta.ImageCount:N0} training images from {meta.Source} {why}"
                : $"reading the first {count:N0} of the run's {meta.ImageCount:N0} training images from {meta.Source} {why}");
            var load = new DataLoadOptions { Limit = count, ImageSize = meta.Options.LoadSize, ApplyExifOrientation = meta.Options.ExifOrientation, BadImagePolicy = BadImagePolicy.Skip };
            return (DatasetLoader.Load(DatasetLoader.PathOf(meta.Source), load), null);
        }
        catch (Exception e) when (e is IOException or DataException or ArgumentException or InvalidDataException or UnauthorizedAccessException)
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// A sentence saying which of <paramref name="images"/> the run trained on, when they begin with its training images
    /// (<see cref="CheckpointMeta.TrainedOn"/>) or are the first of them (compared with <paramref name="train"/>, the
    /// training images, when read); null when neither holds.
    /// </summary>
    private static string? TrainingImagesNote(CheckpointMeta meta, ImageDataset images, ImageDataset? train)
    {
        if (meta.TrainedOn(images))
            return images.Count == meta.ImageCount
                ? $"these {images.Count:N0} images are the images the run trained on"
                : $"the first {meta.ImageCount:N0} of these {images.Count:N0} images are the images the run trained on";
        if (train is not null && images.Count < meta.ImageCount && train.Count >= images.Count && images.Channels == train.Channels && images.Height == train.Height && images.Width == train.Width)
        {
            using var first = train.Take(images.Count);
            if (first.ContentDigest == images.ContentDigest)
                return $"these {images.Count:N0} images are the first {images.Count:N0} of the {meta.ImageCount:N0} images the run trained on";
        }
        return null;
    }

    /// <summary>The paragraph that marks a number or picture of the report's images as a training-set one.</summary>
    private static string TrainingSetParagraph(string what, string trainedNote) =>
        $"<p class=\"note\"><b>{HtmlTable.Escape(what)}</b>: {HtmlTable.Escape(trainedNote)} (without their labels), so the features were fitted to them " +
        "and this says how the run sees its own training images, not how it generalises; pass --data with images the run did not train on for a held-out view.</p>\n";

    private static void AddNeighbours(ReportFiles files, ImageDataset images, Tensor features, RunReportOptions options, string? trainedNote, List<(string, string)> sections, Action<string>? progress)
    {
        progress?.Invoke($"finding the {options.Neighbours} nearest images of {Math.Min(options.NeighbourQueries, images.Count)} query images for the neighbour picture");
        var queries = NeighbourGrid.ChooseQueries(images.Count, images.Labels, options.NeighbourQueries, options.Seed);
        NeighbourGrid.Write(images, NearestNeighbours.Find(features, queries, options.Neighbours), files.Add("neighbours.png"));
        var figure = HtmlReport.Figure($"each row: an image (purple frame) and its {options.Neighbours} nearest images among the {images.Count:N0} by cosine similarity of the backbone features" +
                                       (images.Labels is null ? "" : "; blue ✓: same label, orange ✗: another label"), "neighbours.png");
        var sb = new StringBuilder();
        double agreement = double.NaN;
        if (images.Labels is not null)
        {
            progress?.Invoke($"measuring how many of each image's {options.Neighbours} nearest images share its label");
            agreement = NearestNeighbours.LabelAgreement(features, images.Labels, options.Neighbours);
        }
        if (!double.IsNaN(agreement))
        {
            int labelled = images.Labels!.Count(l => l != ImageDataset.Unlabelled);
            int classes = images.Labels!.Where(l => l != ImageDataset.Unlabelled).Distinct().Count();
            sb.Append($"<p>Of each image's {options.Neighbours} nearest images among the {labelled:N0} labelled images of " +
                      $"{HtmlTable.Escape(images.Source)} (cosine similarity of the backbone features), <b>{Percent(agreement)} %</b> share its label " +
                      $"({classes} classes: about {Percent(1.0 / classes)} % for features that know nothing of them, if the classes are balanced).</p>\n");
            if (trainedNote is not null) sb.Append(TrainingSetParagraph("A training-set number", trainedNote));
        }
        else
        {
            sb.Append($"<p>The {images.Count:N0} images of {HtmlTable.Escape(images.Source)} have no labels, so no share of neighbours with the same label is measured.</p>\n");
            if (trainedNote is not null) sb.Append(TrainingSetParagraph("Training images", trainedNote));
        }
        sections.Add(("Nearest neighbours", sb.Append(figure).ToString()));
    }

    private static void AddMaps(ReportFiles files, ImageDataset images, Tensor features, RunReportOptions options, string? trainedNote, List<(string, string)> sections, Action<string>? progress)
    {
        if (images.Labels is null) return;
        progress?.Invoke("drawing the PCA map of the backbone features");
        var sb = new StringBuilder($"<p>The backbone features of the {images.Count:N0} images of {HtmlTable.Escape(images.Source)} in two dimensions, each point coloured by its label.</p>\n");
        if (trainedNote is not null) sb.Append(TrainingSetParagraph("Training images", trainedNote));
        var pca = EmbeddingMap.Pca(features);
        EmbeddingMap.WritePng(pca.Xy, images.Labels, images.ClassNames, $"PCA of the backbone features of {images.Source}", files.Add("pca.png"),
            pca.AxisLabel(0), pca.AxisLabel(1), options.Seed);
        sb.Append(HtmlReport.Figure("PCA of the backbone features, coloured by label", "pca.png"));
        if (options.Tsne)
        {
            progress?.Invoke($"running t-SNE on {Math.Min(2000, images.Count):N0} of the features (minutes on a CPU)");
            var tsne = EmbeddingMap.Tsne2D(features, options.Seed);
            EmbeddingMap.WritePng(tsne.Xy, tsne.Select(images.Labels), images.ClassNames,
                $"t-SNE of the backbone features of {images.Source}" + (tsne.Count < images.Count ? $" (a random subset of the {images.Count:N0} images)" : ""),
                files.Add("tsne.png"), "t-SNE 1", "t-SNE 2", options.Seed);
            sb.Append(HtmlReport.Figure($"t-SNE of the backbone features of {Math.Min(2000, images.Count):N0} of the images, coloured by label", "tsne.png"));
        }
        sections.Add(("Feature map", sb.ToString()));
    }

    private static void AddPrototypeGrids(ReportFiles files, RunDirectory run, CheckpointMeta meta, ImageDataset? train, string? trainError, int seed, List<(string, string)> sections, Action<string>? progress)
    {
        if (train is null)
        {
            sections.Add(("Prototypes", $"<p>The training images could not be read from {HtmlTable.Escape(meta.Source)} ({HtmlTable.Escape(trainError)}), so the prototype grids are left out.</p>"));
            progress?.Invoke($"note: the prototype grids are left out: the training images could not be read from {meta.Source} ({trainError})");
            return;
        }
        using var clusters = ClusterResult.Load(Path.Combine(run.Path, meta.LastClusters!));
        if (meta.OtherImagesReason(train) is { } other)
        {
            sections.Add(("Prototypes", $"<p>The training images have changed since the run ({HtmlTable.Escape(other)}), so the prototype grids are left out.</p>"));
            progress?.Invoke($"note: the prototype grids are left out: the training images have changed since the run ({other})");
            return;
        }
        var sb = new StringBuilder($"<p>The clusters of the run&#39;s last E-step ({HtmlTable.Escape(meta.LastClusters)}) over its {train.Count:N0} training images, one picture per level: " +
                                   "a row per cluster, largest first, with its id and size and images of it drawn at random.</p>\n");
        // The clusters folder is named after the 1-based epoch whose E-step wrote it (RunDirectory.ClustersOfEpoch: epoch-NNNN).
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(meta.LastClusters!));
        int? estepEpoch = folder.StartsWith("epoch-", StringComparison.Ordinal) && int.TryParse(folder["epoch-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var e) ? e : null;
        foreach (var level in clusters.Levels)
        {
            var file = $"prototypes-k{level.K}.png";
            progress?.Invoke($"drawing the largest clusters of level K = {level.K} ({file})");
            PrototypeGrid.Write(train, level.Assignments.data<long>().ToArray(), files.Add(file), seed, k: level.K, epoch: estepEpoch);
            sb.Append(HtmlReport.Figure($"K = {level.K}: the largest clusters of the last E-step", file));
        }
        sections.Add(("Prototypes", sb.ToString()));
    }

    /// <summary>config.json as a two-column table: what the data was, then every training option.</summary>
    private static string Settings(RunDirectory run)
    {
        if (!File.Exists(run.Config)) return "<p>The run folder has no config.json.</p>";
        JsonNode? config;
        try { config = JsonNode.Parse(File.ReadAllText(run.Config)); }
        catch (JsonException e) { return $"<p>config.json could not be read ({HtmlTable.Escape(e.Message)}).</p>"; }
        if (config is not JsonObject o) return "<p>config.json holds no JSON object.</p>";
        var flat = new JsonObject();
        foreach (var (key, value) in o) if (key != "options") flat[key] = value?.DeepClone();
        if (o["options"] is JsonObject options)
            foreach (var (key, value) in options) if (!flat.ContainsKey(key)) flat[key] = value?.DeepClone();
        return $"<p>Every setting of the run, resolved, as {HtmlTable.Escape(run.Config)} records it (nested settings are named with a dot).</p>\n" + HtmlTable.Settings(flat);
    }

    private static string F(double? v) => v is double d && !double.IsNaN(d) ? d.ToString("G4", CultureInfo.InvariantCulture) : "";

    private static string F3(double v) => double.IsNaN(v) ? "" : v.ToString("F3", CultureInfo.InvariantCulture);

    private static string Count(double v) => double.IsNaN(v) ? "" : v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double v) => double.IsNaN(v) ? "" : (100 * v).ToString("F1", CultureInfo.InvariantCulture);

    private static string MeanStd((double Mean, double Std) v) => double.IsNaN(v.Std) ? Percent(v.Mean) : $"{Percent(v.Mean)} ± {Percent(v.Std)}";

    /// <summary>
    /// The files one report writes, against those the last one wrote (<see cref="ManifestFile"/>): while the report runs
    /// the manifest lists both, so that a report stopped halfway still knows them; <see cref="Finish"/> removes the
    /// earlier report's pictures this one did not write and leaves the manifest listing this report's files alone.
    /// </summary>
    private sealed partial class ReportFiles
    {
        private readonly string _dir;
        private readonly List<string> _earlier;
        private readonly List<string> _written = [];

        public ReportFiles(string dir)
        {
            _dir = dir;
            _earlier = ReadEarlier(dir);
        }

        /// <summary>Records <paramref name="name"/> as written by this report and returns its path in the run folder.</summary>
        public string Add(string name)
        {
            if (!_written.Contains(name))
            {
                _written.Add(name);
                Save(_earlier.Union(_written).ToList());
            }
            return Path.Combine(_dir, name);
        }

        /// <summary>Removes the earlier report's pictures this one did not write; returns their names.</summary>
        public IReadOnlyList<string> Finish()
        {
            var removed = new List<string>();
            foreach (var name in _earlier.Except(_written))
            {
                var path = Path.Combine(_dir, name);
                if (!File.Exists(path)) continue;
                File.Delete(path);
                removed.Add(name);
            }
            Save(_written);
            return removed;
        }

        private void Save(List<string> names) => AtomicFile.WriteAllText(Path.Combine(_dir, ManifestFile), new JsonObject
        {
            ["written_by"] = "protocl report",
            ["about"] = "the files the last report wrote into this run folder; the next report removes the pictures among them that it does not draw again, and nothing else",
            ["files"] = new JsonArray(names.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
        }.ToJsonString(JsonDefaults.Indented));

        /// <summary>
        /// The pictures the last report wrote: as its manifest lists them, or, from a report older than the manifest, as its
        /// index.html links them. Only the names a report draws count (<see cref="DrawnName"/>, plain file names in the run
        /// folder): an edited manifest cannot have a report remove a checkpoint, a user's picture or a file elsewhere.
        /// </summary>
        private static List<string> ReadEarlier(string dir)
        {
            IEnumerable<string> names = [];
            var manifest = Path.Combine(dir, ManifestFile);
            var index = Path.Combine(dir, "index.html");
            if (File.Exists(manifest))
            {
                try
                {
                    if (JsonNode.Parse(File.ReadAllText(manifest))?["files"] is JsonArray files)
                        names = files.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").ToList();
                }
                catch (JsonException) { }
            }
            else if (File.Exists(index))
                names = ImageSource().Matches(File.ReadAllText(index)).Select(m => Uri.UnescapeDataString(System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))).ToList();
            return names.Where(n => DrawnName().IsMatch(n)).Distinct().ToList();
        }

        [GeneratedRegex("<img src=\"([^\"]+)\"")]
        private static partial Regex ImageSource();

        /// <summary>The pictures a report draws: curves, pca, tsne, neighbours, lowshot and a prototype grid per level (a
        /// report that draws a picture of another name must add it here for the next report to remove it).</summary>
        [GeneratedRegex(@"^(curves|pca|tsne|neighbours|lowshot|prototypes-k[0-9]+)\.png\z")]
        private static partial Regex DrawnName();
    }
}
