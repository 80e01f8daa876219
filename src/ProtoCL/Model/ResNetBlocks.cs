using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProtoCL.Model;

/// <summary>ResNet basic block (two 3x3 convolutions), torchvision names conv1/bn1/conv2/bn2/downsample.</summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>Output channels = planes * Expansion.</summary>
    public const int Expansion = 1;
    private readonly ConvLayer conv1;
    private readonly SplitBatchNorm2d bn1;
    private readonly ConvLayer conv2;
    private readonly SplitBatchNorm2d bn2;
    private readonly nn.Module<Tensor, Tensor>? downsample;

    /// <summary>Builds the block; when the stride is not 1 or the channels change, the shortcut gets a strided 1x1 convolution and BatchNorm.</summary>
    /// <param name="inPlanes">Channels of the input.</param>
    /// <param name="planes">Channels of both 3x3 convolutions and of the output.</param>
    /// <param name="stride">Stride of the first 3x3 convolution and of the shortcut (2 halves the resolution).</param>
    /// <param name="bnGroups">Slices each <see cref="SplitBatchNorm2d"/> normalises a training batch in (1 = plain BatchNorm).</param>
    public BasicBlock(long inPlanes, long planes, long stride, int bnGroups) : base(nameof(BasicBlock))
    {
        conv1 = new ConvLayer(inPlanes, planes, 3, stride, 1);
        bn1 = new SplitBatchNorm2d(planes, bnGroups);
        conv2 = new ConvLayer(planes, planes, 3, 1, 1);
        bn2 = new SplitBatchNorm2d(planes, bnGroups);
        if (stride != 1 || inPlanes != planes * Expansion)
            downsample = nn.Sequential(new ConvLayer(inPlanes, planes * Expansion, 1, stride),
                                       new SplitBatchNorm2d(planes * Expansion, bnGroups));
        RegisterComponents();
    }

    /// <summary>ReLU of the two conv-BN stages (ReLU between them) plus the shortcut.</summary>
    /// <param name="x">Activations [N, inPlanes, H, W].</param>
    /// <returns>[N, planes, ceil(H / stride), ceil(W / stride)].</returns>
    public override Tensor forward(Tensor x) // [N, Cin, H, W] -> [N, planes, H/stride, W/stride]
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.relu(bn1.call(conv1.call(x)));             // [N, planes, H/stride, W/stride]
        y = bn2.call(conv2.call(y));                                      // [N, planes, H/stride, W/stride]
        var identity = downsample is null ? x : downsample.call(x);       // [N, planes, H/stride, W/stride]
        return nn.functional.relu(y.add_(identity)).MoveToOuterDisposeScope(); // [N, planes, H/stride, W/stride]
    }
}

/// <summary>ResNet bottleneck block (1x1, 3x3, 1x1; torchvision v1.5 puts the stride on the 3x3).</summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    /// <summary>Output channels = planes * Expansion.</summary>
    public const int Expansion = 4;
    private readonly ConvLayer conv1;
    private readonly SplitBatchNorm2d bn1;
    private readonly ConvLayer conv2;
    private readonly SplitBatchNorm2d bn2;
    private readonly ConvLayer conv3;
    private readonly SplitBatchNorm2d bn3;
    private readonly nn.Module<Tensor, Tensor>? downsample;

    /// <summary>Builds the block; when the stride is not 1 or the channels change, the shortcut gets a strided 1x1 convolution and BatchNorm.</summary>
    /// <param name="inPlanes">Channels of the input.</param>
    /// <param name="planes">Channels of the 1x1 and 3x3 convolutions; the output has planes x <see cref="Expansion"/>.</param>
    /// <param name="stride">Stride of the 3x3 convolution and of the shortcut (2 halves the resolution).</param>
    /// <param name="bnGroups">Slices each <see cref="SplitBatchNorm2d"/> normalises a training batch in (1 = plain BatchNorm).</param>
    public Bottleneck(long inPlanes, long planes, long stride, int bnGroups) : base(nameof(Bottleneck))
    {
        conv1 = new ConvLayer(inPlanes, planes, 1);
        bn1 = new SplitBatchNorm2d(planes, bnGroups);
        conv2 = new ConvLayer(planes, planes, 3, stride, 1);
        bn2 = new SplitBatchNorm2d(planes, bnGroups);
        conv3 = new ConvLayer(planes, planes * Expansion, 1);
        bn3 = new SplitBatchNorm2d(planes * Expansion, bnGroups);
        if (stride != 1 || inPlanes != planes * Expansion)
            downsample = nn.Sequential(new ConvLayer(inPlanes, planes * Expansion, 1, stride),
                                       new SplitBatchNorm2d(planes * Expansion, bnGroups));
        RegisterComponents();
    }

    /// <summary>ReLU of the 1x1, 3x3 and 1x1 conv-BN stages (ReLU between them) plus the shortcut.</summary>
    /// <param name="x">Activations [N, inPlanes, H, W].</param>
    /// <returns>[N, 4 x planes, ceil(H / stride), ceil(W / stride)].</returns>
    public override Tensor forward(Tensor x) // [N, Cin, H, W] -> [N, 4*planes, H/stride, W/stride]
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.relu(bn1.call(conv1.call(x)));             // [N, planes, H, W]
        y = nn.functional.relu(bn2.call(conv2.call(y)));                 // [N, planes, H/stride, W/stride]
        y = bn3.call(conv3.call(y));                                      // [N, 4*planes, H/stride, W/stride]
        var identity = downsample is null ? x : downsample.call(x);       // [N, 4*planes, H/stride, W/stride]
        return nn.functional.relu(y.add_(identity)).MoveToOuterDisposeScope(); // [N, 4*planes, H/stride, W/stride]
    }
}
