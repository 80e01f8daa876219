using System.ComponentModel;
using System.Globalization;
using ProtoCL.Cli.Terminal;
using ProtoCL.Clustering;
using ProtoCL.Training;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

public sealed class AssignSettings : DataSettings
{
    [CommandOption("--checkpoint <DIR>")] [Description("Run folder of a PCL or PCL-SimCLR run. Required.")] public string Checkpoint { get; set; } = "";
    [CommandOption("--csv <FILE>")] [Description("Output CSV: index, file, label, then each level's prototype and cosine. Required.")] public string Csv { get; set; } = "";
    [CommandOption("--epoch <N>")] [Description("Use the E-step that started epoch N (default: the run's last). The images are embedded by the run's final encoder (the checkpoint keeps only that one), not the encoder that epoch's E-step clustered.")] public int? Epoch { get; set; }
    [CommandOption("--force")] [Description("Replace an existing --csv file.")] public bool Force { get; set; }

    public override Spectre.Console.ValidationResult Validate()
    {
        if (Checkpoint.Length == 0) return Spectre.Console.ValidationResult.Error("--checkpoint DIR is required (a PCL or PCL-SimCLR run folder)");
        if (Csv.Length == 0) return Spectre.Console.ValidationResult.Error("--csv FILE is required");
        if (Epoch is < 1) return Spectre.Console.ValidationResult.Error($"--epoch must be at least 1 (got {Epoch})");
        return base.Validate();
    }
}

/// <summary><c>protocl assign</c>: which learned prototype each image of a dataset falls under, at every level, as CSV.</summary>
public sealed class AssignCommand : Command<AssignSettings>
{
    public override int Execute(CommandContext context, AssignSettings s, CancellationToken cancellationToken)
    {
        OutputFile.ThrowIfTaken(s.Force, s.Csv);
        using var data = s.LoadFor(s.Checkpoint);
        var (levels, folder, isLast) = ConsoleProgress.Run(o => RunPrototypes.Assign(s.Checkpoint, data, s.Epoch, (d, t) => o.Progress("embedding", d, t)));
        AssignmentTable.Write(s.Csv, data, levels);
        Console.WriteLine($"prototypes of {folder}");
        if (!isLast)
            Console.Error.WriteLine("note: these prototypes are older than the run's last E-step, and the images were embedded by the run's final encoder, so expect fewer images near their prototypes than the E-step saw");
        for (int m = 0; m < levels.Length; m++) Console.WriteLine(Summary(m, levels[m]));
        Console.WriteLine($"wrote {s.Csv}: {data.Count} images");
        return 0;
    }

    /// <summary>One line per level: how many prototypes received images, the largest and smallest share, the median cosine.</summary>
    private static string Summary(int m, LevelAssignment level)
    {
        var sizes = level.Prototype.GroupBy(p => p).Select(g => g.Count()).OrderDescending().ToArray();
        var cos = level.Cosine.Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"level {m} (K = {level.K}): {sizes.Length} prototypes hold images, largest {sizes[0]}, smallest {sizes[^1]}; median cosine {cos[cos.Length / 2]:F3}");
    }
}
