using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.Model;
using ProtoCL.Training;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Training;

/// <summary><see cref="MemoryEstimate"/>: how its parts are put together, worked by hand on a tiny encoder, and the
/// refusal of a run that cannot fit.</summary>
[Collection("torch")]
public class MemoryEstimateTests
{
    // ResNet-18, width 2, 8 x 8 one-channel images, CIFAR stem: 1,200 convolution-output elements per image
    // (counted by hand in ResNetSizeTests); 11,214 backbone parameters (convolution weights 18 + 144 + 512 + 2,048 +
    // 8,192 = 10,914 stage by stage, BatchNorm scales and shifts 2 x 150 = 300) plus a linear head 16 -> 8: 136.
    private static TrainingOptions Tiny(Method method) => Presets.Small with
    {
        Method = method, BatchSize = 16, FeatureBatchSize = 32, Clusters = [4],
        Encoder = new EncoderOptions { Arch = Architecture.ResNet18, Width = 2, Dim = 8, InChannels = 1, ImageSize = 8, BnGroups = 1 },
    };

    [Fact]
    public void Should_AddTheRuntimeParametersAndTheLargerOfStepAndEStep_When_Estimating()
    {
        long parameters = 11_214 + 16 * 8 + 8;
        Assert.Equal(parameters, ResNetSize.Parameters(Tiny(Method.Moco).Encoder));

        var moco = MemoryEstimate.For(Tiny(Method.Moco), 100, 1, 8, 8);
        Assert.Equal(4 * 4 * parameters, moco.ParameterBytes);                          // weights, gradients, momentum, key encoder
        Assert.Equal((long)(16 * 1200 * 22.0), moco.StepBytes);                         // one view with gradients, float32
        Assert.Equal(0, moco.EStepBytes);                                               // no prototypes, no E-step
        Assert.Equal(300_000_000 + 4 * 4 * parameters + (long)(16 * 1200 * 22.0), moco.TotalBytes);

        var simclr = MemoryEstimate.For(Tiny(Method.Simclr), 100, 1, 8, 8);
        Assert.Equal(3 * 4 * parameters, simclr.ParameterBytes);                        // no key encoder
        Assert.Equal((long)(16 * 1200 * 22.0 * 1.3), simclr.StepBytes);                 // two views with gradients

        var bf16 = MemoryEstimate.For(Tiny(Method.Moco) with { Precision = Precision.Bf16 }, 100, 1, 8, 8);
        Assert.Equal((long)(16 * 1200 * 9.5), bf16.StepBytes);

        // PCL: the E-step extracts 32 images at a time (widest layer 128 elements, 8 copies of 4 bytes) and keeps 100
        // embeddings of 8 floats twice.
        var pcl = MemoryEstimate.For(Tiny(Method.Pcl), 100, 1, 8, 8);
        Assert.Equal(8L * 4 * 32 * 128 + 2L * 100 * 8 * 4, pcl.EStepBytes);
        Assert.Equal(Math.Max(pcl.StepBytes, pcl.EStepBytes), pcl.TotalBytes - 300_000_000 - pcl.ParameterBytes);
    }

    [Fact]
    public void Should_RefuseNamingABatchThatFits_When_TheRunExceedsTheMachine()
    {
        // The paper's settings (ResNet-50, width 64, batch 256, float32) on 10,000 colour 224 x 224 images: 11,314,688
        // convolution-output elements per image (the 224 x 224 ResNet-50 walk), so a step holds 256 x 11,314,688 x 22 B
        // = 63.7 GB, far beyond a 24 GB machine.
        var paper = Presets.Paper;
        long images = 10_000L * 3 * 224 * 224;
        var e = MemoryEstimate.For(paper, 10_000, 3, 224, 224);
        Assert.Equal(11_314_688, ResNetSize.ConvOutputs(paper.Encoder with { InChannels = 3, ImageSize = 224 }, 224, 224));
        Assert.Equal((long)(256L * 11_314_688 * 22.0), e.StepBytes);
        Assert.Equal(256, e.StepImages);

        var refusal = e.Refusal(paper, images, 24_000_000_000);
        Assert.NotNull(refusal);
        // What fits: 80 % of 24 GB less the runtime, the parameters and the images, over 248.9 MB per image.
        long fits = (long)((0.8 * 24e9 - 300e6 - e.ParameterBytes - images) / (11_314_688 * 22.0));
        Assert.Equal(68, fits);
        Assert.StartsWith($"this run needs about {(e.TotalBytes + images) / 1e9:F1} GB of memory (a training step of 256 images: 63.7 GB), more than this machine's 24.0 GB: --batch-size 68 or less fits", refusal);
        Assert.EndsWith("or --precision bf16 on a processor with AVX-512 BF16, also cut it", refusal);

        Assert.Null(e.Refusal(paper, images, 200_000_000_000));                         // a 200 GB machine holds it
        Assert.Null(e.Note(200_000_000_000));
        Assert.StartsWith($"note: this run needs about {e.TotalBytes / 1e9:F1} GB of memory beyond its images and 10.0 GB is free now", e.Note(10_000_000_000));
    }

