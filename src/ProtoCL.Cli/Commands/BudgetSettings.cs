using System.ComponentModel;
using ProtoCL.Augmentation;
using ProtoCL.Model;
using ProtoCL.Training;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

/// <summary>
/// The training-budget flags shared by <c>protocl train</c> and <c>protocl reproduce</c>: each one given replaces the
/// baseline's value (a preset, or on --resume the run's config.json); the ones not given keep it.
/// </summary>
public abstract class BudgetSettings : CommandSettings
{
    [CommandOption("--epochs <N>")] [Description("Total epochs (paper: 200; small: 20).")] public int? Epochs { get; set; }
    [CommandOption("--warmup-epochs <N>")] [Description("InfoNCE-only epochs before the first E-step (paper: 20; small: 2).")] public int? WarmupEpochs { get; set; }
    [CommandOption("--batch-size <N>")] [Description("Minibatch size (paper: 256; small: 128).")] public int? BatchSize { get; set; }
    [CommandOption("--lr <X>")] [Description("Initial learning rate (paper: 0.03; small: 0.06).")] public double? Lr { get; set; }
    [CommandOption("--weight-decay <WD>")] [Description("SGD weight decay (paper and small: 1e-4).")] public double? WeightDecay { get; set; }
    [CommandOption("--schedule <NAME>")] [Description("step (x0.1 at 60% and 80% of the epochs) or cosine (paper: step; small: cosine).")] public string? Schedule { get; set; }
    [CommandOption("--queue <R>")] [Description("Negative keys in the queue, r (paper: 16384; small: 4096).")] public int? Queue { get; set; }
    [CommandOption("--moco-momentum <M>")] [Description("Momentum encoder coefficient m (paper: 0.999; small: 0.99).")] public double? MocoMomentum { get; set; }
    [CommandOption("--symmetric")] [Description("MoCo and PCL: each view is the query once (MoCo's CIFAR demo, which adds the two losses; ProtoCL averages them); paper: one query view. SimCLR methods use both views already.")] public bool? Symmetric { get; set; }
    [CommandOption("--proto-logits <FORM>")] [Description("Prototype term's logits: reference (default; a column per batch sample's prototype, as salesforce/PCL) or paper (each prototype once, as the paper's equation).")] public string? ProtoLogits { get; set; }
    [CommandOption("--temperature <TAU>")] [Description("tau, also the mean of phi (paper and small: 0.2, PCL's command line).")] public double? Temperature { get; set; }
    [CommandOption("--clusters <K,K,...>")] [Description("Cluster counts per granularity (paper: 25000,50000,100000; small: 100,200,400).")] public string? Clusters { get; set; }
    [CommandOption("--arch <NAME>")] [Description("resnet18 or resnet50 (paper: resnet50; small: resnet18).")] public string? Arch { get; set; }
    [CommandOption("--width <N>")] [Description("Channels of the first ResNet stage (paper: 64, torchvision's; small: 16).")] public int? Width { get; set; }
    [CommandOption("--bn-groups <G>")] [Description("BatchNorm groups in training, the one-device shuffled BN (default 8; 1 = plain BN).")] public int? BnGroups { get; set; }
    [CommandOption("--view-bn <MODE>")] [Description("SimCLR methods: shuffled (default; the second view passes the BatchNorm slices in a random order, as MoCo shuffles its keys) or same (batch order: an image's two views share a slice, training revisions 1-4).")] public string? ViewBn { get; set; }
    [CommandOption("--mlp")] [Description("MLP projection head, as MoCo v2 / PCL v2 / SimCLR (paper and small: off, MoCo v1's linear head).")] public bool? Mlp { get; set; }
    [CommandOption("--aug <V>")] [Description("v1 (MoCo v1's augmentation) or v2 (adds blur, weaker jitter) (paper and small: v1).")] public string? Aug { get; set; }
    [CommandOption("--crop-min <S>")] [Description("Smallest random-crop area as a fraction of the image (paper: 0.2; small: 0.5).")] public double? CropMin { get; set; }
    [CommandOption("--precision <P>")] [Description("fp32 (default) or bf16 (needs AVX-512 BF16).")] public string? Precision { get; set; }
    [CommandOption("--limit <N>")] [Description("Use only the first N training images.")] public int? Limit { get; set; }
    [CommandOption("--seed <N>")] [Description("Seed of every random choice (default 0).")] public int? Seed { get; set; }
    [CommandOption("--threads <N>")] [Description("Intra-op threads (default: all cores).")] public int? Threads { get; set; }

