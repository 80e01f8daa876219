using System.ComponentModel;
using ProtoCL.Cli.Terminal;
using ProtoCL.Reproduction;
using ProtoCL.Training;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

public sealed class ReproduceSettings : CommandSettings
{
    [CommandArgument(0, "<WHAT>")] [Description("table1")] public string What { get; set; } = "";
    [CommandOption("--train-data <PATH>")] [Description("Training split (default: Debian's Fashion-MNIST train, 60,000 images).")] public string? TrainData { get; set; }
    [CommandOption("--test-data <PATH>")] [Description("Test split (default: Debian's Fashion-MNIST test, 10,000 images).")] public string? TestData { get; set; }
    [CommandOption("--runs <DIR>")] [Description("Where the runs go (default runs/table1).")] public string? Runs { get; set; }
    [CommandOption("--out <DIR>")] [Description("Where the results go (default results/table1).")] public string? Out { get; set; }
    [CommandOption("--methods <LIST>")] [Description("Comma-separated learned rows (default moco,pcl,simclr,pcl-simclr).")] public string? Methods { get; set; }
    [CommandOption("--preset <NAME>")] [Description("Budget baseline (default small).")] public string Preset { get; set; } = "small";
    [CommandOption("--epochs <N>")] public int? Epochs { get; set; }
    [CommandOption("--warmup-epochs <N>")] public int? WarmupEpochs { get; set; }
    [CommandOption("--batch-size <N>")] public int? BatchSize { get; set; }
    [CommandOption("--lr <X>")] public double? Lr { get; set; }
    [CommandOption("--queue <R>")] public int? Queue { get; set; }
    [CommandOption("--clusters <K,K,...>")] public string? Clusters { get; set; }
    [CommandOption("--width <N>")] public int? Width { get; set; }
    [CommandOption("--arch <NAME>")] public string? Arch { get; set; }
    [CommandOption("--temperature <TAU>")] public double? Temperature { get; set; }
    [CommandOption("--weight-decay <WD>")] [Description("SGD weight decay (paper: 1e-4).")] public double? WeightDecay { get; set; }
    [CommandOption("--bn-groups <G>")] [Description("BatchNorm groups in training (default 8; 1 = plain BN).")] public int? BnGroups { get; set; }
    [CommandOption("--mlp")] [Description("MLP projection head (v2).")] public bool? Mlp { get; set; }
    [CommandOption("--symmetric")] [Description("Each view is the query once (MoCo's CIFAR demo); paper: one query view.")] public bool? Symmetric { get; set; }
    [CommandOption("--moco-momentum <M>")] [Description("Momentum encoder coefficient m (paper: 0.999; small preset: 0.99).")] public double? MocoMomentum { get; set; }
    [CommandOption("--aug <V>")] [Description("v1 or v2 augmentation.")] public string? Aug { get; set; }
    [CommandOption("--crop-min <S>")] [Description("Smallest random-crop area as a fraction of the image (paper: 0.2).")] public double? CropMin { get; set; }
    [CommandOption("--precision <P>")] [Description("fp32 (default) or bf16 (needs AVX-512 BF16).")] public string? Precision { get; set; }
    [CommandOption("--limit <N>")] [Description("Use the first N training images.")] public int? Limit { get; set; }
    [CommandOption("--threads <N>")] public int? Threads { get; set; }
    [CommandOption("--seed <N>")] public int Seed { get; set; }

    public override Spectre.Console.ValidationResult Validate() =>
        What == "table1" ? base.Validate() : Spectre.Console.ValidationResult.Error($"protocl reproduce knows table1 (got '{What}')");
}

/// <summary><c>protocl reproduce table1</c>: the paper's Table 1 structure on Fashion-MNIST with one shared budget.</summary>
public sealed class ReproduceCommand : Command<ReproduceSettings>
{
    public override int Execute(CommandContext context, ReproduceSettings s, CancellationToken cancellationToken)
    {
        var budget = new TrainSettings
        {
            Epochs = s.Epochs, WarmupEpochs = s.WarmupEpochs, BatchSize = s.BatchSize, Lr = s.Lr, Queue = s.Queue, Clusters = s.Clusters,
            Width = s.Width, Arch = s.Arch, WeightDecay = s.WeightDecay, BnGroups = s.BnGroups, Temperature = s.Temperature, Mlp = s.Mlp, Symmetric = s.Symmetric, MocoMomentum = s.MocoMomentum, Aug = s.Aug, CropMin = s.CropMin, Precision = s.Precision, Limit = s.Limit, Threads = s.Threads, Seed = s.Seed,
        }.Apply(Presets.ByName(s.Preset));
        TrainingOptionsValidator.ThrowIfInvalid(budget);
        var defaults = new Table1Options();
        var options = new Table1Options
        {
            TrainData = s.TrainData ?? defaults.TrainData,
            TestData = s.TestData ?? defaults.TestData,
            RunsDir = s.Runs ?? defaults.RunsDir,
            OutDir = s.Out ?? defaults.OutDir,
            Methods = s.Methods is null ? defaults.Methods : s.Methods.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(TrainSettings.ParseMethod).ToArray(),
            Budget = budget,
            Seed = s.Seed,
            Command = "protocl " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
        };
        var result = ConsoleProgress.Run(o => Table1Reproduction.Run(options, o));
        foreach (var line in Table1Reproduction.Claims(result["methods"]!.AsObject())) Console.WriteLine(line);
        Console.WriteLine($"wrote {Path.Combine(options.OutDir, "table1.md")} and table1.json");
        return 0;
    }
}
