using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.Model;
using ProtoCL.Training;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Evaluation;

[Collection("torch")]
public class FineTuneTests
{
    [Fact]
    public void Should_TakeEachClassShareOfItsOwnOrder_When_DrawingASubset()
    {
        // Class 0: 4 images, class 1: 10, class 2: 1, class 3: none. At 25 %: round(1.0) = 1, round(2.5) = 3 (halves round
        // up), max(1, round(0.25)) = 1, and 0 of the empty class; at 50 %: 2, 5, 1, 0.
        int[] labels = [0, 1, 1, 0, 1, 1, 2, 1, 1, 0, 1, 1, 1, 0, 1, ImageDataset.Unlabelled];
        var orders = FineTune.ClassOrders(labels, classes: 4, seed: 7);

        Assert.Equal([0, 3, 9, 13], orders[0].Order());                            // every member once, nothing else
        Assert.Equal([1, 2, 4, 5, 7, 8, 10, 11, 12, 14], orders[1].Order());
        Assert.Equal([6], orders[2]);
        Assert.Empty(orders[3]);
        var (quarter, quarterCounts) = FineTune.Subset(orders, 25);
        var (half, halfCounts) = FineTune.Subset(orders, 50);
        Assert.Equal([1, 3, 1, 0], quarterCounts);
        Assert.Equal([2, 5, 1, 0], halfCounts);
        Assert.Equal(5, quarter.Length);
        Assert.Subset(half.ToHashSet(), quarter.ToHashSet());                       // the smaller share lies inside the larger
        Assert.All(quarter, i => Assert.NotEqual(ImageDataset.Unlabelled, labels[i]));
        Assert.Equal(FineTune.ClassOrders(labels, 4, 7), orders);                   // seeded: the same order again
    }

    [Theory]
    [InlineData(256, 36)]                                                            // the 10 % subset: 30 + 5 + 1
    [InlineData(20, 20)]                                                             // the batch
    public void Should_SizeTheLargestStepByTheLargestSubset_When_EstimatingMemory(int batch, int expected)
    {
        // Class 0: 300 images, class 1: 50, class 3: 7 (class 2 absent), and 4 unlabelled. At 1 %: 3 + round(0.5) = 1 + max(1,
        // round(0.07)) = 1, 5 images; at 10 %: 30 + 5 + round(0.7) = 1, 36 images.
        int[] labels = [.. Enumerable.Repeat(0, 300), .. Enumerable.Repeat(1, 50), .. Enumerable.Repeat(3, 7), .. Enumerable.Repeat(ImageDataset.Unlabelled, 4)];
        Assert.Equal(expected, FineTune.LargestStep(labels, new FineTuneOptions { BatchSize = batch }));
        Assert.Equal(5, FineTune.LargestStep(labels, new FineTuneOptions { Percents = [1] }));
    }

    [Theory]
    [InlineData(600, 256, new[] { 200, 200, 200 })]
    [InlineData(257, 256, new[] { 129, 128 })]
    [InlineData(513, 256, new[] { 171, 171, 171 })]
    [InlineData(2, 256, new[] { 2 })]
    [InlineData(512, 256, new[] { 256, 256 })]
    [InlineData(7, 3, new[] { 3, 2, 2 })]
    [InlineData(3, 2, new[] { 2, 1 })]                                               // batch 2: an odd n leaves one image alone
    public void Should_CutAnEpochIntoNearEqualMinibatches_When_TheSubsetIsNotAMultiple(int n, int batch, int[] expected) =>
        Assert.Equal(expected, FineTune.BatchSizes(n, batch));

