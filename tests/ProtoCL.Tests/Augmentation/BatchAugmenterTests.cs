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

    [Theory]
    [InlineData(AugmentationPipeline.V1)]
    [InlineData(AugmentationPipeline.V2)]
    public void Should_ApplyGrayscaleBeforeJitterInV1AndAfterInV2_When_BrightnessSaturatesAChannel(AugmentationPipeline pipeline)
    {
        // A constant image (255, 51, 51) = (1, 0.2, 0.2), certain grayscale, brightness jitter only (factor f in [0.6, 1.4]).
        // Luma first (v1, main_pcl.py's order): 0.299 + 0.587 * 0.2 + 0.114 * 0.2 = 0.4392, then times f: up to 0.6149.
        // Jitter first (v2): red clamps at 1 when f > 1, so the luma is at most 0.299 + (0.587 + 0.114) * 0.2 * 1.4 = 0.4953.
        var options = new AugmentationOptions
        {
            Pipeline = pipeline, GrayscaleProbability = 1, JitterProbability = 1, BlurProbability = 0,
            Brightness = 0.4, Contrast = 0, Saturation = 0, Hue = 0,
        };
        var aug = new BatchAugmenter(options, [0f, 0f, 0f], [1f, 1f, 1f]);
        byte[] rgb = [255, 51, 51];
        using var x = tensor(rgb).view(1, 3, 1, 1).expand(64, 3, 4, 4).contiguous(); // [64, 3, 4, 4]
        using var y = aug.Augment(x, new Generator(8));                   // [64, 3, 4, 4]
        var v = y.data<float>().ToArray();
        double max = 0;
        for (int i = 0; i < 64; i++)
        {
            double first = v[i * 48];
            for (int j = 1; j < 48; j++) Assert.Equal(first, v[i * 48 + j], 4); // gray: every channel and pixel equal
            max = Math.Max(max, first);
        }
        // 64 factors uniform in [0.6, 1.4] all stay below 1.15 with probability 0.6875^64 < 1e-10.
        if (pipeline == AugmentationPipeline.V1) Assert.InRange(max, 0.4392 * 1.15, 0.4392 * 1.4 + 1e-4);
        else Assert.InRange(max, 0.4392, 0.4953 + 1e-4);
    }

    [Fact]
    public void Should_Normalise_When_NotAugmenting()
    {
        var aug = new BatchAugmenter(new AugmentationOptions(), [0.5f], [0.5f]);
        using var x = tensor(new byte[] { 0, 255 }).view(1, 1, 1, 2);
        Assert.Equal(new float[] { -1, 1 }, aug.Plain(x).data<float>().ToArray());
    }
}
