using System.ComponentModel;
using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.Training;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

/// <summary>Where images come from; shared by every command that reads a dataset.</summary>
public class DataSettings : CommandSettings
{
    [CommandOption("--data <PATH>")]
    [Description("IDX file (.gz or raw), image folder, CIFAR-10 batch file/folder, or 'embedded'. Default: given a run's checkpoint, the images it trained on (read as it read them); otherwise the embedded Fashion-MNIST test split.")]
    public string? Data { get; set; }

    [CommandOption("--limit <N>")]
    [Description("Use only the first N images.")]
    public int? Limit { get; set; }

    [CommandOption("--image-size <S>")]
    [Description(ImageSizeHelp)]
    public int? ImageSize { get; set; }

    /// <summary>The help of every command's --image-size but train's.</summary>
    public const string ImageSizeHelp = "Image folders: load each image as its centred square resized to S x S (default: the size the checkpoint's run loaded its folder at, if a checkpoint is given and recorded one; else the first image's).";

    [CommandOption("--exif-orientation")]
    [Description(ExifOrientationHelp)]
    public bool ExifOrientation { get; set; }

    /// <summary>The help of every command's --exif-orientation but train's.</summary>
    public const string ExifOrientationHelp = "Image folders: turn each photo upright by its EXIF orientation tag (default: as the checkpoint's run read its folder, for a command given a checkpoint; else off).";

    [CommandOption("--on-bad-image <POLICY>")]
    [Description(PolicyHelp)]
    public string? OnBadImage { get; set; }

    /// <summary>The help of every command's --on-bad-image but train's.</summary>
    public const string PolicyHelp = "fail (stop and name the file) or skip (count and warn). Default: skip for the images a checkpoint's run was trained on when it skipped some of them (a command given a checkpoint), else fail.";

    public override Spectre.Console.ValidationResult Validate()
    {
        if ((LimitError(Limit) ?? ImageSizeError(ImageSize) ?? PolicyError(OnBadImage)) is string error) return Spectre.Console.ValidationResult.Error(error);
        return base.Validate();
    }

    public DataLoadOptions LoadOptions => new()
    {
        Limit = Limit,
        ImageSize = ImageSize,
        ApplyExifOrientation = ExifOrientation,
        BadImagePolicy = Policy(OnBadImage),
    };

    /// <summary>
    /// Loads --data for use with <paramref name="checkpoint"/> (<see cref="LoadFor(string, string?, DataLoadOptions, string?)"/>);
    /// without --data, a trained run's own images (the first ones it trained on, from the path it recorded), and for raw
    /// and random the embedded set.
    /// </summary>
    public ImageDataset LoadFor(string checkpoint)
    {
        if (Data is not null || EvaluationRunner.TrainedCheckpoint(checkpoint) is not { } run)
            return LoadFor(checkpoint, Data, LoadOptions, OnBadImage);
        var path = DatasetLoader.PathOf(run.Source);
        if (TrainingImagesMissing(run) is string missing) throw new UserError(missing);
        Console.Error.WriteLine($"note: no --data: reading the {run.ImageCount:N0} images the run trained on from {run.Source}");
        return LoadFor(checkpoint, path, LoadOptions with { Limit = Limit ?? run.ImageCount }, OnBadImage);
    }

    /// <summary>What is said when a command without --data would read the images <paramref name="run"/> trained on and
    /// they are no longer at the path it recorded; null when they are there (or are the embedded set).</summary>
    public static string? TrainingImagesMissing(CheckpointMeta run)
    {
        var path = DatasetLoader.PathOf(run.Source);
        return path == DatasetLoader.EmbeddedPath || File.Exists(path) || Directory.Exists(path) ? null
            : $"no --data, and the images the run trained on ({run.Source}) are not found; pass --data with their path or with other images";
    }

    /// <summary>The message for a --limit below 1; null when it is unset or at least 1.</summary>
    public static string? LimitError(int? limit) => limit is < 1 ? $"--limit must be at least 1 (got {limit})" : null;

    /// <summary>The message for an --image-size outside 8..4096 pixels; null when it is unset or inside.</summary>
    public static string? ImageSizeError(int? size) =>
        size is null or (>= 8 and <= 4096) ? null : $"--image-size must be between 8 and 4096 pixels (got {size})";

    /// <summary>The message for an --on-bad-image value that is neither fail nor skip; null when it is one of them.</summary>
    public static string? PolicyError(string? value) =>
        value is null or "fail" or "skip" ? null : $"--on-bad-image must be fail or skip (got '{value}')";

    /// <summary>The policy an accepted --on-bad-image value names (fail when none was given).</summary>
    public static BadImagePolicy Policy(string? value) => value == "skip" ? BadImagePolicy.Skip : BadImagePolicy.Fail;

    /// <summary>
    /// Loads <paramref name="path"/> for use with <paramref name="checkpoint"/>: an image folder read without a size of its
    /// own (--image-size) is read at the size the checkpoint's run loaded its images at, so its images match the encoder's,
    /// and turned upright by EXIF orientation when the run's were; without an --on-bad-image of its own
    /// (<paramref name="onBadImage"/> null), the images the run was trained on are read as the run read them
    /// (<see cref="PolicyFor"/>).
    /// </summary>
    public static ImageDataset LoadFor(string checkpoint, string? path, DataLoadOptions options, string? onBadImage)
    {
        var meta = FeatureSource.MetaOf(checkpoint);
        bool folder = path is not null && DatasetLoader.IsImageFolder(path);
        if (options.ImageSize is null && folder && meta?.Options.LoadSize is int side)
            options = options with { ImageSize = side };
        if (folder && meta is { Options.ExifOrientation: true })
            options = options with { ApplyExifOrientation = true };
        return Load(path, options with { BadImagePolicy = PolicyFor(meta, path, onBadImage) });
    }

    /// <summary>
    /// The policy for reading <paramref name="path"/>: the one given; else skip where <paramref name="path"/> holds the
    /// images of a run that left unreadable files out of them (said in a note), so that every command reads them as
    /// training did; else fail.
    /// </summary>
    public static BadImagePolicy PolicyFor(CheckpointMeta? run, string? path, string? given)
    {
        if (given is not null) return Policy(given);
        if (run is not { SkippedImages: > 0 } || path is null || !DatasetLoader.SameSource(path, run.Source)) return BadImagePolicy.Fail;
        Console.Error.WriteLine($"note: the run left out {run.SkippedImages} unreadable image(s) of {path} (--on-bad-image skip); reading it the same way");
        return BadImagePolicy.Skip;
    }


    /// <summary>Loads <paramref name="path"/> (or the embedded set when null or "embedded").</summary>
    public static ImageDataset Load(string? path, DataLoadOptions options)
    {
        path ??= DatasetLoader.EmbeddedPath;
        var data = DatasetLoader.IsImageFolder(path) // decoding a folder of photos can take minutes: show it
            ? Terminal.ConsoleProgress.Run(o => DatasetLoader.Load(path, options with { Progress = (done, total) => o.Progress("reading images", done, total) }))
            : DatasetLoader.Load(path, options);
        if (data.SkippedCount > 0) Console.Error.WriteLine($"warning: skipped {data.SkippedCount} unreadable image(s) in {path}");
        return data;
    }
}