    [Fact]
    public void Should_CountTopOneAndTopFive_When_TheLabelRanksFirstOrAmongTheFiveLargest()
    {
        // 7 classes, logits rank class c at position order.IndexOf(c). Row 0: label first; row 1: label 5th; row 2: label
        // 6th (outside the top 5); row 3: label 2nd; row 4: label last.
        int[][] orders = [[3, 0, 1, 2, 4, 5, 6], [0, 1, 2, 4, 6, 5, 3], [6, 5, 4, 3, 2, 1, 0], [2, 5, 0, 1, 3, 4, 6], [0, 1, 2, 3, 4, 5, 6]];
        long[] labels = [3, 6, 1, 5, 6];
        var logits = new float[orders.Length * 7];
        for (int r = 0; r < orders.Length; r++)
            for (int rank = 0; rank < 7; rank++)
                logits[r * 7 + orders[r][rank]] = 10 - rank;                         // the rank-th largest
        using var x = tensor(logits).view(orders.Length, 7);
        using var y = tensor(labels);

        Assert.Equal((1L, 3L), FineTune.Hits(x, y, 5));                               // rows 0 / rows 0, 1, 3
        Assert.Equal((1L, 2L), FineTune.Hits(x, y, 2));                               // rows 0 / rows 0, 3
        Assert.Equal((1L, 5L), FineTune.Hits(x, y, 7));                               // every label is in the top 7 of 7
    }

    [Fact]
    public void Should_DecayAtSixtyAndEightyPercent_When_Scheduling()
    {
        var o = new FineTuneOptions();                                               // 20 epochs, x0.2, at least 500 steps
        Assert.Equal([12, 16], FineTuneOptions.DecayEpochs(20));
        Assert.Equal(1.0, o.LearningRateFactor(11, 20));
        Assert.Equal(0.2, o.LearningRateFactor(12, 20), 12);
        Assert.Equal(0.2, o.LearningRateFactor(15, 20), 12);
        Assert.Equal(0.04, o.LearningRateFactor(16, 20), 12);
        Assert.Equal(167, o.EpochsFor(3));                                           // ceil(500 / 3): 1 % of Fashion-MNIST
        Assert.Equal(21, o.EpochsFor(24));                                           // ceil(500 / 24) = 21 > 20: 10 %
        Assert.Equal(20, o.EpochsFor(100));
        Assert.Equal(20, (o with { MinSteps = 0 }).EpochsFor(3));
    }

