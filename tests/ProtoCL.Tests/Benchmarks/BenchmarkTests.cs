using System.Text.Json;
using ProtoCL.Benchmarks;
using ProtoCL.Data;
using ProtoCL.Model;
using ProtoCL.Training;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Benchmarks;

[Collection("torch")]
public class BenchmarkTests
{
    // The bench configuration of the end-to-end test: width-4 ResNet-18 (CIFAR stem, 28x28x1 embedded images), 96 images,
    // batch 32, 2 minibatches per measured epoch, K = 4 and 8, one torch thread, 2 measured runs after the warm-up run.
    private const int Images = 96, Batch = 32, Steps = 2, Repeats = 2, Threads = 1;

    private static TrainingOptions Options(Method method) => new()
    {
        Method = method,
        Epochs = 5,           // the bench replaces these two: it always measures one warm-up and one prototype epoch
        WarmupEpochs = 3,
        BatchSize = Batch,
        QueueSize = 64,
        Clusters = [4, 8],
        KMeansIterations = 2,
        KMeansRestarts = 1,
        Threads = Threads,
        Seed = 3,
        Encoder = new EncoderOptions { Arch = Architecture.ResNet18, Width = 4, BnGroups = 4 },
    };

    /// <summary>
    /// Forward FLOPs of one 28x28x1 image through the width-4 ResNet-18 with the CIFAR stem and a linear 128-d head,
    /// counted by hand with the convention ResNetEncoder.ForwardFlopsPerImage documents: multiply-adds x 2 of every
    /// convolution and linear layer (2 x Cin x Cout x k x k x Hout x Wout per convolution, 2 x in x out per linear layer;
    /// BatchNorm, ReLU and pooling are not counted).
    /// </summary>
    private const double TinyForwardFlops =
        2.0 * 1 * 4 * 9 * 28 * 28                                  // stem 3x3, 1 -> 4, stride 1 pad 1: 28x28     =    56,448
        + 4 * (2.0 * 4 * 4 * 9 * 28 * 28)                         // layer1: 4 convs 3x3, 4 -> 4 at 28x28          =   903,168
        + 2.0 * 4 * 8 * 9 * 14 * 14 + 3 * (2.0 * 8 * 8 * 9 * 14 * 14) + 2.0 * 4 * 8 * 14 * 14
                                                                  // layer2: 3x3/2 4 -> 8, three 3x3 8 -> 8 at 14x14, 1x1/2 downsample = 802,816
        + 2.0 * 8 * 16 * 9 * 7 * 7 + 3 * (2.0 * 16 * 16 * 9 * 7 * 7) + 2.0 * 8 * 16 * 7 * 7
                                                                  // layer3: the same at 7x7, 8 -> 16             =   802,816
        + 2.0 * 16 * 32 * 9 * 4 * 4 + 3 * (2.0 * 32 * 32 * 9 * 4 * 4) + 2.0 * 16 * 32 * 4 * 4
                                                                  // layer4: 7 -> (7 + 2 - 3) / 2 + 1 = 4 px, 16 -> 32 = 1,048,576
        + 2.0 * 32 * 128;                                         // fc 32 -> 128                                  =     8,192
                                                                  // total                                         = 3,622,016

    [Fact]
    public void Should_CountTheHandCountedFlops_When_TheEncoderIsTheBenchsTinyOne()
    {
        Assert.Equal(3_622_016.0, TinyForwardFlops); // the sum of the comments above, so a slip in either shows
        using var enc = new ResNetEncoder(new EncoderOptions { Arch = Architecture.ResNet18, Width = 4, InChannels = 1, ImageSize = 28 });
        Assert.Equal(TinyForwardFlops, enc.ForwardFlopsPerImage());
    }

