namespace ProtoCL.Model;

/// <summary>Backbone depth.</summary>
public enum Architecture
{
    /// <summary>ResNet-18 (basic blocks 2-2-2-2).</summary>
    ResNet18,
    /// <summary>ResNet-50 (bottleneck blocks 3-4-6-3), the paper's backbone.</summary>
    ResNet50,
}

/// <summary>Encoder settings; defaults are the paper's (ResNet-50, 128-d, MoCo v1 linear head).</summary>
public sealed record EncoderOptions
{
    /// <summary>Backbone; ResNet-50 in the paper (Sec. 4).</summary>
    public Architecture Arch { get; init; } = Architecture.ResNet50;

    /// <summary>Channels of the first stage; 64 in torchvision's ResNets. Smaller values fit CPU budgets.</summary>
    public int Width { get; init; } = 64;

    /// <summary>Output embedding size; 128 in the paper and MoCo (low_dim = 128).</summary>
    public int Dim { get; init; } = 128;

    /// <summary>MLP projection head (Linear, ReLU, Linear) as PCL v2 / MoCo v2; off for v1.</summary>
    public bool Mlp { get; init; }

    /// <summary>Image channels: 3, the RGB ImageNet images main_pcl.py trains on (1 for grayscale; the trainer takes it from the data).</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Image side in pixels: 224, main_pcl.py's RandomResizedCrop(224) (the trainer takes it from the data); below 64 the CIFAR stem (3x3/1 conv, no max-pool) is used.</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>BatchNorm groups during training, the single-device stand-in for shuffled BN (MoCo demo uses 8).</summary>
    public int BnGroups { get; init; } = 8;

    /// <summary>True when the small-image stem applies.</summary>
    public bool CifarStem => ImageSize < 64;
}
