using System.ComponentModel;
using ProtoCL.Data;
using ProtoCL.Evaluation;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

/// <summary>Where images come from; shared by every command that reads a dataset.</summary>
public class DataSettings : CommandSettings
{
    [CommandOption("--data <PATH>")]
    [Description("IDX file (.gz or raw), image folder, CIFAR-10 batch file/folder, or 'embedded' (default: the embedded Fashion-MNIST test split).")]
    public string? Data { get; set; }

    [CommandOption("--limit <N>")]
    [Description("Use only the first N images.")]
    public int? Limit { get; set; }

    [CommandOption("--image-size <S>")]
    [Description(ImageSizeHelp)]
    public int? ImageSize { get; set; }

    /// <summary>The help of every command's --image-size but train's.</summary>
    public const string ImageSizeHelp = "Image folders: load each image as its centred square resized to S x S (default: the size the checkpoint's run loaded its folder at, if a checkpoint is given and recorded one; else the first image's).";

    [CommandOption("--on-bad-image <POLICY>")]
    [Description("fail (default: stop and name the file) or skip (count and warn).")]
    public string OnBadImage { get; set; } = "fail";

    public override Spectre.Console.ValidationResult Validate()
    {
        if ((LimitError(Limit) ?? ImageSizeError(ImageSize) ?? PolicyError(OnBadImage)) is string error) return Spectre.Console.ValidationResult.Error(error);
        return base.Validate();
    }

    public DataLoadOptions LoadOptions => new()
    {
        Limit = Limit,
        ImageSize = ImageSize,
        BadImagePolicy = Policy(OnBadImage),
    };

    /// <summary>The message for a --limit below 1; null when it is unset or at least 1.</summary>
    public static string? LimitError(int? limit) => limit is < 1 ? $"--limit must be at least 1 (got {limit})" : null;

    /// <summary>The message for an --image-size outside 8..4096 pixels; null when it is unset or inside.</summary>
    public static string? ImageSizeError(int? size) =>
        size is null or (>= 8 and <= 4096) ? null : $"--image-size must be between 8 and 4096 pixels (got {size})";

    /// <summary>The message for an --on-bad-image value that is neither fail nor skip; null when it is one of them.</summary>
    public static string? PolicyError(string value) =>
        value is "fail" or "skip" ? null : $"--on-bad-image must be fail or skip (got '{value}')";

    /// <summary>The policy an accepted --on-bad-image value names.</summary>
    public static BadImagePolicy Policy(string value) => value == "skip" ? BadImagePolicy.Skip : BadImagePolicy.Fail;

    /// <summary>
    /// Loads <paramref name="path"/> for use with <paramref name="checkpoint"/>: an image folder read without a size of its
    /// own (--image-size) is read at the size the checkpoint's run loaded its images at, so its images match the encoder's.
    /// </summary>
    public static ImageDataset LoadFor(string checkpoint, string? path, DataLoadOptions options)
    {
        if (options.ImageSize is null && path is not null && FeatureSource.LoadSizeOf(checkpoint) is int side && DatasetLoader.IsImageFolder(path))
            options = options with { ImageSize = side };
        return Load(path, options);
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
