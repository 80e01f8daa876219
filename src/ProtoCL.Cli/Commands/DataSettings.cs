using System.ComponentModel;
using ProtoCL.Data;
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

    [CommandOption("--on-bad-image <POLICY>")]
    [Description("fail (default: stop and name the file) or skip (count and warn).")]
    public string OnBadImage { get; set; } = "fail";

    public override Spectre.Console.ValidationResult Validate()
    {
        if ((LimitError(Limit) ?? PolicyError(OnBadImage)) is string error) return Spectre.Console.ValidationResult.Error(error);
        return base.Validate();
    }

    public DataLoadOptions LoadOptions => new()
    {
        Limit = Limit,
        BadImagePolicy = Policy(OnBadImage),
    };

    /// <summary>The message for a --limit below 1; null when it is unset or at least 1.</summary>
    public static string? LimitError(int? limit) => limit is < 1 ? $"--limit must be at least 1 (got {limit})" : null;

    /// <summary>The message for an --on-bad-image value that is neither fail nor skip; null when it is one of them.</summary>
    public static string? PolicyError(string value) =>
        value is "fail" or "skip" ? null : $"--on-bad-image must be fail or skip (got '{value}')";

    /// <summary>The policy an accepted --on-bad-image value names.</summary>
    public static BadImagePolicy Policy(string value) => value == "skip" ? BadImagePolicy.Skip : BadImagePolicy.Fail;

    /// <summary>Loads <paramref name="path"/> (or the embedded set when null or "embedded").</summary>
    public static ImageDataset Load(string? path, DataLoadOptions options)
    {
        var data = path is null || path == "embedded" ? DatasetLoader.LoadEmbedded(options.Limit) : DatasetLoader.Load(path, options);
        if (data.SkippedCount > 0) Console.Error.WriteLine($"warning: skipped {data.SkippedCount} unreadable image(s) in {path}");
        return data;
    }
}