    [Theory]
    // MoCo is measured as PCL (the bench's second epoch is a prototype epoch). Per image a step costs, in forward passes F:
    // the query view's forward + backward (~3F) plus the momentum encoder's forward of the key view (F) = 4F;
    // without a momentum encoder both views go forward and backward through the encoder: 2 x 3F = 6F; symmetric MoCo / PCL
    // makes each view the query once: 2 x 3F for the queries plus 2 x F for the keys = 8F.
    [InlineData(Method.Moco, Method.Pcl, 4, false)]
    [InlineData(Method.PclSimclr, Method.PclSimclr, 6, false)]
    [InlineData(Method.Pcl, Method.Pcl, 8, true)]
    public void Should_ReportWhatWasAskedAndConsistentDerivedFigures_When_RunOnATinyConfiguration(Method asked, Method measured, int forwardsPerStep, bool symmetric)
    {
        int previousThreads = get_num_threads();
        var observer = new Recorder();
        BenchResult r;
        try
        {
            using var data = DatasetLoader.LoadEmbedded(Images);
            set_num_threads(2); // something else than the bench is asked for, to see that it sets its own
            r = Benchmark.Run(Options(asked) with { Symmetric = symmetric }, data, Repeats, observer, Steps);
        }
        finally
        {
            set_num_threads(previousThreads);
        }

        // Counts equal what was asked.
        Assert.Equal(Images, r.Images);
        Assert.Equal(Repeats, r.Repeats);
        Assert.Equal(Threads, r.Threads);
        Assert.All(observer.ThreadsSeen, t => Assert.Equal(Threads, t)); // every progress report came from a 1-thread run
        Assert.NotEmpty(observer.ThreadsSeen);
        Assert.Equal("fp32", r.Precision);
        // The training step runs on min(N, max(steps x batch, largest K + 1)) = min(96, max(2 x 32, 9)) = 64 images.
        Assert.Equal(64, r.TrainImages);
        Assert.Equal((2, 1, measured), (r.Options.Epochs, r.Options.WarmupEpochs, r.Options.Method));

        // One warm-up run (not counted) and Repeats measured runs, each of two epochs: a warm-up and a prototype epoch.
        Assert.Equal(new[] { "warm-up run (not counted)", "run 1/2", "run 2/2" }, observer.Messages.Where(m => m.Contains("run")));
        Assert.Equal(2 * (Repeats + 1), observer.Epochs.Count);
        for (int i = 0; i < observer.Epochs.Count; i++)
        {
            var e = observer.Epochs[i];
            Assert.Equal(i % 2 + 1, e.Epoch);
            Assert.Equal(i % 2 == 1, e.AccProto is not null);
            // images/s = images / seconds, with 64 / 32 = 2 minibatches of 32 images per epoch
            Assert.Equal(64.0, e.ImagesPerSecond * e.SecondsTrain, 1e-9 * 64);
        }
        // The reported rates are the medians (here: the mean of the two measured runs) of the measured runs only.
        double warm = (observer.Epochs[2].ImagesPerSecond + observer.Epochs[4].ImagesPerSecond) / 2;
        double pcl = (observer.Epochs[3].ImagesPerSecond + observer.Epochs[5].ImagesPerSecond) / 2;
        Assert.Equal(warm, r.TrainWarmupImagesPerSecond, 1e-12 * warm);
        Assert.Equal(pcl, r.TrainPclImagesPerSecond, 1e-12 * pcl);
        Assert.Equal((warm + pcl) / 2, r.TrainImagesPerSecond, 1e-12 * warm);
        // The E-step's features are taken of all 96 images, not of the 64 the step is timed on.
        Assert.Equal(Images, observer.LastTotal("E-step features (all images)"));
        Assert.Equal(Images, observer.LastDone("E-step features (all images)"));

        // Derived figures: FLOPs per image by hand, GFLOP/s = FLOPs per step x images/s, shares as quotients.
        Assert.Equal(TinyForwardFlops / 1e9, r.GflopsPerImage, 1e-15);
        Assert.Equal(warm * TinyForwardFlops * forwardsPerStep / 1e9, r.TrainEffectiveGflops, 1e-9 * r.TrainEffectiveGflops);
        Assert.True(r.MatmulPeakGflops > 0 && double.IsFinite(r.MatmulPeakGflops));
        Assert.Equal(r.TrainEffectiveGflops / r.MatmulPeakGflops, r.FractionOfMatmulPeak, 1e-12);
        // Each training image is augmented twice (two views): augmentation time per image 2 / augment rate, step time 1 / warm.
        Assert.True(r.AugmentImagesPerSecond > 0 && double.IsFinite(r.AugmentImagesPerSecond));
        Assert.Equal(2 * warm / r.AugmentImagesPerSecond, r.AugmentFractionOfStep, 1e-12);
        Assert.True(r.EStepFeatureImagesPerSecond > 0 && double.IsFinite(r.EStepFeatureImagesPerSecond));
        Assert.True(r.KMeansSeconds > 0 && r.PhiSeconds > 0);
        Assert.True(r.PeakMemoryBytes > 0);
        Assert.EndsWith($", {Environment.ProcessorCount} logical cores", r.Machine);
    }