    [Fact]
    public void Should_CountOneViewAndTheScoringPass_When_EstimatingFineTuning()
    {
        // The tiny encoder: 11,350 parameters with weights, gradients and SGD momentum (no key encoder); one step of
        // 40 images (FineTune.LargestStep: min(batch 256, 40 labelled)) in one view at 1,200 elements x 22 B; scoring 512 images with 8 copies of
        // the widest layer (128 elements of 4 bytes).
        var encoder = Tiny(Method.Moco).Encoder;
        var fp32 = MemoryEstimate.ForFineTune(encoder, new FineTuneOptions(), 40, 8, 8);
        Assert.Equal(3 * 4 * 11_350, fp32.ParameterBytes);
        Assert.Equal((long)(40 * 1200 * 22.0), fp32.StepBytes);
        Assert.Equal(8L * 4 * 512 * 128, fp32.EStepBytes);
        Assert.Equal(40, fp32.StepImages);
        Assert.Equal(300_000_000 + 3 * 4 * 11_350 + 8L * 4 * 512 * 128, fp32.TotalBytes); // scoring (2.1 MB) outweighs the step (1.06 MB)
        var bf16 = MemoryEstimate.ForFineTune(encoder, new FineTuneOptions { Precision = Precision.Bf16, BatchSize = 16 }, 16, 8, 8);
        Assert.Equal((long)(16 * 1200 * 9.5), bf16.StepBytes);
        Assert.Equal(16, bf16.StepImages);
        // 300 MB + 136,200 B + 2,097,152 B = 0.302 GB; the step 182,400 B.
        Assert.Equal("memory: about 0.30 GB beyond the images, estimated from the settings (a fine-tuning step of 16 images: 0.00 GB)",
            bf16.Summary("a fine-tuning step of 16 images"));
    }

    [Fact]
    public void Should_RefuseFineTuningNamingABatchThatFits_When_ItExceedsTheMemory()
    {
        // 10,000 labelled 1 x 8 x 8 images and 1,000 test ones at batch 10,000: a step of 10,000 x 1,200 x 22 B = 264 MB, with
        // the 300 MB runtime beyond a 500 MB budget. What fits: (0.8 x 500 MB - 300 MB - 136,200 B of parameters - 704,000 B
        // of images) / 26,400 B per image = 3,756 images.
        var encoder = Tiny(Method.Moco).Encoder;
        using var train = new ImageDataset(zeros(10_000, 1, 8, 8, dtype: ScalarType.Byte), null, "train");
        using var test = new ImageDataset(zeros(1_000, 1, 8, 8, dtype: ScalarType.Byte), null, "test");
        var o = new FineTuneOptions { BatchSize = 10_000 };
        var e = Assert.Throws<ArgumentException>(() => MemoryEstimate.ThrowIfFineTuneTooLarge(encoder, o, train, test, 10_000, totalBytes: 500_000_000));
        long fits = (long)((0.8 * 500e6 - 300e6 - 3 * 4 * 11_350 - 11_000 * 64) / (1200 * 22.0));
        Assert.Equal(3756, fits);
        Assert.Equal("fine-tuning needs about 564.8 MB of memory (a fine-tuning step of 10000 images: 264.0 MB), more than this machine's 500.0 MB: " +
                     "--batch-size 3756 or less fits; --precision bf16 on a processor with AVX-512 BF16 also cuts it", e.Message);
        MemoryEstimate.ThrowIfFineTuneTooLarge(encoder, o with { BatchSize = 256 }, train, test, 256, totalBytes: 500_000_000);   // fits
    }

    [Fact]
    public void Should_Throw_When_TheRunCannotFitTheGivenMemory()
    {
        using var data = new ImageDataset(zeros(8, 1, 8, 8, dtype: ScalarType.Byte), null, "zeros");
        var options = Tiny(Method.Moco) with { BatchSize = 4, QueueSize = 8 };
        var e = Assert.Throws<ArgumentException>(() => MemoryEstimate.ThrowIfTooLarge(options, data, totalBytes: 100_000_000));
        Assert.Contains("more than this machine's 100.0 MB: even a batch of 2 does not fit", e.Message); // the runtime alone is 300 MB
        MemoryEstimate.ThrowIfTooLarge(options, data, totalBytes: 1_000_000_000);       // fits: no exception
    }
}
