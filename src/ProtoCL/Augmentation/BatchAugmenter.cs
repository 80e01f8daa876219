using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ProtoCL.Augmentation;

/// <summary>
/// The paper's augmentation, batched on tensors with per-sample random parameters from a seeded generator:
/// one affine_grid + grid_sample for random-resized-crop and flip of the whole batch, jitter by broadcasting,
/// blur as a grouped separable convolution. Grayscale images get brightness and contrast jitter only.
/// Output is normalised with the dataset's per-channel mean and std.
/// Known differences from torchvision's transforms in main_pcl.py (every committed result was made with them):
/// a crop drawn wider or taller than the image is clipped to the image side instead of redrawn (up to 10 times,
/// then a centre crop), and crops are not rounded to whole pixels; ColorJitter's four steps run in a fixed order
/// (brightness, contrast, saturation, hue) instead of a fresh random order per image; on one-channel images only
/// the clamps after brightness and contrast make the order matter.
/// </summary>
public sealed class BatchAugmenter
{
    private readonly AugmentationOptions _o;
    private readonly float[] _mean;
    private readonly float[] _std;

    public BatchAugmenter(AugmentationOptions options, float[] channelMean, float[] channelStd)
    {
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
        long b = images.shape[0], c = images.shape[1];
        var x = images.to_type(ScalarType.Float32).div_(255);            // [B, C, H, W]
        x = CropAndFlip(x, g);                                             // [B, C, H, W]
        // main_pcl.py's v1 list has RandomGrayscale before ColorJitter, v2's (aug-plus) after it.
        bool grayscaleFirst = _o.Pipeline == AugmentationPipeline.V1;
        if (grayscaleFirst) x = RandomGrayscale(x, g);                     // [B, C, H, W]
        var jitterOn = Bernoulli(b, _o.ResolvedJitterProbability, g);      // [B]
        x = c == 1 ? JitterGray(x, jitterOn, g) : JitterColour(x, jitterOn, g); // [B, C, H, W]
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

    /// <summary>RandomResizedCrop (area in [min, max] of the image, aspect ratio in [3/4, 4/3]) and horizontal flip.</summary>
    private Tensor CropAndFlip(Tensor x, Generator g) // [B, C, H, W]
    {
        long b = x.shape[0];
        var area = Uniform(b, _o.CropScaleMin, _o.CropScaleMax, g);        // [B]
        var logRatio = Uniform(b, Math.Log(3.0 / 4), Math.Log(4.0 / 3), g); // [B]
        var ratio = logRatio.exp();                                        // [B]
        var sw = (area * ratio).sqrt_().clamp_(max: 1.0);                  // [B] crop width / image width
        var sh = (area / ratio).sqrt_().clamp_(max: 1.0);                  // [B]
        var cx = (rand(b, generator: g) * 2 - 1) * (1 - sw);               // [B] centre in [-1+sw, 1-sw]
        var cy = (rand(b, generator: g) * 2 - 1) * (1 - sh);               // [B]
        var flip = where(Bernoulli(b, _o.FlipProbability, g), -1.0f, 1.0f); // [B]
        var zero = zeros(b);                                               // [B]
        var theta = stack([stack([sw * flip, zero, cx], 1), stack([zero, sh, cy], 1)], 1); // [B, 2, 3]
        var grid = F.affine_grid(theta, x.shape, align_corners: false);   // [B, H, W, 2]
        return F.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false); // [B, C, H, W]
    }

    private Tensor JitterGray(Tensor x, Tensor on, Generator g) // [B, 1, H, W]
    {
        long b = x.shape[0];
        var one = ones(b);                                                 // [B]
        var bright = where(on, Uniform(b, 1 - _o.Brightness, 1 + _o.Brightness, g), one).view(b, 1, 1, 1); // [B, 1, 1, 1]
        var contrast = where(on, Uniform(b, 1 - _o.Contrast, 1 + _o.Contrast, g), one).view(b, 1, 1, 1); // [B, 1, 1, 1]
        x = x.mul(bright).clamp_(0, 1);                                    // [B, 1, H, W]
        var mean = x.mean([1, 2, 3], keepdim: true);                       // [B, 1, 1, 1]
        return x.sub(mean).mul_(contrast).add_(mean).clamp_(0, 1);         // [B, 1, H, W]
    }

    private Tensor JitterColour(Tensor x, Tensor on, Generator g) // [B, 3, H, W]
    {
        long b = x.shape[0];
        var one = ones(b);                                                 // [B]
        var bright = where(on, Uniform(b, 1 - _o.Brightness, 1 + _o.Brightness, g), one).view(b, 1, 1, 1); // [B, 1, 1, 1]
        var contrast = where(on, Uniform(b, 1 - _o.Contrast, 1 + _o.Contrast, g), one).view(b, 1, 1, 1); // [B, 1, 1, 1]
        var sat = where(on, Uniform(b, 1 - _o.Saturation, 1 + _o.Saturation, g), one).view(b, 1, 1, 1); // [B, 1, 1, 1]
        var hue = where(on, Uniform(b, -_o.ResolvedHue, _o.ResolvedHue, g), zeros(b)); // [B] fraction of a turn
        x = x.mul(bright).clamp_(0, 1);                                    // [B, 3, H, W]
        var mean = Luma(x).mean([1, 2, 3], keepdim: true);                // [B, 1, 1, 1]
        x = x.sub(mean).mul_(contrast).add_(mean).clamp_(0, 1);            // [B, 3, H, W]
        var gray = Luma(x);                                                // [B, 1, H, W]
        x = x.sub(gray).mul_(sat).add_(gray).clamp_(0, 1);                 // [B, 3, H, W]
        return RotateHue(x, hue);                                          // [B, 3, H, W]
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
