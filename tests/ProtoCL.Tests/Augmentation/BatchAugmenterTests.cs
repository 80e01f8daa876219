using ProtoCL.Augmentation;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Augmentation;

public class BatchAugmenterTests
{
    private static Tensor Images(int c) => randint(0, 256, new long[] { 6, c, 28, 28 }, generator: new Generator(5)).to_type(ScalarType.Byte);

    [Theory]
    [InlineData(AugmentationPipeline.V1, 1)]
    [InlineData(AugmentationPipeline.V2, 1)]
    [InlineData(AugmentationPipeline.V1, 3)]
    [InlineData(AugmentationPipeline.V2, 3)]
    public void Should_KeepShapeAndRange_When_Augmenting(AugmentationPipeline pipeline, int channels)
    {
        var aug = new BatchAugmenter(new AugmentationOptions { Pipeline = pipeline }, Enumerable.Repeat(0f, 3).ToArray(), Enumerable.Repeat(1f, 3).ToArray());
        using var x = Images(channels);
        using var g = new Generator(1);
        using var y = aug.Augment(x, g);
        Assert.Equal(x.shape, y.shape);
        Assert.Equal(ScalarType.Float32, y.dtype);
        Assert.True(y.min().item<float>() >= 0 && y.max().item<float>() <= 1); // mean 0, std 1: values stay in [0, 1]
    }

    [Fact]
    public void Should_Repeat_When_SeedIsTheSame()
    {
        var aug = new BatchAugmenter(new AugmentationOptions { Pipeline = AugmentationPipeline.V2 }, [0.5f], [0.25f]);
        using var x = Images(1);
        using var a = aug.Augment(x, new Generator(9));
        using var b = aug.Augment(x, new Generator(9));
        using var c = aug.Augment(x, new Generator(10));
        Assert.True(a.eq(b).all().item<bool>());
        Assert.False(a.eq(c).all().item<bool>());
    }

    [Fact]
    public void Should_DrawParametersPerSample_When_BatchHasIdenticalImages()
    {
        var aug = new BatchAugmenter(new AugmentationOptions(), [0f], [1f]);
        using var one = Images(1).narrow(0, 0, 1);
        using var x = one.expand(4, 1, 28, 28).contiguous();
        using var y = aug.Augment(x, new Generator(2));
        Assert.False(y[0].eq(y[1]).all().item<bool>());
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.0)]
    public void Should_TurnAConstantColourIntoItsLuma_When_GrayscaleIsCertain(double grayscaleProbability)
    {
        // A constant RGB image (200, 100, 50) with no jitter and no blur: cropping, resizing and flipping a constant image
        // changes nothing, so with grayscale every channel is the ITU-R 601 luma
        // (0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255 = (59.8 + 58.7 + 5.7) / 255 = 124.2 / 255,
        // then normalised per channel as (v - mean_c) / std_c. Without grayscale each channel keeps its own value.
        float[] mean = [0.1f, 0.2f, 0.3f], std = [0.5f, 0.25f, 0.2f];
        var options = new AugmentationOptions { GrayscaleProbability = grayscaleProbability, JitterProbability = 0, BlurProbability = 0 };
        var aug = new BatchAugmenter(options, mean, std);
        byte[] rgb = [200, 100, 50];
        using var x = tensor(rgb).view(1, 3, 1, 1).expand(3, 3, 6, 6).contiguous(); // [3, 3, 6, 6]
        using var y = aug.Augment(x, new Generator(4));
        var values = y.data<float>().ToArray();
        const double luma = (0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255;
        for (int i = 0; i < values.Length; i++)
        {
            int channel = i / 36 % 3;
            double v = grayscaleProbability == 1 ? luma : rgb[channel] / 255.0;
            Assert.Equal((v - mean[channel]) / std[channel], values[i], 4);
        }
    }

    [Fact]
    public void Should_Normalise_When_NotAugmenting()
    {
        var aug = new BatchAugmenter(new AugmentationOptions(), [0.5f], [0.5f]);
        using var x = tensor(new byte[] { 0, 255 }).view(1, 1, 1, 2);
        Assert.Equal(new float[] { -1, 1 }, aug.Plain(x).data<float>().ToArray());
    }
}