    /// <summary>1-channel 16 x 16 stripes, 2 px on and 2 px off at a random phase, plus noise: class 0 vertical, class 1
    /// horizontal. Horizontal flips and mild crops keep the orientation, which a convolution sees everywhere in the image.</summary>
    private static ImageDataset Stripes(int perClass, int seed, string source)
    {
        var rng = new Random(seed);
        int n = 2 * perClass;
        var pixels = new byte[n * 16 * 16];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int label = i % 2, phase = rng.Next(4);
            labels[i] = label;
            for (int y = 0; y < 16; y++)
                for (int x = 0; x < 16; x++)
                {
                    int along = label == 0 ? x : y;
                    int on = (along + phase) % 4 < 2 ? 200 : 40;
                    pixels[(i * 16 + y) * 16 + x] = (byte)Math.Clamp(on + rng.Next(-30, 31), 0, 255);
                }
        }
        return new ImageDataset(tensor(pixels).view(n, 1, 16, 16), labels, source);
    }

    private static readonly EncoderOptions Small = new() { Arch = Architecture.ResNet18, Width = 4, InChannels = 1, ImageSize = 16, Dim = 8, BnGroups = 4 };

    [Fact]
    public void Should_LearnTheClasses_When_FineTuningOnAFractionOfTheLabels()
    {
        using var train = Stripes(40, 1, "stripes-train");
        using var test = Stripes(30, 2, "stripes-test");
        var options = new FineTuneOptions { Percents = [25, 100], Epochs = 15, MinSteps = 0, BatchSize = 16, CropScaleMin = 0.8, Seed = 3 };
        int made = 0;
        ResNetEncoder Make() { made++; manual_seed(5); return new ResNetEncoder(Small); }

        var result = FineTune.Evaluate(Make, [0.47f], [0.3f], train, train.Labels!, test, test.Labels!, options);

        Assert.Equal(2, made);                                                        // a fresh network per percentage
        Assert.Equal(["25", "100"], result.Results.Keys);
        var quarter = result.Results["25"];
        Assert.Equal([10, 10], quarter.PerClassImages);                               // 25 % of 40 per class
        Assert.Equal(20, quarter.LabelledImages);
        Assert.Equal(15 * 2, quarter.Steps);                                          // 20 images in minibatches of 10 and 10
        Assert.Equal(15, quarter.Epochs);
        Assert.Equal([9, 12], quarter.DecayEpochs);
        Assert.Equal(15 * 5, result.Results["100"].Steps);                            // 80 images: 5 minibatches of 16
        foreach (var (percent, r) in result.Results)
        {
            // Two orientations a convolution separates at every pixel: well above the 50 % of a guess on 60 unseen images.
            Assert.True(r.Accuracy >= 0.9, $"{percent} %: test accuracy {r.Accuracy}");
            Assert.Equal(1.0, r.Top5Accuracy);                                        // top-2 of 2 classes always holds the label
            Assert.True(double.IsFinite(r.FinalLoss) && r.FinalLoss < Math.Log(2), $"{percent} %: final loss {r.FinalLoss}");
        }

        // Seeded by the percentage, not its place in the list: 100 % alone repeats the 100 % of [25, 100].
        var alone = FineTune.Evaluate(Make, [0.47f], [0.3f], train, train.Labels!, test, test.Labels!, options with { Percents = [100] });
        Assert.Equal(result.Results["100"].FinalLoss, alone.Results["100"].FinalLoss);
        Assert.Equal(result.Results["100"].Accuracy, alone.Results["100"].Accuracy);
    }

    [Fact]
    public void Should_LearnTheClassesInBfloat16_When_AskedOnAProcessorThatHasIt()
    {
        using var train = Stripes(40, 1, "stripes-train");
        using var test = Stripes(30, 2, "stripes-test");
        var options = new FineTuneOptions { Percents = [100], Epochs = 15, MinSteps = 0, BatchSize = 16, CropScaleMin = 0.8, Seed = 3, Precision = Precision.Bf16 };
        ResNetEncoder Make() { manual_seed(5); return new ResNetEncoder(Small); }
        if (!CpuFeatures.HasBf16)
        {
            // Without AVX-512 BF16 it is refused, with the line training gives.
            var e = Assert.Throws<ArgumentException>(() => FineTune.Evaluate(Make, [0.47f], [0.3f], train, train.Labels!, test, test.Labels!, options));
            Assert.Equal(FineTuneOptions.Bf16Unsupported, e.Message);
            return;
        }

        var bf16 = FineTune.Evaluate(Make, [0.47f], [0.3f], train, train.Labels!, test, test.Labels!, options);
        var fp32 = FineTune.Evaluate(Make, [0.47f], [0.3f], train, train.Labels!, test, test.Labels!, options with { Precision = Precision.Fp32 });

        Assert.Equal("bf16", bf16.Precision);
        Assert.Equal("fp32", fp32.Precision);
        var r = bf16.Results["100"];
        Assert.True(r.Accuracy >= 0.9, $"bf16: test accuracy {r.Accuracy}");
        Assert.True(double.IsFinite(r.FinalLoss) && r.FinalLoss < Math.Log(2), $"bf16: final loss {r.FinalLoss}");
        // The same schedule in other arithmetic: the losses differ (bfloat16 rounds the convolutions) but stay close.
        Assert.NotEqual(fp32.Results["100"].FinalLoss, r.FinalLoss);
        Assert.True(Math.Abs(fp32.Results["100"].FinalLoss - r.FinalLoss) < 0.2, $"fp32 {fp32.Results["100"].FinalLoss} vs bf16 {r.FinalLoss}");
    }

    [Fact]
    public void Should_StopAsDiverged_When_TheLossIsNotFinite()
    {
        // Learning rates of 10^20 overflow the weights in the first epoch; the exception is training's own, so the CLI exits
        // 3 (training stopped) as train does, not 2 (bad input).
        using var train = Stripes(8, 1, "stripes-train");
        using var test = Stripes(2, 2, "stripes-test");
        var options = new FineTuneOptions { Percents = [100], Epochs = 2, MinSteps = 0, BatchSize = 8, BackboneLearningRate = 1e20, HeadLearningRate = 1e20 };
        ResNetEncoder Make() { manual_seed(5); return new ResNetEncoder(Small); }

        var e = Assert.Throws<TrainingDivergedException>(() => FineTune.Evaluate(Make, [0.47f], [0.3f], train, train.Labels!, test, test.Labels!, options));
        Assert.StartsWith("fine-tuning diverged in epoch ", e.Message);
        Assert.EndsWith("lower --lr-backbone and --lr-head", e.Message);
    }

    [Fact]
    public void Should_RefuseWithAReason_When_TheDataCannotServeTheProtocol()
    {
        using var train = Stripes(4, 1, "stripes-train");
        using var test = Stripes(2, 2, "stripes-test");
        using var one = new ImageDataset(zeros(3, 1, 16, 16, dtype: ScalarType.Byte), [0, 0, 0], "one-class");
        ResNetEncoder Make() => new(Small);

        var e = Assert.Throws<ArgumentException>(() => FineTune.Evaluate(Make, [0.5f], [0.3f], one, one.Labels!, test, test.Labels!));
        Assert.Contains("at least 2 classes (got 1)", e.Message);
        e = Assert.Throws<ArgumentException>(() => FineTune.Evaluate(Make, [0.5f], [0.3f], train, train.Labels!, test, test.Labels!, new FineTuneOptions { Percents = [0] }));
        Assert.Contains("every percentage must be in (0, 100], got 0", e.Message);
        using var colour = new ImageDataset(zeros(4, 3, 16, 16, dtype: ScalarType.Byte), [0, 1, 0, 1], "colour");
        int made = 0;
        e = Assert.Throws<ArgumentException>(() => FineTune.Evaluate(() => { made++; return Make(); }, [0.5f], [0.3f], train, train.Labels!, colour, colour.Labels!));
        Assert.Contains("has 1-channel images and the test data (colour) 3-channel ones", e.Message);
        Assert.Equal(0, made);                                                        // refused before any percentage trains
        var raw = Assert.Throws<ArgumentException>(() => EvaluationRunner.RunFineTune("raw", train, test, new FineTuneOptions()));
        Assert.Contains("raw pixels have none; --checkpoint random gives the supervised baseline", raw.Message);
    }

    [Fact]
    public void Should_WriteTheProtocolRecord_When_RunThroughTheRunner()
    {
        using var train = Stripes(4, 1, "stripes-train");
        using var test = Stripes(3, 2, "stripes-test");
        var options = new FineTuneOptions { Percents = [50], Epochs = 1, MinSteps = 0, Seed = 2 };

        // random: the paper's ResNet-50 at random initialisation, the supervised baseline trained from scratch.
        var json = EvaluationRunner.RunFineTune("random", train, test, options);

        Assert.Equal("finetune", json["protocol"]!.GetValue<string>());
        Assert.Equal("random", json["checkpoint"]!.GetValue<string>());
        Assert.Equal("stripes-train", json["train_data"]!.GetValue<string>());
        Assert.Equal(8, json["train_images"]!.GetValue<int>());
        Assert.Equal(6, json["test_images"]!.GetValue<int>());
        Assert.Equal(2, json["seed"]!.GetValue<int>());
        var half = json["results"]!["50"]!;
        Assert.Equal(4, half["labelled_images"]!.GetValue<int>());                     // 2 of each class's 4
        Assert.Equal(1, half["steps"]!.GetValue<int>());
        var accuracy = half["accuracy"]!.GetValue<double>();
        Assert.Equal(Math.Round(accuracy * 6), accuracy * 6, 9);                        // a count of the 6 test images, over 6
        Assert.Equal(1, json["min_epochs"]!.GetValue<int>());
        Assert.Equal(0.01, json["backbone_learning_rate"]!.GetValue<double>());
        Assert.Equal(0.1, json["head_learning_rate"]!.GetValue<double>());
        Assert.Equal("fp32", json["precision"]!.GetValue<string>());
    }
}
