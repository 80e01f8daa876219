using ProtoCL.Cli.Commands;
using ProtoCL.Training;

namespace ProtoCL.Tests.Cli;

/// <summary>How <c>protocl reproduce</c>'s budget flags land on the shared budget (no torch involved).</summary>
public class ReproduceSettingsTests
{
    [Fact]
    public void Should_BeTheSmallPreset_When_NoBudgetFlagIsGiven()
    {
        var budget = new ReproduceSettings { What = "table1" }.Budget();
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(Presets.Small), System.Text.Json.JsonSerializer.Serialize(budget));
        Assert.Equal(0, budget.Seed);
    }

    [Fact]
    public void Should_ChangeOnlyTheGivenSettings_When_BudgetFlagsAreGiven()
    {
        var budget = new ReproduceSettings
        {
            What = "table1", Epochs = 8, WarmupEpochs = 1, Schedule = "step", MocoMomentum = 0.999, CropMin = 0.5, BnGroups = 4,
            Clusters = "10,20,40", Seed = 3, Limit = 2000,
        }.Budget();
        var expected = Presets.Small with
        {
            Epochs = 8, WarmupEpochs = 1, Schedule = LrSchedule.Step, EncoderMomentum = 0.999, Clusters = [10, 20, 40], Seed = 3, Limit = 2000,
            Augmentation = Presets.Small.Augmentation with { CropScaleMin = 0.5 },
            Encoder = Presets.Small.Encoder with { BnGroups = 4 },
        };
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected), System.Text.Json.JsonSerializer.Serialize(budget));
    }

    [Fact]
    public void Should_StartFromTheNamedPreset_When_PresetIsGiven()
    {
        var budget = new ReproduceSettings { What = "table1", Preset = "demo", Epochs = 3 }.Budget();
        Assert.Equal(3, budget.Epochs);
        Assert.Equal(Presets.Demo.WarmupEpochs, budget.WarmupEpochs);
    }
}
