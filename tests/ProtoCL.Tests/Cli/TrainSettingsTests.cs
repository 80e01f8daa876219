using ProtoCL.Cli;
using ProtoCL.Cli.Commands;
using ProtoCL.Model;
using ProtoCL.Training;

namespace ProtoCL.Tests.Cli;

/// <summary>How <c>protocl train</c>'s flags land on the training options (no torch involved).</summary>
public class TrainSettingsTests
{
    [Fact]
    public void Should_KeepTheBaseline_When_NoFlagIsGiven()
    {
        var baseline = Presets.Small;
        var applied = new TrainSettings().Apply(baseline);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(baseline), System.Text.Json.JsonSerializer.Serialize(applied));
    }

    [Fact]
    public void Should_SetEachOption_When_ItsFlagIsGiven()
    {
        var o = new TrainSettings
        {
            Method = "moco", Epochs = 7, WarmupEpochs = 3, BatchSize = 64, Lr = 0.01, WeightDecay = 5e-4, Schedule = "step",
            Queue = 256, Temperature = 0.3, Symmetric = true, ProtoLogits = "paper", MocoMomentum = 0.9, Clusters = "10, 20", Arch = "resnet50",
            Width = 24, BnGroups = 2, Mlp = true, Aug = "v2", CropMin = 0.7, Precision = "bf16", Seed = 9, Threads = 1, Limit = 500,
        }.Apply(Presets.Small);

        Assert.Equal(Method.Moco, o.Method);
        Assert.Equal(7, o.Epochs);
        Assert.Equal(3, o.WarmupEpochs);
        Assert.Equal(64, o.BatchSize);
        Assert.Equal(0.01, o.LearningRate);
        Assert.Equal(5e-4, o.WeightDecay);
        Assert.Equal(LrSchedule.Step, o.Schedule);
        Assert.Equal(256, o.QueueSize);
        Assert.Equal(0.3, o.Temperature);
        Assert.True(o.Symmetric);
        Assert.Equal(PrototypeLogits.Paper, o.PrototypeLogits);
        Assert.Equal(0.9, o.EncoderMomentum);
        Assert.Equal([10, 20], o.Clusters);
        Assert.Equal(Architecture.ResNet50, o.Encoder.Arch);
        Assert.Equal(24, o.Encoder.Width);
        Assert.Equal(2, o.Encoder.BnGroups);
        Assert.True(o.Encoder.Mlp);
        Assert.Equal(ProtoCL.Augmentation.AugmentationPipeline.V2, o.Augmentation.Pipeline);
        Assert.Equal(0.7, o.Augmentation.CropScaleMin);
        Assert.Equal(Precision.Bf16, o.Precision);
        Assert.Equal(9, o.Seed);
        Assert.Equal(1, o.Threads);
        Assert.Equal(500, o.Limit);
    }

    [Theory]
    [InlineData("--method")]
    [InlineData("--schedule")]
    [InlineData("--arch")]
    [InlineData("--aug")]
    [InlineData("--precision")]
    [InlineData("--proto-logits")]
    public void Should_NameTheFlag_When_ItsValueIsUnknown(string flag)
    {
        var s = flag switch
        {
            "--method" => new TrainSettings { Method = "byol" },
            "--schedule" => new TrainSettings { Schedule = "linear" },
            "--arch" => new TrainSettings { Arch = "vgg" },
            "--aug" => new TrainSettings { Aug = "v3" },
            "--proto-logits" => new TrainSettings { ProtoLogits = "both" },
            _ => new TrainSettings { Precision = "fp16" },
        };
        var e = Assert.Throws<UserError>(() => s.Apply(Presets.Small));
        Assert.StartsWith(flag, e.Message);
    }

    // What each budget flag's help says the paper and small presets hold, against the presets themselves.
    public static TheoryData<string, Func<TrainingOptions, string>> HelpValues => new()
    {
        { nameof(BudgetSettings.Epochs), o => $"{o.Epochs}" },
        { nameof(BudgetSettings.WarmupEpochs), o => $"{o.WarmupEpochs}" },
        { nameof(BudgetSettings.BatchSize), o => $"{o.BatchSize}" },
        { nameof(BudgetSettings.Lr), o => o.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        { nameof(BudgetSettings.Schedule), o => o.Schedule == LrSchedule.Cosine ? "cosine" : "step" },
        { nameof(BudgetSettings.Queue), o => $"{o.QueueSize}" },
        { nameof(BudgetSettings.MocoMomentum), o => o.EncoderMomentum.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        { nameof(BudgetSettings.Clusters), o => string.Join(",", o.Clusters) },
        { nameof(BudgetSettings.Arch), o => o.Encoder.Arch == Architecture.ResNet18 ? "resnet18" : "resnet50" },
        { nameof(BudgetSettings.Width), o => $"{o.Encoder.Width}" },
        { nameof(BudgetSettings.CropMin), o => o.Augmentation.CropScaleMin.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    [Theory]
    [MemberData(nameof(HelpValues))]
    public void Should_StateThePresetsValues_When_ABudgetFlagsHelpNamesThem(string property, Func<TrainingOptions, string> value)
    {
        var help = typeof(BudgetSettings).GetProperty(property)!.GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), false)
            .Cast<System.ComponentModel.DescriptionAttribute>().Single().Description;
        string paper = value(Presets.Paper), small = value(Presets.Small);
        Assert.Contains(paper == small ? $"(paper and small: {paper}" : $"(paper: {paper}", help.Replace("paper: 64, torchvision's", "paper: 64"));
        if (paper != small) Assert.Contains($"small: {small})", help);
    }

    [Fact]
    public void Should_StateTheDemoPresetsEpochs_When_DemoHelpNamesThem()
    {
        var help = typeof(DemoSettings).GetProperty(nameof(DemoSettings.Epochs))!.GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), false)
            .Cast<System.ComponentModel.DescriptionAttribute>().Single().Description;
        Assert.Contains($"default {Presets.Demo.Epochs},", help);
        Assert.Contains($"its {Presets.Demo.WarmupEpochs} warm-up epochs", help);
    }
}
