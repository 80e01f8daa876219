using ProtoCL.Training;

namespace ProtoCL.Tests.Training;

public class TrainingOptionsTests
{
    private static TrainingOptions Base(Method m) => Presets.Small with { Method = m, Clusters = [100, 200] };

    [Theory]
    [InlineData(Method.Simclr, true)]     // SimCLR has no queue
    [InlineData(Method.PclSimclr, true)]  // 300 >= K = 200: every prototype is a negative either way
    [InlineData(Method.Moco, false)]      // MoCo's queue
    [InlineData(Method.Pcl, false)]
    public void Should_IgnoreTheQueue_When_TheMethodNeverReadsIt(Method method, bool ignored)
    {
        var a = Base(method) with { QueueSize = 4096 };
        var b = Base(method) with { QueueSize = 300 };
        Assert.Equal(ignored, Same(a, b));
    }

    [Fact]
    public void Should_KeepTheQueue_When_PclSimclrSamplesFewerNegativePrototypesThanClusters()
    {
        var a = Base(Method.PclSimclr) with { QueueSize = 4096 };
        var b = Base(Method.PclSimclr) with { QueueSize = 50 }; // 50 < 200 clusters: r changes the loss
        Assert.False(Same(a, b));
    }

    [Theory]
    [InlineData(Method.Moco, true)]
    [InlineData(Method.Simclr, true)]
    [InlineData(Method.Pcl, false)]
    [InlineData(Method.PclSimclr, false)]
    public void Should_IgnoreClustersAndWarmup_When_TheMethodHasNoPrototypes(Method method, bool ignored)
    {
        var a = Base(method);
        var b = Base(method) with { Clusters = [10, 20], WarmupEpochs = 5, KMeansRestarts = 1 };
        Assert.Equal(ignored, Same(a, b));
    }

    [Theory]
    [InlineData(Method.Simclr, true)]
    [InlineData(Method.PclSimclr, true)]
    [InlineData(Method.Moco, false)]
    public void Should_IgnoreTheEncoderMomentum_When_ThereIsNoMomentumEncoder(Method method, bool ignored)
    {
        Assert.Equal(ignored, Same(Base(method) with { EncoderMomentum = 0.9 }, Base(method) with { EncoderMomentum = 0.999 }));
    }

    [Theory]
    [InlineData(Method.Simclr, true)]     // NT-Xent already treats both views alike
    [InlineData(Method.PclSimclr, true)]  // the prototype term takes both views already
    [InlineData(Method.Moco, false)]
    public void Should_IgnoreSymmetric_When_ItChangesNothing(Method method, bool ignored)
    {
        Assert.Equal(ignored, Same(Base(method) with { Symmetric = true }, Base(method)));
    }

    [Theory]
    [InlineData(Method.Simclr, 8, false)]    // the second view's slice order changes SimCLR's BatchNorm statistics
    [InlineData(Method.PclSimclr, 8, false)]
    [InlineData(Method.Simclr, 1, true)]     // one slice: the order changes nothing
    [InlineData(Method.Moco, 8, true)]       // MoCo and PCL shuffle their keys either way
    [InlineData(Method.Pcl, 8, true)]
    public void Should_IgnoreTheViewBatchNorm_When_ItChangesNothing(Method method, int groups, bool ignored)
    {
        var a = Base(method) with { Encoder = Base(method).Encoder with { BnGroups = groups } };
        Assert.Equal(ignored, Same(a with { ViewBatchNorm = ViewBatchNorm.Shuffled }, a with { ViewBatchNorm = ViewBatchNorm.Same }));
    }

    [Fact]
    public void Should_KeepEverySharedSetting_When_Normalising()
    {
        var a = Base(Method.Simclr);
        Assert.False(Same(a, a with { Epochs = 9 }));
        Assert.False(Same(a, a with { Temperature = 0.5 }));
        Assert.False(Same(a, a with { LearningRate = 0.1 }));
    }