    [Fact]
    public void Should_WriteTheNamesTheScriptsRead_When_Serialised()
    {
        // Every field bench/summarise-bench.py reads, each with its own value so that a swapped name shows.
        var result = new BenchResult
        {
            Machine = "test cpu", Threads = 3, Precision = "bf16", Images = 11, TrainImages = 7, Repeats = 5,
            Options = new TrainingOptions { Encoder = new EncoderOptions { Width = 13 } },
            TrainImagesPerSecond = 1.5, TrainWarmupImagesPerSecond = 2.5, TrainPclImagesPerSecond = 3.5,
            EStepFeatureImagesPerSecond = 4.5, KMeansSeconds = 5.5, PhiSeconds = 6.5, AugmentImagesPerSecond = 7.5,
            AugmentFractionOfStep = 0.125, PeakMemoryBytes = 123_456_789_012, GflopsPerImage = 8.5,
            TrainEffectiveGflops = 9.5, MatmulPeakGflops = 10.5, FractionOfMatmulPeak = 0.25,
        };
        var b = JsonDocument.Parse(JsonSerializer.Serialize(result, JsonDefaults.Indented)).RootElement;
        Assert.Equal(13, b.GetProperty("options").GetProperty("encoder").GetProperty("width").GetInt32());
        Assert.Equal("test cpu", b.GetProperty("machine").GetString());
        Assert.Equal("bf16", b.GetProperty("precision").GetString());
        Assert.Equal(2.5, b.GetProperty("train_warmup_images_per_second").GetDouble());
        Assert.Equal(3.5, b.GetProperty("train_pcl_images_per_second").GetDouble());
        Assert.Equal(4.5, b.GetProperty("estep_feature_images_per_second").GetDouble());
        Assert.Equal(5.5, b.GetProperty("kmeans_seconds").GetDouble());
        Assert.Equal(6.5, b.GetProperty("phi_seconds").GetDouble());
        Assert.Equal(0.125, b.GetProperty("augment_fraction_of_step").GetDouble());
        Assert.Equal(9.5, b.GetProperty("train_effective_gflops").GetDouble());
        Assert.Equal(10.5, b.GetProperty("matmul_peak_gflops").GetDouble());
        Assert.Equal(0.25, b.GetProperty("fraction_of_matmul_peak").GetDouble());
        Assert.Equal(123_456_789_012, b.GetProperty("peak_memory_bytes").GetInt64());
        // The rest of what a run reports (shown by the bench command, kept for later comparisons).
        Assert.Equal(3, b.GetProperty("threads").GetInt32());
        Assert.Equal(11, b.GetProperty("images").GetInt32());
        Assert.Equal(7, b.GetProperty("train_images").GetInt32());
        Assert.Equal(5, b.GetProperty("repeats").GetInt32());
        Assert.Equal(1.5, b.GetProperty("train_images_per_second").GetDouble());
        Assert.Equal(7.5, b.GetProperty("augment_images_per_second").GetDouble());
        Assert.Equal(8.5, b.GetProperty("gflops_per_image").GetDouble());
    }

    [Theory]
    [InlineData(new[] { 5.0 }, 5.0)]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, 2.0)]            // sorted 1, 2, 3: the middle one
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]       // sorted 1, 2, 3, 4: (2 + 3) / 2
    [InlineData(new[] { 7.0, 7.0, -1.0, 100.0, 0.5 }, 7.0)] // sorted -1, 0.5, 7, 7, 100
    public void Should_TakeTheMiddleValueOrTheMeanOfTheTwoMiddleOnes_When_TakingTheMedian(double[] values, double median)
    {
        Assert.Equal(median, Benchmark.Median(values));
    }

    [Fact]
    public void Should_ReportNaN_When_TakingTheMedianOfNothing()
    {
        Assert.True(double.IsNaN(Benchmark.Median([])));
    }

    /// <summary>Records what the bench reports through its observer, and the torch thread count while it reports.</summary>
    private sealed class Recorder : ITrainingObserver
    {
        public List<EpochMetrics> Epochs { get; } = [];
        public List<string> Messages { get; } = [];
        public List<int> ThreadsSeen { get; } = [];
        private readonly Dictionary<string, (long Done, long Total)> _last = [];

        public void Progress(string stage, long done, long total, string? detail = null)
        {
            _last[stage] = (done, total);
            ThreadsSeen.Add(get_num_threads());
        }

        public void EpochFinished(EpochMetrics metrics) => Epochs.Add(metrics);
        public void Message(string text) => Messages.Add(text);
        public long LastTotal(string stage) => _last[stage].Total;
        public long LastDone(string stage) => _last[stage].Done;
    }
}
