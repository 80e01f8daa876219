using System.ComponentModel;
using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.Reporting;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

public sealed class ReportSettings : CommandSettings
{
    [CommandOption("--run <DIR>")] [Description("Run folder to report on; the pictures and index.html are written into it. Required.")] public string Run { get; set; } = "";
    [CommandOption("--data <PATH>")] [Description("Labelled images for the embedding map and the nearest-neighbour picture (default: the images the run trained on, read as it read them; their numbers are then marked as training-set ones; the first 5,000 images are used).")] public string? Data { get; set; }
    [CommandOption("--image-size <S>")] [Description(DataSettings.ImageSizeHelp)] public int? ImageSize { get; set; }
    [CommandOption("--eval <FILE>")] [Description("A JSON written by 'protocl eval' to show (repeat for several; low-shot ones are also plotted).")] public string[] Eval { get; set; } = [];
    [CommandOption("--neighbours <N>")] [Description("Nearest images shown per query image (default 8).")] public int Neighbours { get; set; } = 8;
    [CommandOption("--tsne")] [Description("Also draw a t-SNE map (2,000 points; slower).")] public bool Tsne { get; set; }
    [CommandOption("--seed <N>")] [Description("Seed of the images shown and of t-SNE (default 0).")] public int Seed { get; set; }
    [CommandOption("--exif-orientation")] [Description(DataSettings.ExifOrientationHelp)] public bool ExifOrientation { get; set; }
    [CommandOption("--on-bad-image <POLICY>")] [Description(DataSettings.PolicyHelp)] public string? OnBadImage { get; set; }

    public override Spectre.Console.ValidationResult Validate()
    {
        if (Run.Length == 0) return Spectre.Console.ValidationResult.Error("--run DIR is required");
        if (File.Exists(Run))                                             // before any image is read
            return Spectre.Console.ValidationResult.Error(RunReport.FileGivenAsRun(Run));
        if ((DataSettings.ImageSizeError(ImageSize) ?? DataSettings.PolicyError(OnBadImage)) is string error) return Spectre.Console.ValidationResult.Error(error);
        if (Neighbours < 1) return Spectre.Console.ValidationResult.Error($"--neighbours must be at least 1 (got {Neighbours})");
        return base.Validate();
    }
}

/// <summary><c>protocl report --run DIR</c>: curves, evaluations, embedding map, neighbours, prototype grids and an index.html (<see cref="RunReport"/>).</summary>
public sealed class ReportCommand : Command<ReportSettings>
{
    /// <summary>Images of --data used for the map and the neighbour picture.</summary>
    public const int MapImages = 5000;

    public override int Execute(CommandContext context, ReportSettings s, CancellationToken cancellationToken)
    {
        var (path, missing) = MapData(s);
        using var data = missing is null
            ? DataSettings.LoadFor(s.Run, path, new DataLoadOptions { Limit = MapImages, ImageSize = s.ImageSize, ApplyExifOrientation = s.ExifOrientation }, s.OnBadImage)
            : null;
        var options = new RunReportOptions { Tsne = s.Tsne, Seed = s.Seed, Evaluations = s.Eval, Neighbours = s.Neighbours, NoImagesReason = missing };
        var index = RunReport.Write(s.Run, data, options, line => Console.Error.WriteLine(line));
        Console.WriteLine($"wrote {index}");
        return 0;
    }

    /// <summary>
    /// The images of the map and the neighbour picture: --data; without it, the images the run trained on, from the path
    /// it recorded (the embedded set for a run trained on it, or for a folder that holds no run), as embed, assign and
    /// neighbours read them. When that path is gone, no images and why (the rest of the report does not need them).
    /// </summary>
    private static (string? Path, string? Missing) MapData(ReportSettings s)
    {
        string? path = s.Data;
        if (path is null && EvaluationRunner.TrainedCheckpoint(s.Run) is { } run)
        {
            if (DataSettings.TrainingImagesMissing(run) is string missing)
            {
                Console.Error.WriteLine($"note: the map and the neighbour picture are left out: {missing}");
                return (null, missing);
            }
            path = DatasetLoader.PathOf(run.Source);
            Console.Error.WriteLine($"note: no --data: reading up to {MapImages:N0} of the images the run trained on, from {run.Source}, for the nearest-neighbour picture and the feature map");
            return (path, null);
        }
        Console.Error.WriteLine($"reading up to {MapImages:N0} images of {path ?? DatasetLoader.EmbeddedPath + " (the embedded Fashion-MNIST test split)"} for the nearest-neighbour picture and the feature map");
        return (path, null);
    }
}
