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
        if (Limit is < 1) return Spectre.Console.ValidationResult.Error($"--limit must be at least 1 (got {Limit})");
        if (OnBadImage is not ("fail" or "skip")) return Spectre.Console.ValidationResult.Error($"--on-bad-image must be fail or skip (got '{OnBadImage}')");
        return base.Validate();
    }

    public DataLoadOptions LoadOptions => new()
    {
        Limit = Limit,
        BadImagePolicy = OnBadImage == "skip" ? BadImagePolicy.Skip : BadImagePolicy.Fail,
    };

    /// <summary>Loads <paramref name="path"/> (or the embedded set when null or "embedded").</summary>
    public static ImageDataset Load(string? path, DataLoadOptions options)
    {
        var data = path is null || path == "embedded" ? DatasetLoader.LoadEmbedded(options.Limit) : DatasetLoader.Load(path, options);
        if (data.SkippedCount > 0) Console.Error.WriteLine($"warning: skipped {data.SkippedCount} unreadable image(s) in {path}");
        return data;
    }
}
