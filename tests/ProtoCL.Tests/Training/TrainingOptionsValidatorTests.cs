using ProtoCL.Training;

namespace ProtoCL.Tests.Training;

public class TrainingOptionsValidatorTests
{
    [Fact]
    public void Should_AcceptPaperDefaults_When_DataIsLargeEnough() =>
        Assert.Empty(TrainingOptionsValidator.Validate(new TrainingOptions(), 1_281_167)); // ImageNet's training set

    [Theory]
    [InlineData(0, 0, 256, "--epochs")]
    [InlineData(10, 20, 256, "--warmup-epochs")]
    [InlineData(10, 2, 1, "--batch-size")]
    [InlineData(10, 2, 100, "multiple of the BatchNorm groups")]
    public void Should_NameTheOption_When_RangeIsWrong(int epochs, int warmup, int batch, string fragment)
    {
        var errors = TrainingOptionsValidator.Validate(new TrainingOptions { Epochs = epochs, WarmupEpochs = warmup, BatchSize = batch });
        Assert.Contains(errors, e => e.Contains(fragment));
    }

    [Fact]
    public void Should_RefuseKAtLeastN_When_DataIsSmall()
    {
        var errors = TrainingOptionsValidator.Validate(new TrainingOptions { BatchSize = 64, Clusters = [50, 500] }, 400);
        Assert.Contains(errors, e => e.Contains("K = 500") && e.Contains("400"));
        Assert.DoesNotContain(errors, e => e.Contains("K = 50 "));
    }

    [Fact]
    public void Should_NameEveryTooLargeKInOneProblem_When_SeveralKAreTooLarge()
    {
        var errors = TrainingOptionsValidator.Validate(new TrainingOptions { BatchSize = 64, Clusters = [500, 50, 400] }, 400);
        Assert.Equal("K = 500, 400 in --clusters must be smaller than the number of images (400)", Assert.Single(errors));
    }

    [Fact]
    public void Should_RefuseBatchLargerThanData_When_DataIsSmall() =>
        Assert.Contains(TrainingOptionsValidator.Validate(new TrainingOptions { Clusters = [10] }, 100), e => e.Contains("must not exceed the number of images (100)"));

    [Fact]
    public void Should_IgnoreClusters_When_MethodHasNoPrototypes() =>
        Assert.DoesNotContain(TrainingOptionsValidator.Validate(new TrainingOptions { Method = Method.Moco, Clusters = [] }, 1000), e => e.Contains("clusters"));

    public static TheoryData<string, TrainingOptions> OneBadSetting => new()
    {
        { "--lr", new TrainingOptions { LearningRate = double.NaN } },
        { "SGD momentum", new TrainingOptions { SgdMomentum = 1.0 } },
        { "--weight-decay", new TrainingOptions { WeightDecay = -1e-4 } },
        { "--temperature", new TrainingOptions { Temperature = 11 } },
        { "--moco-momentum", new TrainingOptions { EncoderMomentum = 1.5 } },
        { "--threads", new TrainingOptions { Threads = 0 } },
        { "--width", new TrainingOptions { Encoder = new() { Width = 0 } } },
        { "--bn-groups must be at least 1", new TrainingOptions { Encoder = new() { BnGroups = 0 } } },
        { "embedding size", new TrainingOptions { Encoder = new() { Dim = 1 } } },
        { "--limit", new TrainingOptions { Limit = 0 } },
        { "--image-size must be between 8 and 4096 pixels (got 7)", new TrainingOptions { LoadSize = 7 } },
        { "--image-size must be between 8 and 4096 pixels (got 4097)", new TrainingOptions { LoadSize = 4097 } },
        { "crop scale", new TrainingOptions { Augmentation = new() { CropScaleMin = 0.9, CropScaleMax = 0.5 } } },
        { "crop scale", new TrainingOptions { Augmentation = new() { CropScaleMin = 0 } } },
        { "--queue", new TrainingOptions { QueueSize = 0 } },
        { "repeated K", new TrainingOptions { Clusters = [100, 200, 100] } },
        { "at least 2", new TrainingOptions { Clusters = [1, 200] } },
        { "at least one K", new TrainingOptions { Clusters = [] } },
        { "k-means iterations", new TrainingOptions { KMeansIterations = 0 } },
        { "k-means restarts", new TrainingOptions { KMeansRestarts = 0 } },
    };

    [Theory]
    [MemberData(nameof(OneBadSetting))]
    public void Should_ReportExactlyTheBadSetting_When_OneSettingIsOutOfRange(string fragment, TrainingOptions options)
    {
        var errors = TrainingOptionsValidator.Validate(options, 1_281_167);
        Assert.Contains(fragment, Assert.Single(errors));
        Assert.Throws<ArgumentException>(() => TrainingOptionsValidator.ThrowIfInvalid(options));
    }

    [Fact]
    public void Should_AcceptImageSizesAtTheBounds_When_LoadSizeIsSet()
    {
        Assert.Empty(TrainingOptionsValidator.Validate(new TrainingOptions { LoadSize = 8 }, 1_281_167));
        Assert.Empty(TrainingOptionsValidator.Validate(new TrainingOptions { LoadSize = 4096 }, 1_281_167));
    }

    [Fact]
    public void Should_NotRequireAQueue_When_MethodIsSimclr() =>
        Assert.Empty(TrainingOptionsValidator.Validate(new TrainingOptions { Method = Method.Simclr, QueueSize = 0 }, 1_281_167));

    [Fact]
    public void Should_ListEveryProblem_When_SeveralSettingsAreWrong()
    {
        var errors = TrainingOptionsValidator.Validate(new TrainingOptions { Epochs = 0, WarmupEpochs = 0, LearningRate = -1, Threads = 0 });
        Assert.Equal(3, errors.Count);
    }
}