    public override Spectre.Console.ValidationResult Validate() =>
        DataSettings.LimitError(Limit) is string error ? Spectre.Console.ValidationResult.Error(error) : base.Validate();

    /// <summary>Applies the budget flags that were given on top of <paramref name="baseline"/>.</summary>
    public virtual TrainingOptions Apply(TrainingOptions baseline)
    {
        var o = baseline;
        if (Epochs is int e) o = o with { Epochs = e };
        if (WarmupEpochs is int w) o = o with { WarmupEpochs = w };
        if (BatchSize is int b) o = o with { BatchSize = b };
        if (Lr is double lr) o = o with { LearningRate = lr };
        if (WeightDecay is double wdc) o = o with { WeightDecay = wdc };
        if (Schedule is not null) o = o with { Schedule = Schedule switch { "step" => LrSchedule.Step, "cosine" => LrSchedule.Cosine, _ => throw new UserError($"--schedule must be step or cosine (got '{Schedule}')") } };
        if (Queue is int q) o = o with { QueueSize = q };
        if (Temperature is double t) o = o with { Temperature = t };
        if (Symmetric is bool sym) o = o with { Symmetric = sym };
        if (ProtoLogits is not null) o = o with { PrototypeLogits = ProtoLogits switch { "reference" => PrototypeLogits.Reference, "paper" => PrototypeLogits.Paper, _ => throw new UserError($"--proto-logits must be reference or paper (got '{ProtoLogits}')") } };
        if (MocoMomentum is double mm) o = o with { EncoderMomentum = mm };
        if (Clusters is not null) o = o with { Clusters = ParseClusters(Clusters) };
        if (Arch is not null) o = o with { Encoder = o.Encoder with { Arch = Arch switch { "resnet18" => Architecture.ResNet18, "resnet50" => Architecture.ResNet50, _ => throw new UserError($"--arch must be resnet18 or resnet50 (got '{Arch}')") } } };
        if (Width is int wd) o = o with { Encoder = o.Encoder with { Width = wd } };
        if (BnGroups is int g) o = o with { Encoder = o.Encoder with { BnGroups = g } };
        if (ViewBn is not null) o = o with { ViewBatchNorm = ViewBn switch { "same" => ViewBatchNorm.Same, "shuffled" => ViewBatchNorm.Shuffled, _ => throw new UserError($"--view-bn must be same or shuffled (got '{ViewBn}')") } };
        if (Mlp is bool m) o = o with { Encoder = o.Encoder with { Mlp = m } };
        if (Aug is not null) o = o with { Augmentation = o.Augmentation with { Pipeline = Aug switch { "v1" => AugmentationPipeline.V1, "v2" => AugmentationPipeline.V2, _ => throw new UserError($"--aug must be v1 or v2 (got '{Aug}')") } } };
        if (CropMin is double cm) o = o with { Augmentation = o.Augmentation with { CropScaleMin = cm } };
        if (Precision is not null) o = o with { Precision = Precision switch { "fp32" => Training.Precision.Fp32, "bf16" => Training.Precision.Bf16, _ => throw new UserError($"--precision must be fp32 or bf16 (got '{Precision}')") } };
        if (Seed is int s) o = o with { Seed = s };
        if (Threads is int th) o = o with { Threads = th };
        if (Limit is int l) o = o with { Limit = l };
        return o;
    }

    public static Training.Method ParseMethod(string name) => ParseMethod(name, "--method");

    /// <summary>The method <paramref name="name"/> names; the error names <paramref name="option"/>.</summary>
    public static Training.Method ParseMethod(string name, string option) => name switch
    {
        "pcl" => Training.Method.Pcl,
        "moco" => Training.Method.Moco,
        "simclr" => Training.Method.Simclr,
        "pcl-simclr" => Training.Method.PclSimclr,
        _ => throw new UserError($"{option} must be pcl, moco, simclr or pcl-simclr (got '{name}')"),
    };

    public static int[] ParseClusters(string text) =>
        ParseIntegers(text) ?? throw new UserError($"--clusters must be a comma-separated list of integers such as 100,200,400 (got '{text}')");

    /// <summary>The integers of a comma-separated list ("100, 200,400"); null when an entry is empty or not an integer.</summary>
    public static int[]? ParseIntegers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out values[i])) return null;
        return values;
    }
}
