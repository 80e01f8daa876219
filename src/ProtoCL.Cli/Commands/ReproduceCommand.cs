using System.ComponentModel;
using ProtoCL.Cli.Terminal;
using ProtoCL.Reproduction;
using ProtoCL.Training;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

/// <summary>Options of <c>protocl reproduce</c>: where data, runs and results live, and the one budget every learned row shares.</summary>
public sealed class ReproduceSettings : BudgetSettings
{
    [CommandArgument(0, "<WHAT>")] [Description("table1")] public string What { get; set; } = "";
    [CommandOption("--train-data <PATH>")] [Description("Training split (default: Debian's Fashion-MNIST train, 60,000 images).")] public string? TrainData { get; set; }
    [CommandOption("--test-data <PATH>")] [Description("Test split (default: Debian's Fashion-MNIST test, 10,000 images).")] public string? TestData { get; set; }
    [CommandOption("--runs <DIR>")] [Description("Where the runs go (default runs/table1).")] public string? Runs { get; set; }
    [CommandOption("--out <DIR>")] [Description("Where the results go (default results/table1).")] public string? Out { get; set; }
    [CommandOption("--methods <LIST>")] [Description("Comma-separated learned rows (default moco,pcl,simclr,pcl-simclr).")] public string? Methods { get; set; }
    [CommandOption("--preset <NAME>")] [Description("Budget baseline (default small; the budget flags' defaults are its values).")] public string Preset { get; set; } = "small";
    [CommandOption("--force")] [Description("Replace the Table 1 an --out folder already holds.")] public bool Force { get; set; }

    public override Spectre.Console.ValidationResult Validate() =>
        What == "table1" ? base.Validate() : Spectre.Console.ValidationResult.Error($"protocl reproduce knows table1 (got '{What}')");

    /// <summary>The shared budget: the preset with the budget flags that were given (its seed is also the evaluations' seed).</summary>
    public TrainingOptions Budget() => Apply(Presets.ByName(Preset));
}

/// <summary><c>protocl reproduce table1</c>: the paper's Table 1 structure on Fashion-MNIST with one shared budget.</summary>
public sealed class ReproduceCommand : Command<ReproduceSettings>
{
    public override int Execute(CommandContext context, ReproduceSettings s, CancellationToken cancellationToken)
    {
        var budget = s.Budget();
        TrainingOptionsValidator.ThrowIfInvalid(budget);
        var defaults = new Table1Options();
        var methods = s.Methods is null ? defaults.Methods : s.Methods.Split(',', StringSplitOptions.TrimEntries).Select(m => BudgetSettings.ParseMethod(m, "--methods")).ToArray();
        if (methods.Length == 0 || methods.Distinct().Count() != methods.Length)
            throw new UserError($"--methods must list distinct methods, such as moco,pcl (got '{s.Methods}')");
        var outDir = s.Out ?? defaults.OutDir;
        if (File.Exists(Path.Combine(outDir, "table1.md")) && !s.Force)
            throw new UserError($"{outDir} already holds a Table 1 (table1.md); pass --force to replace it, or --out another folder");
        var options = new Table1Options
        {
            TrainData = s.TrainData ?? defaults.TrainData,
            TestData = s.TestData ?? defaults.TestData,
            RunsDir = s.Runs ?? defaults.RunsDir,
            OutDir = outDir,
            Methods = methods,
            Budget = budget,
            Seed = budget.Seed,
            Command = "protocl " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
        };
        var result = ConsoleProgress.Run(o => Table1Reproduction.Run(options, o));
        foreach (var line in Table1Reproduction.Claims(result["methods"]!.AsObject())) Console.WriteLine(line);
        Console.WriteLine($"wrote {Path.Combine(options.OutDir, "table1.md")} and table1.json");
        return 0;
    }
}
