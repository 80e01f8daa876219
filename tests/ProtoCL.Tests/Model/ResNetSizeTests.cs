using ProtoCL.Model;

namespace ProtoCL.Tests.Model;

/// <summary><see cref="ResNetSize"/> against hand counts and against the built encoder's own parameters.</summary>
[Collection("torch")]
public class ResNetSizeTests
{
    private static readonly EncoderOptions Basic = new() { Arch = Architecture.ResNet18, Width = 2, InChannels = 1, ImageSize = 8, Dim = 8, BnGroups = 1 };
    private static readonly EncoderOptions Bottle = new() { Arch = Architecture.ResNet50, Width = 1, InChannels = 1, ImageSize = 64, Dim = 8, BnGroups = 1 };

    [Fact]
    public void Should_CountEveryConvolutionOutput_When_WalkingTheLayout()
    {
        // ResNet-18, width 2, 8 x 8, CIFAR stem: stem 2x8x8 = 128; layer1 four convs of 2x8x8 = 512; layer2 (4 ch, 4x4)
        // five convs with the shortcut = 320; layer3 (8 ch, 2x2) 5 x 32 = 160; layer4 (16 ch, 1x1) 5 x 16 = 80.
        Assert.Equal(128 + 512 + 320 + 160 + 80, ResNetSize.ConvOutputs(Basic, 8, 8));
        // ResNet-50, width 1, 64 x 64, ImageNet stem: 7x7/2 conv 1x32x32 = 1024, max-pool 1x16x16 = 256;
        // layer1 (16x16): 256 + 256 + 1024 + 1024 (shortcut), then 2 x (256 + 256 + 1024) = 5632;
        // layer2 (8x8): 512 (1x1 at 16x16) + 128 + 512 + 512, then 3 x (128 + 128 + 512) = 3968;
        // layer3 (4x4): 256 + 64 + 256 + 256, then 5 x (64 + 64 + 256) = 2752;
        // layer4 (2x2): 128 + 32 + 128 + 128, then 2 x (32 + 32 + 128) = 800.
        Assert.Equal(1024 + 256 + 5632 + 3968 + 2752 + 800, ResNetSize.ConvOutputs(Bottle, 64, 64));
        Assert.Equal(128, ResNetSize.LargestOutput(Basic, 8, 8));                       // the stem and layer1 alike
        Assert.Equal(1024, ResNetSize.LargestOutput(Bottle, 64, 64));                   // the stem conv and layer1's 4x16x16
        // A 16 x 8 image: every output has half the pixels of the 16 x 16 one.
        Assert.Equal(ResNetSize.ConvOutputs(Basic, 16, 16) / 2, ResNetSize.ConvOutputs(Basic, 16, 8));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Should_MatchTheBuiltEncodersParameters_When_CountingFromTheOptions(bool bottleneck, bool mlp)
    {
        var options = (bottleneck ? Bottle : Basic) with { Mlp = mlp, InChannels = 3 };
        using var encoder = new ResNetEncoder(options);
        long counted = encoder.parameters().Sum(p => p.numel());
        Assert.Equal(counted, ResNetSize.Parameters(options));
    }
}
