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
