namespace ProtoCL.Augmentation;

/// <summary>Which of the paper's augmentation pipelines to use.</summary>
public enum AugmentationPipeline
{
    /// <summary>MoCo v1 / PCL v1: crop, grayscale p=0.2, colour jitter 0.4, flip.</summary>
    V1,
    /// <summary>MoCo v2 "aug-plus" / PCL v2: crop, jitter (0.4,0.4,0.4,0.1) p=0.8, grayscale p=0.2, blur p=0.5, flip.</summary>
    V2,
}

/// <summary>Augmentation settings; defaults are the paper's (METHOD.md, MoCo's main_moco.py).</summary>
public sealed record AugmentationOptions
{
    /// <summary>Pipeline: v1, main_pcl.py's default (MoCo v1's augmentation; its --aug-plus selects v2).</summary>
    public AugmentationPipeline Pipeline { get; init; } = AugmentationPipeline.V1;

    /// <summary>RandomResizedCrop area range (0.2, 1.0) as MoCo/PCL.</summary>
    public double CropScaleMin { get; init; } = 0.2;

    /// <summary>Upper end of the crop area range: 1.0 (main_pcl.py RandomResizedCrop(224, scale=(0.2, 1.)), v1 and v2).</summary>
    public double CropScaleMax { get; init; } = 1.0;

    /// <summary>Brightness jitter strength 0.4, factor drawn from [0.6, 1.4] (main_pcl.py ColorJitter(0.4, 0.4, 0.4, 0.4) in v1, (0.4, 0.4, 0.4, 0.1) in v2).</summary>
    public double Brightness { get; init; } = 0.4;

    /// <summary>Contrast jitter strength 0.4 (main_pcl.py ColorJitter's second value, v1 and v2).</summary>
    public double Contrast { get; init; } = 0.4;

    /// <summary>Saturation jitter strength 0.4, colour images only (main_pcl.py ColorJitter's third value, v1 and v2).</summary>
    public double Saturation { get; init; } = 0.4;

    /// <summary>Hue jitter: 0.4 in v1, 0.1 in v2, colour images only (main_pcl.py: ColorJitter(0.4, 0.4, 0.4, 0.4) without --aug-plus, ColorJitter(0.4, 0.4, 0.4, 0.1) with it).</summary>
    public double? Hue { get; init; }

    /// <summary>Probability of applying colour jitter: 1 in v1, 0.8 in v2 (main_pcl.py: plain ColorJitter without --aug-plus, RandomApply(..., p=0.8) with it).</summary>
    public double? JitterProbability { get; init; }

    /// <summary>Random grayscale probability 0.2, colour images only (main_pcl.py RandomGrayscale(p=0.2), v1 and v2).</summary>
    public double GrayscaleProbability { get; init; } = 0.2;

    /// <summary>Gaussian blur probability 0.5 in v2, 0 in v1 (main_pcl.py: RandomApply([GaussianBlur([.1, 2.])], p=0.5) with --aug-plus only).</summary>
    public double? BlurProbability { get; init; }

    /// <summary>Blur sigma range [0.1, 2.0] at 224 px (main_pcl.py GaussianBlur([.1, 2.]), MoCo v2); ProtoCL scales it by image side / 224, at least 0.5 px at the top, so a 28 px image is blurred as much relative to its size as a 224 px one.</summary>
    public double BlurSigmaMin { get; init; } = 0.1;

    /// <summary>Upper blur sigma at 224 px: 2.0 (main_pcl.py GaussianBlur([.1, 2.]) in v2).</summary>
    public double BlurSigmaMax { get; init; } = 2.0;

    /// <summary>Horizontal flip probability 0.5 (main_pcl.py RandomHorizontalFlip() at its default p, v1 and v2).</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>Hue jitter in effect: <see cref="Hue"/> when set, otherwise 0.4 for v1 and 0.1 for v2; each colour image's hue shift is drawn from [-value, value], in fractions of a full turn.</summary>
    public double ResolvedHue => Hue ?? (Pipeline == AugmentationPipeline.V1 ? 0.4 : 0.1);
    /// <summary>Probability (0 to 1) that an image is colour-jittered: <see cref="JitterProbability"/> when set, otherwise 1 for v1 and 0.8 for v2.</summary>
    public double ResolvedJitterProbability => JitterProbability ?? (Pipeline == AugmentationPipeline.V1 ? 1.0 : 0.8);
    /// <summary>Probability (0 to 1) that an image is Gaussian-blurred: <see cref="BlurProbability"/> when set, otherwise 0 for v1 and 0.5 for v2; at 0 the blur step is skipped.</summary>
    public double ResolvedBlurProbability => BlurProbability ?? (Pipeline == AugmentationPipeline.V1 ? 0.0 : 0.5);
}
