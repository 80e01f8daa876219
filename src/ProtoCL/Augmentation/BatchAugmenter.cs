using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ProtoCL.Augmentation;

/// <summary>
/// The paper's augmentation, batched on tensors with per-sample random parameters from a seeded generator:
/// one affine_grid + grid_sample for random-resized-crop and flip of the whole batch, jitter by broadcasting,
/// blur as a grouped separable convolution. Grayscale images get brightness and contrast jitter only.
/// Output is normalised with the dataset's per-channel mean and std.
/// Crops are drawn as torchvision's RandomResizedCrop draws them (whole pixels, up to 10 tries, then a centre crop) and
/// ColorJitter's steps run in a random order per image, as in main_pcl.py (training revision 4; results made before it
/// clipped oversized crops to the image side and ran the jitter in a fixed order). What still differs: hue is a
/// rotation in YIQ space rather than HSV, and the resize is bilinear without antialiasing (the crop is always resized
/// up to the image size, where antialiasing does nothing).
/// </summary>
public sealed class BatchAugmenter
{
    private readonly AugmentationOptions _o;
    private readonly float[] _mean;
    private readonly float[] _std;

    /// <summary>An augmenter with <paramref name="options"/> that normalises each channel c as (x - mean[c]) / std[c], x in [0, 1].</summary>
    /// <param name="options">The augmentation pipeline's settings.</param>
    /// <param name="channelMean">Per-channel mean of the training images (1 or 3 values).</param>
    /// <param name="channelStd">Per-channel standard deviation, each positive (as many values as the mean).</param>
    public BatchAugmenter(AugmentationOptions options, float[] channelMean, float[] channelStd)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(channelMean);
        ArgumentNullException.ThrowIfNull(channelStd);
        if (channelMean.Length == 0 || channelMean.Length != channelStd.Length)
            throw new ArgumentException($"channelMean and channelStd need one value per channel, as many of each (got {channelMean.Length} and {channelStd.Length})", nameof(channelStd));
        if (channelStd.Any(v => !(v > 0) || float.IsInfinity(v)) || channelMean.Any(v => !float.IsFinite(v)))
            throw new ArgumentException($"channelStd must be positive and finite, channelMean finite (got mean [{string.Join(", ", channelMean)}], std [{string.Join(", ", channelStd)}])", nameof(channelStd));
        _o = options;
        _mean = channelMean;
        _std = channelStd;
    }

    /// <summary>uint8 [B, C, H, W] -> normalised float [B, C, H, W] without augmentation (E-step, evaluation): the whole
    /// image, as MoCo's CIFAR demo evaluates small images; main_pcl.py's ImageNet eval transform is Resize(256) + CenterCrop(224).</summary>
    public Tensor Plain(Tensor images)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = images.to_type(ScalarType.Float32).div_(255);            // [B, C, H, W] in [0, 1]
        return Normalise(x).MoveToOuterDisposeScope();                     // [B, C, H, W]
    }

    /// <summary>uint8 [B, C, H, W] -> one augmented, normalised view [B, C, H, W].</summary>
    public Tensor Augment(Tensor images, Generator g)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long b = images.shape[0];
        var x = images.to_type(ScalarType.Float32).div_(255);            // [B, C, H, W]
        x = CropAndFlip(x, g);                                             // [B, C, H, W]
        // main_pcl.py's v1 list has RandomGrayscale before ColorJitter, v2's (aug-plus) after it.
        bool grayscaleFirst = _o.Pipeline == AugmentationPipeline.V1;
        if (grayscaleFirst) x = RandomGrayscale(x, g);                     // [B, C, H, W]
        var jitterOn = Bernoulli(b, _o.ResolvedJitterProbability, g);      // [B]
        x = ColorJitter(x, jitterOn, g);                                   // [B, C, H, W]
        if (!grayscaleFirst) x = RandomGrayscale(x, g);                    // [B, C, H, W]
        if (_o.ResolvedBlurProbability > 0) x = Blur(x, g);                // [B, C, H, W]
        return Normalise(x.clamp_(0, 1)).MoveToOuterDisposeScope();        // [B, C, H, W]
    }

    /// <summary>Colour images become their luma in all three channels with probability GrayscaleProbability; one channel passes.</summary>
    private Tensor RandomGrayscale(Tensor x, Generator g) // [B, C, H, W]
    {
        long b = x.shape[0], c = x.shape[1];
        if (c != 3 || _o.GrayscaleProbability <= 0) return x;
        var gray = Luma(x).expand(b, 3, x.shape[2], x.shape[3]);          // [B, 3, H, W]
        var on = Bernoulli(b, _o.GrayscaleProbability, g).view(b, 1, 1, 1); // [B, 1, 1, 1] bool
        return where(on, gray, x);                                         // [B, 3, H, W]
    }

    private Tensor Normalise(Tensor x) // [B, C, H, W]
    {
        long c = x.shape[1];
        var mean = tensor(_mean.Take((int)c).ToArray()).view(1, c, 1, 1);  // [1, C, 1, 1]
        var std = tensor(_std.Take((int)c).ToArray()).view(1, c, 1, 1);    // [1, C, 1, 1]
        return x.sub_(mean).div_(std);                                     // [B, C, H, W]
    }

    private static Tensor Uniform(long n, double lo, double hi, Generator g) => rand(n, generator: g).mul_(hi - lo).add_(lo); // [n]

    private static Tensor Bernoulli(long n, double p, Generator g) => rand(n, generator: g).lt(p); // [n] bool

    /// <summary>Tries per image before RandomResizedCrop falls back to a centre crop (torchvision's get_params: 10).</summary>
    internal const int CropTries = 10;

    /// <summary>RandomResizedCrop's smallest and largest aspect ratio, w / h (torchvision's default (3/4, 4/3), kept by main_pcl.py).</summary>
    internal const double RatioMin = 3.0 / 4, RatioMax = 4.0 / 3;

    /// <summary>RandomResizedCrop (whole-pixel boxes as torchvision draws them) and horizontal flip, resized back to the
    /// image size with bilinear interpolation.</summary>
    private Tensor CropAndFlip(Tensor x, Generator g) // [B, C, H, W]
    {
        long b = x.shape[0];
        var areaU = rand(b, CropTries, generator: g);                       // [B, T] uniform draws for the area
        var ratioU = rand(b, CropTries, generator: g);                      // [B, T] uniform draws for the log aspect ratio
        var offsetU = rand(b, 2, generator: g);                             // [B, 2] uniform draws for the top and left offsets
        var boxes = CropBoxes(areaU, ratioU, offsetU, (int)x.shape[2], (int)x.shape[3]); // [B, 4] top, left, height, width
        var flip = Bernoulli(b, _o.FlipProbability, g);                    // [B] bool
        return ResizedCrop(x, boxes, flip);                                // [B, C, H, W]
    }

    /// <summary>
    /// torchvision's RandomResizedCrop.get_params on whole batches, from uniform draws in [0, 1): per image, up to
    /// <see cref="CropTries"/> tries of an area (CropScaleMin..CropScaleMax of the image) and a log-uniform aspect ratio,
    /// rounded to whole pixels; the first box that fits wins and its top-left corner is a uniform whole pixel; when none
    /// fits, the largest centred box whose ratio is within [3/4, 4/3]. Returns [B, 4] (top, left, height, width) as float.
    /// </summary>
    internal Tensor CropBoxes(Tensor areaU, Tensor ratioU, Tensor offsetU, int height, int width) // [B, T], [B, T], [B, 2]
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long b = areaU.shape[0], tries = areaU.shape[1];
        double imageArea = (double)height * width;
        var area = areaU.to_type(ScalarType.Float64).mul(_o.CropScaleMax - _o.CropScaleMin).add_(_o.CropScaleMin).mul_(imageArea); // [B, T] pixels
        var logRatio = ratioU.to_type(ScalarType.Float64).mul(Math.Log(RatioMax) - Math.Log(RatioMin)).add_(Math.Log(RatioMin)); // [B, T]
        var ratio = logRatio.exp();                                        // [B, T]
        var w = (area * ratio).sqrt_().round_();                           // [B, T] whole pixels, half to even as Python's round
        var h = (area / ratio).sqrt_().round_();                           // [B, T]
        var fits = w.gt(0).logical_and_(w.le(width)).logical_and_(h.gt(0)).logical_and_(h.le(height)); // [B, T] bool
        var rank = fits.to_type(ScalarType.Float64).mul_(arange(tries, 0, -1, dtype: ScalarType.Float64)); // [B, T]: earlier fitting tries rank higher
        var first = rank.argmax(1, keepdim: true);                         // [B, 1] the first try that fits
        var any = fits.any(1);                                             // [B] bool
        var (fallbackH, fallbackW) = CentreCropSize(height, width);
        var boxW = where(any, w.gather(1, first).squeeze(1), fallbackW);   // [B]
        var boxH = where(any, h.gather(1, first).squeeze(1), fallbackH);   // [B]
        var u = offsetU.to_type(ScalarType.Float64);                       // [B, 2]
        var top = where(any, u[.., 0].mul(boxH.neg().add(height + 1)).floor_(), boxH.neg().add(height).div(2).floor_()); // [B] randint(0, H - h + 1) or (H - h) // 2
        var left = where(any, u[.., 1].mul(boxW.neg().add(width + 1)).floor_(), boxW.neg().add(width).div(2).floor_()); // [B]
        return stack([top, left, boxH, boxW], 1).to_type(ScalarType.Float32).MoveToOuterDisposeScope(); // [B, 4]
    }

    /// <summary>torchvision's fallback box: the whole image when its aspect ratio is within [3/4, 4/3], else the
    /// largest centred box at the nearer end of that range.</summary>
    internal static (double Height, double Width) CentreCropSize(int height, int width)
    {
        double inRatio = (double)width / height;
        if (inRatio < RatioMin) return (Math.Round(width / RatioMin, MidpointRounding.ToEven), width);
        if (inRatio > RatioMax) return (height, Math.Round(height * RatioMax, MidpointRounding.ToEven));
        return (height, width);
    }

    /// <summary>Each image's box (top, left, height, width in pixels) resized to the whole image with bilinear
    /// interpolation (as torch's resize, align_corners false), mirrored left-right where flip is set.</summary>
    internal static Tensor ResizedCrop(Tensor x, Tensor boxes, Tensor flip) // x [B, C, H, W], boxes [B, 4], flip [B] bool
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long b = x.shape[0];
        double height = x.shape[2], width = x.shape[3];
        var top = boxes[.., 0]; var left = boxes[.., 1];                   // [B], [B]
        var boxH = boxes[.., 2]; var boxW = boxes[.., 3];                  // [B], [B]
        var sx = boxW / width;                                             // [B] box width / image width
        var sy = boxH / height;                                            // [B]
        var cx = (left * 2 + boxW) / width - 1;                            // [B] box centre in [-1, 1]
        var cy = (top * 2 + boxH) / height - 1;                            // [B]
        var sign = where(flip, -1.0f, 1.0f);                               // [B]
        var zero = zeros(b);                                               // [B]
        var theta = stack([stack([sx * sign, zero, cx], 1), stack([zero, sy, cy], 1)], 1); // [B, 2, 3]
        var grid = F.affine_grid(theta, x.shape, align_corners: false);   // [B, H, W, 2]
        return F.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false).MoveToOuterDisposeScope(); // [B, C, H, W]
    }

    /// <summary>ColorJitter where <paramref name="on"/> is set, with factors drawn from <paramref name="g"/>; x in [0, 1].</summary>
    internal Tensor ColorJitter(Tensor x, Tensor on, Generator g) => x.shape[1] == 1 ? JitterGray(x, on, g) : JitterColour(x, on, g); // [B, C, H, W], on [B] bool

    /// <summary>ColorJitter on one channel: brightness and contrast (saturation and hue leave gray images as they are),
    /// in a random order per image as torchvision's randperm over the four steps leaves them.</summary>
    private Tensor JitterGray(Tensor x, Tensor on, Generator g) // [B, 1, H, W]
    {
        long b = x.shape[0];
        var one = ones(b);                                                 // [B]
        var bright = where(on, Uniform(b, 1 - _o.Brightness, 1 + _o.Brightness, g), one).view(b, 1, 1, 1); // [B, 1, 1, 1]
        var contrast = where(on, Uniform(b, 1 - _o.Contrast, 1 + _o.Contrast, g), one).view(b, 1, 1, 1); // [B, 1, 1, 1]
        var contrastFirst = Bernoulli(b, 0.5, g).view(b, 1, 1, 1);         // [B, 1, 1, 1] bool
        var brightThenContrast = Contrast(Brightness(x, bright), contrast, colour: false); // [B, 1, H, W]
        var contrastThenBright = Brightness(Contrast(x, contrast, colour: false), bright); // [B, 1, H, W]
        return where(contrastFirst, contrastThenBright, brightThenContrast); // [B, 1, H, W]
    }

    /// <summary>ColorJitter on colour images: brightness, contrast, saturation and hue, each image's four steps in its
    /// own random order (torchvision's ColorJitter draws a permutation per call).</summary>
    private Tensor JitterColour(Tensor x, Tensor on, Generator g) // [B, 3, H, W]
    {
        long b = x.shape[0];
        var one = ones(b);                                                 // [B]
        var bright = where(on, Uniform(b, 1 - _o.Brightness, 1 + _o.Brightness, g), one).view(b, 1, 1, 1); // [B, 1, 1, 1]
        var contrast = where(on, Uniform(b, 1 - _o.Contrast, 1 + _o.Contrast, g), one).view(b, 1, 1, 1); // [B, 1, 1, 1]
        var sat = where(on, Uniform(b, 1 - _o.Saturation, 1 + _o.Saturation, g), one).view(b, 1, 1, 1); // [B, 1, 1, 1]
        var hue = where(on, Uniform(b, -_o.ResolvedHue, _o.ResolvedHue, g), zeros(b)); // [B] fraction of a turn
        var order = rand(b, 4, generator: g).argsort(1);                   // [B, 4] a uniform permutation of the steps per image
        x = x.clone();                                                     // [B, 3, H, W], written in place below
        for (int position = 0; position < 4; position++)
            for (int op = 0; op < 4; op++)
            {
                using var step = NewDisposeScope();                        // this step's copies go as soon as they are written back
                // Each image takes one step per position: apply each step to its own images only.
                var idx = order[.., position].eq(op).nonzero().squeeze(1);  // [n] images whose step here is op
                if (idx.numel() == 0) continue;
                var part = x.index_select(0, idx);                         // [n, 3, H, W]
                part = op switch
                {
                    0 => Brightness(part, bright.index_select(0, idx)),    // [n, 3, H, W]
                    1 => Contrast(part, contrast.index_select(0, idx), colour: true),
                    2 => Saturation(part, sat.index_select(0, idx)),
                    _ => RotateHue(part, hue.index_select(0, idx)),
                };
                x.index_copy_(0, idx, part);                               // [B, 3, H, W]; the groups are disjoint
            }
        return x;
    }

    /// <summary>Brightness: the image times the factor, clamped to [0, 1].</summary>
    private static Tensor Brightness(Tensor x, Tensor factor) => x.mul(factor).clamp_(0, 1); // [B, C, H, W], factor [B, 1, 1, 1]

    /// <summary>Contrast: blend with the mean of the image's gray level (its luma for colour), clamped to [0, 1].</summary>
    private static Tensor Contrast(Tensor x, Tensor factor, bool colour) // [B, C, H, W], factor [B, 1, 1, 1]
    {
        var mean = (colour ? Luma(x) : x).mean([1, 2, 3], keepdim: true);  // [B, 1, 1, 1]
        return x.sub(mean).mul_(factor).add_(mean).clamp_(0, 1);           // [B, C, H, W]
    }

    /// <summary>Saturation: blend with the image's luma, clamped to [0, 1].</summary>
    private static Tensor Saturation(Tensor x, Tensor factor) // [B, 3, H, W], factor [B, 1, 1, 1]
    {
        var gray = Luma(x);                                                // [B, 1, H, W]
        return x.sub(gray).mul_(factor).add_(gray).clamp_(0, 1);           // [B, 3, H, W]
    }

    /// <summary>ITU-R 601 luma, as PIL's convert("L"): [B, 3, H, W] -> [B, 1, H, W].</summary>
    private static Tensor Luma(Tensor x)
    {
        var wts = tensor(new[] { 0.299f, 0.587f, 0.114f }).view(1, 3, 1, 1); // [1, 3, 1, 1]
        return (x * wts).sum(1, keepdim: true);                            // [B, 1, H, W]
    }

    /// <summary>Hue shift as a rotation of the chroma plane in YIQ space (a close, vectorisable stand-in for HSV hue).</summary>
    private static Tensor RotateHue(Tensor x, Tensor hue) // x [B, 3, H, W], hue [B]
    {
        long b = x.shape[0];
        var toYiq = tensor(new float[] { 0.299f, 0.587f, 0.114f, 0.596f, -0.274f, -0.322f, 0.211f, -0.523f, 0.312f }).view(3, 3); // [3, 3]
        var fromYiq = linalg.inv(toYiq);                                   // [3, 3]
        var angle = hue * (2 * Math.PI);                                   // [B]
        var cos = angle.cos(); var sin = angle.sin();                      // [B], [B]
        var one = ones(b); var zero = zeros(b);                            // [B], [B]
        var rot = stack([one, zero, zero, zero, cos, -sin, zero, sin, cos], 1).view(b, 3, 3); // [B, 3, 3]
        var m = fromYiq.unsqueeze(0).matmul(rot).matmul(toYiq.unsqueeze(0)); // [B, 3, 3]
        var flat = x.view(b, 3, -1);                                       // [B, 3, H*W]
        return m.bmm(flat).view(x.shape).clamp_(0, 1);                     // [B, 3, H, W]
    }

    /// <summary>Per-sample Gaussian blur (v2), separable, with sigma scaled to the image size.</summary>
    private Tensor Blur(Tensor x, Generator g) // [B, C, H, W]
    {
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        double scale = h / 224.0;
        double sMax = Math.Max(_o.BlurSigmaMax * scale, 0.5), sMin = Math.Min(_o.BlurSigmaMin * scale, sMax);
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sMax));
        var sigma = Uniform(b, sMin, sMax, g);                             // [B]
        var on = Bernoulli(b, _o.ResolvedBlurProbability, g);              // [B]
        var offs = arange(-radius, radius + 1, dtype: ScalarType.Float32); // [2r+1]
        var kern = (-(offs.pow(2).unsqueeze(0)) / (2 * sigma.pow(2).unsqueeze(1))).exp_(); // [B, 2r+1]
        kern = kern / kern.sum(1, keepdim: true);                          // [B, 2r+1], each row sums to 1
        var delta = zeros(2 * radius + 1); delta[radius] = tensor(1.0f);   // [2r+1], the identity kernel
        kern = where(on.unsqueeze(1), kern, delta.unsqueeze(0));           // [B, 2r+1]: identity where off
        var kc = kern.repeat_interleave(c, dim: 0);                        // [B*C, 2r+1]
        var y = x.reshape(1, b * c, h, w);                                 // [1, B*C, H, W]
        y = F.pad(y, [radius, radius, radius, radius], PaddingModes.Reflect); // [1, B*C, H+2r, W+2r]
        y = F.conv2d(y, kc.view(b * c, 1, 1, -1), groups: b * c);          // [1, B*C, H+2r, W] horizontal
        y = F.conv2d(y, kc.view(b * c, 1, -1, 1), groups: b * c);          // [1, B*C, H, W] vertical
        return y.view(b, c, h, w);                                         // [B, C, H, W]
    }
}
