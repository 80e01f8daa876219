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

    [Fact]
    public void Should_KeepEverySharedSetting_When_Normalising()
    {
        var a = Base(Method.Simclr);
        Assert.False(Same(a, a with { Epochs = 9 }));
        Assert.False(Same(a, a with { Temperature = 0.5 }));
        Assert.False(Same(a, a with { LearningRate = 0.1 }));
    }

    // Records compare arrays by reference, so compare the JSON as the reproduction does.
    private static bool Same(TrainingOptions a, TrainingOptions b) =>
        System.Text.Json.JsonSerializer.Serialize(a.WithoutUnusedSettings()) == System.Text.Json.JsonSerializer.Serialize(b.WithoutUnusedSettings());
}
