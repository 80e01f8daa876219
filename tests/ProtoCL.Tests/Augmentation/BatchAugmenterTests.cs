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

    // ---- RandomResizedCrop as torchvision's get_params draws it ----

    private static BatchAugmenter CropAugmenter(double scaleMin, double scaleMax) =>
        new(new AugmentationOptions { CropScaleMin = scaleMin, CropScaleMax = scaleMax }, [0f], [1f]);

    private static float[] Box(Tensor boxes, int row) => boxes[row].data<float>().ToArray();

    [Fact]
    public void Should_TakeTheFirstTryThatFits_When_EarlierTriesAreTooLarge()
    {
        // 28 x 28, area 50-100 %. Try 1: area 0.5 + 0.5 * 0.96 = 0.98 of 784, ratio e^(log 4/3) = 4/3:
        // w = round(sqrt(768.32 * 4/3)) = round(32.006) = 32 > 28, does not fit.
        // Try 2: area 0.5 * 784 = 392, ratio e^0 = 1: w = h = round(19.799) = 20, fits.
        // Try 3 (area 0.75, ratio 1: 24 x 24) would fit too but comes later.
        // Corner: top = floor(0.5 * (28 - 20 + 1)) = 4, left = floor(0.99 * 9) = 8.
        var aug = CropAugmenter(0.5, 1.0);
        var areaU = new float[10]; var ratioU = new float[10];
        areaU[0] = 0.96f; ratioU[0] = 1f; areaU[1] = 0f; ratioU[1] = 0.5f; areaU[2] = 0.5f; ratioU[2] = 0.5f;
        for (int t = 3; t < 10; t++) { areaU[t] = 0.2f; ratioU[t] = 0.5f; }
        using var boxes = aug.CropBoxes(tensor(areaU).view(1, 10), tensor(ratioU).view(1, 10), tensor(new[] { 0.5f, 0.99f }).view(1, 2), 28, 28);
        Assert.Equal(new float[] { 4, 8, 20, 20 }, Box(boxes, 0));
    }

    [Theory]
    [InlineData(28, 28, 1f, 0, 0, 28, 28)]   // square: no try fits (w = round(sqrt(784 * 4/3)) = 32), the whole image
    [InlineData(20, 40, 1f, 0, 6, 20, 27)]   // wide (ratio 2 > 4/3): h = 20, w = round(20 * 4/3) = 27, left = (40 - 27) // 2 = 6
    [InlineData(40, 20, 0f, 6, 0, 27, 20)]   // tall (ratio 1/2 < 3/4): w = 20, h = round(20 / 0.75) = 27, top = (40 - 27) // 2 = 6
    public void Should_FallBackToACentredBox_When_NoTryFits(int height, int width, float ratioDraw, float top, float left, float h, float w)
    {
        // Every try draws the whole image's area; at the drawn ratio (4/3 for ratioDraw 1, 3/4 for 0) the box is too
        // large on one side: square 32 x 24 > 28; wide: area 800, 4/3 gives h = round(sqrt(600)) = 24 > 20;
        // tall: 3/4 gives w = round(sqrt(600)) = 24 > 20.
        var aug = CropAugmenter(1.0, 1.0);
        using var areaU = full(1, 10, 0.5f);
        using var ratioU = full(1, 10, ratioDraw);
        using var boxes = aug.CropBoxes(areaU, ratioU, full(1, 2, 0.7f), height, width);
        Assert.Equal(new[] { top, left, h, w }, Box(boxes, 0));
    }

    [Theory]
    [InlineData(28, 28, 0.2, 1.0)]
    [InlineData(28, 28, 0.5, 1.0)]
    [InlineData(17, 40, 0.08, 1.0)]
    public void Should_DrawTheSameBoxesAsAPlainLoop_When_GivenTheSameUniformDraws(int height, int width, double scaleMin, double scaleMax)
    {
        // torchvision.transforms.RandomResizedCrop.get_params written out per image with plain doubles.
        const int n = 500;
        var aug = CropAugmenter(scaleMin, scaleMax);
        using var g = new Generator(11);
        using var areaU = rand(n, 10, generator: g);
        using var ratioU = rand(n, 10, generator: g);
        using var offsetU = rand(n, 2, generator: g);
        using var boxes = aug.CropBoxes(areaU, ratioU, offsetU, height, width);
        var a = areaU.data<float>().ToArray(); var r = ratioU.data<float>().ToArray(); var o = offsetU.data<float>().ToArray();
        var got = boxes.data<float>().ToArray();
        int fallbacks = 0, fullSide = 0;
        for (int i = 0; i < n; i++)
        {
            double bh = -1, bw = -1, top = 0, left = 0;
            for (int t = 0; t < 10 && bh < 0; t++)
            {
                double area = height * width * (scaleMin + (scaleMax - scaleMin) * a[i * 10 + t]);
                double ratio = Math.Exp(Math.Log(0.75) + (Math.Log(4.0 / 3) - Math.Log(0.75)) * r[i * 10 + t]);
                double cw = Math.Round(Math.Sqrt(area * ratio), MidpointRounding.ToEven), ch = Math.Round(Math.Sqrt(area / ratio), MidpointRounding.ToEven);
                if (cw > 0 && cw <= width && ch > 0 && ch <= height)
                {
                    bh = ch; bw = cw;
                    top = Math.Floor(o[i * 2] * (height - ch + 1));
                    left = Math.Floor(o[i * 2 + 1] * (width - cw + 1));
                }
            }
            if (bh < 0)
            {
                fallbacks++;
                double inRatio = (double)width / height;
                if (inRatio < 0.75) { bw = width; bh = Math.Round(bw / 0.75); }
                else if (inRatio > 4.0 / 3) { bh = height; bw = Math.Round(bh * 4.0 / 3); }
                else { bw = width; bh = height; }
                top = Math.Floor((height - bh) / 2); left = Math.Floor((width - bw) / 2);
            }
            if (bw == width || bh == height) fullSide++;
            Assert.Equal(new[] { top, left, bh, bw }, got.Skip(i * 4).Take(4).Select(v => (double)v).ToArray());
        }
        // At these scales the draws rarely run out of tries, and boxes are not piled up at the image side as clipping would do.
        Assert.InRange(fallbacks, 0, n / 20);
        if (width == height) Assert.InRange(fullSide, 0, n / 5);
    }

    [Fact]
    public void Should_ResizeEachBoxToTheImageBilinearly_When_CroppingAndFlipping()
    {
        // A 28 x 28 image whose value is its column index. Row 0: the whole image, unflipped -> itself.
        // Row 1: the top-left 14 x 14 box: output column k samples input column (k + 0.5) * 14 / 28 - 0.5 = k / 2 - 0.25,
        // clamped to the border (column 0 for k = 0), so the value is max(k / 2 - 0.25, 0).
        // Row 2: the same box flipped: output column k is row 1's column 27 - k.
        // Row 3: box at top 3, left 5, 10 x 20: column k samples 5 + (k + 0.5) * 20 / 28 - 0.5.
        using var cols = arange(28, dtype: ScalarType.Float32).view(1, 1, 1, 28).expand(4, 1, 28, 28).contiguous(); // [4, 1, 28, 28]
        using var boxes = tensor(new float[] { 0, 0, 28, 28, 0, 0, 14, 14, 0, 0, 14, 14, 3, 5, 10, 20 }).view(4, 4);
        using var flip = tensor(new[] { false, false, true, false });
        using var y = BatchAugmenter.ResizedCrop(cols, boxes, flip);       // [4, 1, 28, 28]
        var v = y.data<float>().ToArray();
        for (int row = 0; row < 28; row++)
            for (int k = 0; k < 28; k++)
            {
                double half = Math.Max(k / 2.0 - 0.25, 0), halfFlipped = Math.Max((27 - k) / 2.0 - 0.25, 0);
                double box = 5 + (k + 0.5) * 20 / 28 - 0.5;
                Assert.Equal(k, v[0 * 784 + row * 28 + k], 4);
                Assert.Equal(half, v[1 * 784 + row * 28 + k], 4);
                Assert.Equal(halfFlipped, v[2 * 784 + row * 28 + k], 4);
                Assert.Equal(box, v[3 * 784 + row * 28 + k], 4);
            }
    }

    // ---- ColorJitter's random order ----

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Should_RunBrightnessAndContrastInBothOrders_When_Jittering(int channels)
    {
        // Two-pixel gray images (0, 1): the order of brightness (factor b) and contrast (factor c) shows only through the
        // clamps. Brightness first: (0, min(b, 1)), then contrast around its mean: when the low pixel stays above 0
        // (c < 1), the two pixels sum to min(b, 1) <= 1 exactly. Contrast first: (0.5 - 0.5c, 0.5 + 0.5c), then times b:
        // the sum is b, above 1 whenever b > 1 (and then low > 0, high < 1 when b (0.5 + 0.5c) < 1).
        // So an output with 0 < low, high < 1 and a sum above 1 comes only from contrast first, and a sum of exactly 1
        // with 0 < low, high < 1 only from brightness first with b >= 1 (contrast first gives it only at b = 1).
        const int n = 2000;
        var options = new AugmentationOptions { Brightness = 0.4, Contrast = 0.4, Saturation = 0.4, Hue = 0 };
        var aug = new BatchAugmenter(options, [0f, 0f, 0f], [1f, 1f, 1f]);
        using var x = tensor(new float[] { 0, 1 }).view(1, 1, 1, 2).expand(n, channels, 1, 2).contiguous(); // [n, C, 1, 2]
        using var on = ones(n, dtype: ScalarType.Bool);
        using var y = aug.ColorJitter(x, on, new Generator(3));           // [n, C, 1, 2]
        var v = y.data<float>().ToArray();
        int contrastFirst = 0, brightnessFirst = 0;
        for (int i = 0; i < n; i++)
        {
            double low = v[i * channels * 2], high = v[i * channels * 2 + 1];
            if (low <= 1e-4 || high >= 1 - 1e-4) continue;
            if (low + high > 1 + 1e-3) contrastFirst++;
            else if (Math.Abs(low + high - 1) < 1e-5) brightnessFirst++;
        }
        // Brightness first's signature: order 1/2, b >= 1 1/2, c < 1 1/2: 1/8 per image, about 250 expected.
        // Contrast first's: order 1/2 times P(c < 1, 1 < b < 2 / (1 + c)) = (2 ln 1.25 - 0.4) / 0.64 = 0.0723: about 72.
        Assert.InRange(contrastFirst, 30, n);
        Assert.InRange(brightnessFirst, 150, n);
    }
}
