using System.ComponentModel;
using ProtoCL.Data;
using ProtoCL.Training;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

/// <summary>Options of <c>protocl train</c>. Unset options come from --preset (default: the paper's values), or on --resume from the run's config.json.</summary>
public sealed class TrainSettings : BudgetSettings
{
    [CommandOption("--data <PATH>")]
    [Description("IDX file (.gz or raw), image folder, CIFAR-10 batch file/folder, or 'embedded' (default: the embedded Fashion-MNIST test split).")]
    public string? Data { get; set; }

    [CommandOption("--on-bad-image <POLICY>")]
    [Description("fail (stop and name the file) or skip (count and warn; recorded with the run, so --resume and later commands read its images the same way). Default: fail, or on --resume what the run used.")]
    public string? OnBadImage { get; set; }

    [CommandOption("--image-size <S>")]
    [Description("Image folders: load each image as its centred square resized to S x S (e.g. 64 or 224 for photos; default: the first image's size). Recorded in the run, so later commands read folders the same way.")]
    public int? ImageSize { get; set; }

    [CommandOption("--exif-orientation")]
    [Description("Image folders: turn each photo upright by its EXIF orientation tag before cropping (off by default, as PIL and torchvision read images). Recorded in the run, so later commands read folders the same way.")]
    public bool ExifOrientation { get; set; }

    [CommandOption("--out <DIR>")]
    [Description("Run folder: config.json, metrics.jsonl, checkpoint.pcl, clusters/. Default: runs/<time>.")]
    public string? Out { get; set; }

    [CommandOption("--preset <NAME>")]
    [Description("paper (default: the paper's ImageNet values), small (Fashion-MNIST-sized data on a CPU), demo.")]
    public string? Preset { get; set; }

    [CommandOption("--method <NAME>")] [Description("pcl (default), moco, simclr, pcl-simclr.")] public string? Method { get; set; }
    [CommandOption("--resume")] [Description("Continue the run in --out from its checkpoint.")] public bool Resume { get; set; }
    [CommandOption("--force")] [Description("Start a new run in an --out that already holds one (its files are replaced).")] public bool Force { get; set; }

    public override Spectre.Console.ValidationResult Validate()
    {
        if (Resume && Force) return Spectre.Console.ValidationResult.Error("--resume and --force exclude each other");
        if (Resume && Out is null) return Spectre.Console.ValidationResult.Error("--resume needs --out DIR (the run to continue)");
        if ((DataSettings.ImageSizeError(ImageSize) ?? DataSettings.PolicyError(OnBadImage)) is string error) return Spectre.Console.ValidationResult.Error(error);
        return base.Validate();
    }


    /// <summary>Applies the method and the budget flags that were given on top of <paramref name="baseline"/>.</summary>
    public override TrainingOptions Apply(TrainingOptions baseline)
    {
        var o = base.Apply(baseline);
        if (ImageSize is int side) o = o with { LoadSize = side };
        if (ExifOrientation) o = o with { ExifOrientation = true };
        return Method is null ? o : o with { Method = ParseMethod(Method) };
    }
}