    [Theory]
    // The paper's schedule (200 epochs, lr 0.03): x0.1 at epoch 120 and again at 160; epochs are 0-based.
    [InlineData(200, 0, 0.03)]
    [InlineData(200, 119, 0.03)]
    [InlineData(200, 120, 0.003)]
    [InlineData(200, 159, 0.003)]
    [InlineData(200, 160, 0.0003)]
    [InlineData(200, 199, 0.0003)]
    // 10 epochs: 60 % and 80 % are epochs 6 and 8.
    [InlineData(10, 5, 0.03)]
    [InlineData(10, 6, 0.003)]
    [InlineData(10, 7, 0.003)]
    [InlineData(10, 8, 0.0003)]
    [InlineData(10, 9, 0.0003)]
    public void Should_DivideByTenAtSixtyAndEightyPercent_When_StepSchedule(int epochs, int epoch, double expected)
    {
        var o = new TrainingOptions { Schedule = LrSchedule.Step, Epochs = epochs, LearningRate = 0.03 };
        Assert.Equal(expected, o.LearningRateAt(epoch), 12);
    }

    [Theory]
    // lr * 0.5 * (1 + cos(pi * epoch / epochs)) with lr = 0.1 and 200 epochs:
    [InlineData(0, 0.1)]                                         // cos 0 = 1: the full rate
    [InlineData(50, 0.1 * 0.5 * (1 + 0.70710678118654752))]      // cos(pi/4) = sqrt(2)/2: 0.085355...
    [InlineData(100, 0.05)]                                      // cos(pi/2) = 0: half
    [InlineData(150, 0.1 * 0.5 * (1 - 0.70710678118654752))]     // cos(3pi/4) = -sqrt(2)/2: 0.014644...
    [InlineData(200, 0.0)]                                       // cos(pi) = -1: zero at the end
    public void Should_FollowTheHalfCosine_When_CosineSchedule(int epoch, double expected)
    {
        var o = new TrainingOptions { Schedule = LrSchedule.Cosine, Epochs = 200, LearningRate = 0.1 };
        Assert.Equal(expected, o.LearningRateAt(epoch), 12);
    }

    [Fact]
    public void Should_UseTheStepSchedule_When_NothingIsSet()
    {
        // The default is the paper's v1 schedule: the rate at epoch 120 of the default 200 is a tenth of the default 0.03.
        Assert.Equal(0.003, new TrainingOptions().LearningRateAt(120), 12);
    }

    // Records compare arrays by reference, so compare the JSON as the reproduction does.
    private static bool Same(TrainingOptions a, TrainingOptions b) =>
        System.Text.Json.JsonSerializer.Serialize(a.WithoutUnusedSettings()) == System.Text.Json.JsonSerializer.Serialize(b.WithoutUnusedSettings());

    [Theory]
    [InlineData("\"res-net18\"", ProtoCL.Model.Architecture.ResNet18)]  // files written before the CLI's spelling was used
    [InlineData("\"resnet18\"", ProtoCL.Model.Architecture.ResNet18)]
    [InlineData("\"res-net50\"", ProtoCL.Model.Architecture.ResNet50)]
    [InlineData("\"resnet50\"", ProtoCL.Model.Architecture.ResNet50)]
    public void Should_ReadBothSpellingsAndWriteTheCliOne_When_AnArchitectureIsInJson(string json, ProtoCL.Model.Architecture expected)
    {
        var read = System.Text.Json.JsonSerializer.Deserialize<ProtoCL.Model.Architecture>(json, JsonDefaults.Indented);
        Assert.Equal(expected, read);
        Assert.Equal(expected == ProtoCL.Model.Architecture.ResNet18 ? "\"resnet18\"" : "\"resnet50\"",
            System.Text.Json.JsonSerializer.Serialize(read, JsonDefaults.Indented));  // as --arch takes it
        Assert.Throws<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<ProtoCL.Model.Architecture>("\"vgg16\"", JsonDefaults.Indented));
    }
}
