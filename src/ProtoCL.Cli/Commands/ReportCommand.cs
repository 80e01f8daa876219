using System.ComponentModel;
using System.Globalization;
using ProtoCL.Clustering;
using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.Reporting;
using ProtoCL.Training;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace ProtoCL.Cli.Commands;

public sealed class ReportSettings : CommandSettings
{
    [CommandOption("--run <DIR>")] [Description("Run folder to report on.")] public string Run { get; set; } = "";
    [CommandOption("--data <PATH>")] [Description("Labelled images for the embedding map (default: the embedded test split).")] public string? Data { get; set; }
    [CommandOption("--tsne")] [Description("Also draw a t-SNE map (2,000 points; slower).")] public bool Tsne { get; set; }
    [CommandOption("--seed <N>")] public int Seed { get; set; }

    public override Spectre.Console.ValidationResult Validate() =>
        Run.Length == 0 ? Spectre.Console.ValidationResult.Error("--run DIR is required") : base.Validate();
}

/// <summary><c>protocl report --run DIR</c>: curves, embedding map, prototype grid and an index.html with the numbers.</summary>
public sealed class ReportCommand : Command<ReportSettings>
{
    public override int Execute(CommandContext context, ReportSettings s, CancellationToken cancellationToken)
    {
        var run = new RunDirectory(s.Run);
        if (!run.HasCheckpoint) throw new UserError($"{run.Path} holds no checkpoint.pcl; train first");
        var meta = Checkpoint.ReadMeta(run.Checkpoint);
        var images = new List<(string, string)>();
        var sections = new List<(string, string)>();
        var metrics = MetricsLog.Read(run.Metrics);
        CurvePlot.Write(metrics, Path.Combine(run.Path, "curves.png"));
        images.Add(("loss and accuracy per epoch", "curves.png"));
        sections.Add(("Epochs", HtmlTable.From(["epoch", "loss", "instance", "proto", "acc instance", "acc proto", "lr", "img/s", "train s", "E-step s"],
            metrics.Select(m => new[] { m.Epoch.ToString(CultureInfo.InvariantCulture), F(m.Loss), F(m.LossInstance), F(m.LossProto), F(m.AccInstance), F(m.AccProto), F(m.Lr), F(m.ImagesPerSecond), F(m.SecondsTrain), F(m.SecondsEstep) }))));
        sections.Add(("Settings", "<pre>" + HtmlTable.Escape(File.Exists(run.Config) ? File.ReadAllText(run.Config) : "") + "</pre>"));

        using var data = DataSettings.Load(s.Data, new DataLoadOptions { Limit = 5000 });
        if (data.Labels is not null && data.Channels == meta.Channels)
        {
            using var features = FeatureSource.Extract(run.Path, data, s.Seed);
            EmbeddingMap.WritePng(EmbeddingMap.Pca2D(features), data.Labels, data.ClassNames, "backbone features, PCA", Path.Combine(run.Path, "pca.png"));
            images.Add(("PCA of the backbone features, coloured by label", "pca.png"));
            if (s.Tsne)
            {
                var tsne = EmbeddingMap.Tsne2D(features, s.Seed);
                EmbeddingMap.WritePng(tsne.Xy, tsne.Select(data.Labels), data.ClassNames, "backbone features, t-SNE", Path.Combine(run.Path, "tsne.png"));
                images.Add(("t-SNE of the backbone features", "tsne.png"));
            }
        }
        if (meta.LastClusters is not null && meta.Source.Length > 0)
        {
            using var clusters = ClusterResult.Load(Path.Combine(run.Path, meta.LastClusters));
            using var train = DataSettings.Load(meta.Source.StartsWith("embedded", StringComparison.Ordinal) ? null : meta.Source, new DataLoadOptions { Limit = meta.ImageCount });
            foreach (var level in clusters.Levels)
            {
                var file = $"prototypes-k{level.K}.png";
                PrototypeGrid.Write(train, level.Assignments.data<long>().ToArray(), Path.Combine(run.Path, file), s.Seed);
                images.Add(($"largest clusters of the level K = {level.K} (last E-step)", file));
            }
        }
        var index = HtmlReport.Write(run.Path, $"ProtoCL run {Path.GetFileName(run.Path)}", sections, images);
        Console.WriteLine($"wrote {index}");
        return 0;
    }

    private static string F(double? v) => v is double d ? d.ToString("G4", CultureInfo.InvariantCulture) : "";
}
