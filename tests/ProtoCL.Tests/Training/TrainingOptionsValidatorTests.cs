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
    public void Should_RefuseBatchLargerThanData_When_DataIsSmall() =>
        Assert.Contains(TrainingOptionsValidator.Validate(new TrainingOptions { Clusters = [10] }, 100), e => e.Contains("must not exceed the number of images (100)"));

    [Fact]
    public void Should_IgnoreClusters_When_MethodHasNoPrototypes() =>
        Assert.DoesNotContain(TrainingOptionsValidator.Validate(new TrainingOptions { Method = Method.Moco, Clusters = [] }, 1000), e => e.Contains("clusters"));
}
