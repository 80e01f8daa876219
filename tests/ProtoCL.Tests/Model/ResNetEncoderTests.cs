using ProtoCL.Model;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Model;

public class ResNetEncoderTests
{
    [Fact]
    public void Should_UseTorchvisionParameterNames_When_Built()
    {
        using var enc = new ResNetEncoder(new EncoderOptions { Arch = Architecture.ResNet18, Width = 4, InChannels = 1, ImageSize = 28, Mlp = true });
        var names = enc.state_dict().Keys.ToHashSet();
        Assert.Contains("conv1.weight", names);
        Assert.Contains("bn1.running_mean", names);
        Assert.Contains("layer1.0.conv1.weight", names);
        Assert.Contains("layer2.0.downsample.0.weight", names);
        Assert.Contains("layer4.1.bn2.weight", names);
        Assert.Contains("fc.0.weight", names);
        Assert.Contains("fc.2.bias", names);
    }

    [Theory]
    [InlineData(Architecture.ResNet18, 28, 8 * 4)]
    [InlineData(Architecture.ResNet50, 28, 8 * 4 * 4)]
    [InlineData(Architecture.ResNet18, 64, 8 * 4)]
    public void Should_ProduceExpectedShapes_When_Forwarded(Architecture arch, int size, int featureDim)
    {
        using var enc = new ResNetEncoder(new EncoderOptions { Arch = arch, Width = 4, InChannels = 3, ImageSize = size, Dim = 16 });
        enc.eval();
        using var x = randn(2, 3, size, size);
        Assert.Equal(new long[] { 2, 16 }, enc.forward(x).shape);
        Assert.Equal(new long[] { 2, featureDim }, enc.Features(x).shape);
        Assert.Equal(featureDim, enc.FeatureDim);
    }

    [Fact]
    public void Should_CountFlops_When_Width64ResNet18OnFashionMnist()
    {
        // By hand: CIFAR stem 3x3 conv 1->64 on 28x28 and four stages (28, 14, 7, 4 px); the anchor is ~0.91 GFLOP.
        double stem = 2.0 * 64 * 28 * 28 * 9;
        double s1 = 4 * 2.0 * 64 * 28 * 28 * 64 * 9;
        double s2 = 2.0 * 128 * 14 * 14 * 64 * 9 + 3 * 2.0 * 128 * 14 * 14 * 128 * 9 + 2.0 * 128 * 14 * 14 * 64;
        double s3 = 2.0 * 256 * 7 * 7 * 128 * 9 + 3 * 2.0 * 256 * 7 * 7 * 256 * 9 + 2.0 * 256 * 7 * 7 * 128;
        double s4 = 2.0 * 512 * 4 * 4 * 256 * 9 + 3 * 2.0 * 512 * 4 * 4 * 512 * 9 + 2.0 * 512 * 4 * 4 * 256;
        double fc = 2.0 * 512 * 128;
        using var enc = new ResNetEncoder(new EncoderOptions { Arch = Architecture.ResNet18, Width = 64, InChannels = 1, ImageSize = 28 });
        Assert.Equal(stem + s1 + s2 + s3 + s4 + fc, enc.ForwardFlopsPerImage(), 0);
        Assert.InRange(enc.ForwardFlopsPerImage() / 1e9, 0.88, 0.94);
    }

    [Fact]
    public void Should_NormaliseInGroups_When_SplitBatchNormTrains()
    {
        // Two groups with different offsets: each group is normalised with its own mean, so both come out centred.
        using var bn = new SplitBatchNorm2d(1, 2);
        bn.train();
        var x = tensor(new float[] { 0, 10, 2, 12 }).view(4, 1, 1, 1); // samples 0,2 -> group 0; 1,3 -> group 1
        var y = bn.forward(x).data<float>().ToArray();
        Assert.Equal(-1, y[0], 2); Assert.Equal(-1, y[1], 2); Assert.Equal(1, y[2], 2); Assert.Equal(1, y[3], 2);
    }

    [Fact]
    public void Should_UpdateRunningStatisticsAsTheMeanOverGroups_When_SplitBatchNormTrains()
    {
        // C = 2 channels, G = 2 groups, N = 4 samples of 1 x 2 pixels; sample s belongs to group s % 2.
        using var bn = new SplitBatchNorm2d(2, 2);
        bn.train();
        float[] values =
        [
            0, 2,   1, 1,   // sample 0 (group 0): channel 0, channel 1
            4, 4,   0, 6,   // sample 1 (group 1)
            2, 4,   1, 1,   // sample 2 (group 0)
            8, 0,   3, 3,   // sample 3 (group 1)
        ];
        using var x = tensor(values).view(4, 2, 1, 2);
        // Per group and channel, over its 2 samples x 2 pixels (PyTorch's running_var takes the unbiased variance, divisor 3):
        //   channel 0: group 0 {0, 2, 2, 4} mean 2, var 8/3;  group 1 {4, 4, 8, 0} mean 4, var 32/3
        //   channel 1: group 0 {1, 1, 1, 1} mean 1, var 0;    group 1 {0, 6, 3, 3} mean 3, var 18/3 = 6
        // Each group updates its copy of the running statistics with momentum 0.1 from mean 0, var 1; the layer keeps
        // the mean of the copies:
        //   running_mean = 0.9 * 0 + 0.1 * mean(group means): channel 0: 0.1 * 3 = 0.3; channel 1: 0.1 * 2 = 0.2
        //   running_var  = 0.9 * 1 + 0.1 * mean(group vars):  channel 0: 0.9 + 0.1 * 20/3 = 1.5666...; channel 1: 0.9 + 0.1 * 3 = 1.2
        using (no_grad()) bn.forward(x).Dispose();
        Assert.Equal(0.3, bn.running_mean[0].item<float>(), 6);
        Assert.Equal(0.2, bn.running_mean[1].item<float>(), 6);
        Assert.Equal(0.9 + 2.0 / 3, bn.running_var[0].item<float>(), 5);
        Assert.Equal(1.2, bn.running_var[1].item<float>(), 6);
        Assert.Equal(1L, bn.num_batches_tracked.item<long>());

        // A second batch compounds from the new values:
        //   running_mean: channel 0: 0.9 * 0.3 + 0.1 * 3 = 0.57; channel 1: 0.9 * 0.2 + 0.1 * 2 = 0.38
        //   running_var:  channel 0: 0.9 * (0.9 + 2/3) + 0.1 * 20/3 = 0.81 + 0.6 + 2/3 = 2.0766...; channel 1: 0.9 * 1.2 + 0.1 * 3 = 1.38
        using (no_grad()) bn.forward(x).Dispose();
        Assert.Equal(0.57, bn.running_mean[0].item<float>(), 6);
        Assert.Equal(0.38, bn.running_mean[1].item<float>(), 6);
        Assert.Equal(0.81 + 0.6 + 2.0 / 3, bn.running_var[0].item<float>(), 5);
        Assert.Equal(1.38, bn.running_var[1].item<float>(), 6);
        Assert.Equal(2L, bn.num_batches_tracked.item<long>());

        // Eval mode uses the running statistics and leaves them alone: channel 1 of sample 0 (value 1) becomes
        // (1 - 0.38) / sqrt(1.38 + 1e-5).
        bn.eval();
        using (no_grad())
        using (var y = bn.forward(x))
            Assert.Equal((1 - 0.38) / Math.Sqrt(1.38 + 1e-5), y[0, 1, 0, 0].item<float>(), 5);
        Assert.Equal(0.57, bn.running_mean[0].item<float>(), 6);
        Assert.Equal(2L, bn.num_batches_tracked.item<long>());
    }

    [Fact]
    public void Should_MakeAllFloatingStateBf16AndKeepTheRandomStream_When_InferenceCopyIsBuilt()
    {
        using var enc = new ResNetEncoder(new EncoderOptions { Arch = Architecture.ResNet18, Width = 4, InChannels = 1, ImageSize = 28, Mlp = true });
        enc.train();
        manual_seed(7);
        var expected = rand(5).data<float>().ToArray();
        manual_seed(7);
        using var copy = enc.InferenceCopy(ScalarType.BFloat16);
        var drawn = rand(5).data<float>().ToArray();
        Assert.Equal(expected, drawn); // building the copy consumed no random numbers

        Assert.False(copy.training);
        Assert.True(enc.training);
        foreach (var (name, t) in copy.state_dict())
            if (name.EndsWith("num_batches_tracked")) Assert.Equal(ScalarType.Int64, t.dtype);
            else Assert.Equal(ScalarType.BFloat16, t.dtype);
        // The layers' own fields follow the cast (no per-call weight casts left in the copy).
        foreach (var m in copy.modules().OfType<ConvLayer>()) Assert.Equal(ScalarType.BFloat16, m.weight.dtype);
        // Every BatchNorm was folded: 20 in ResNet-18 (stem 1, 8 blocks x 2, 3 downsamples), each conv gained a bias.
        Assert.Equal(20, copy.modules().OfType<SplitBatchNorm2d>().Count(bn => bn.IsIdentity));
        Assert.Equal(20, copy.state_dict().Keys.Count(k => k.EndsWith("conv1.bias") || k.EndsWith("conv2.bias") || k.EndsWith("downsample.0.bias")));
        foreach (var (_, t) in enc.state_dict())
            Assert.NotEqual(ScalarType.BFloat16, t.dtype); // the original keeps its float32 master weights
    }

    [Fact]
    public void Should_MatchFloat32Embeddings_When_InferenceCopyRunsInBf16()
    {
        using var enc = new ResNetEncoder(new EncoderOptions { Arch = Architecture.ResNet18, Width = 8, InChannels = 1, ImageSize = 28, Mlp = true });
        // Non-trivial BatchNorm statistics, as after training: a few batches in training mode.
        manual_seed(3);
        using (no_grad()) for (int i = 0; i < 3; i++) using (var b = randn(16, 1, 28, 28).mul(2).add(0.5)) enc.forward(b).Dispose();
        enc.eval();
        using var x = randn(8, 1, 28, 28);
        using var copy = enc.InferenceCopy(ScalarType.BFloat16);
        using var _ = no_grad();
        using var reference = nn.functional.normalize(enc.forward(x), dim: 1);                                      // [8, 128]
        using var bf16 = nn.functional.normalize(copy.forward(x.to(ScalarType.BFloat16)).to(ScalarType.Float32), dim: 1); // [8, 128]
        var cos = (reference * bf16).sum(1).data<float>().ToArray();
        // bfloat16 keeps 8 significant bits (relative error ~0.4 % per value): cosines stay close to 1.
        Assert.All(cos, c => Assert.InRange(c, 0.99f, 1.0001f));
        Assert.Equal(ScalarType.Float32, copy.Features(x.to(ScalarType.BFloat16)).dtype);
    }

    [Theory]
    [InlineData(Architecture.ResNet18)]
    [InlineData(Architecture.ResNet50)]
    public void Should_EqualTheUnfoldedEncoder_When_BatchNormsAreFoldedInFloat32(Architecture arch)
    {
        using var enc = new ResNetEncoder(new EncoderOptions { Arch = arch, Width = 4, InChannels = 3, ImageSize = 32, Dim = 16 });
        manual_seed(5);
        // Non-trivial statistics and affine parameters, as after training.
        using (no_grad())
        {
            for (int i = 0; i < 3; i++) using (var b = randn(8, 3, 32, 32).mul(3).add(1)) enc.forward(b).Dispose();
            foreach (var bn in enc.modules().OfType<SplitBatchNorm2d>()) { bn.weight.uniform_(0.5, 1.5); bn.bias.uniform_(-0.3, 0.3); }
        }
        enc.eval();
        using var x = randn(4, 3, 32, 32);
        using var copy = enc.InferenceCopy(ScalarType.Float32);
        using var _ = no_grad();
        using var expected = enc.forward(x);     // conv -> BatchNorm(eval) -> ..., [4, 16]
        using var folded = copy.forward(x);      // conv with folded scale and bias, [4, 16]
        float scale = expected.abs().max().item<float>();
        float diff = (expected - folded).abs().max().item<float>();
        Assert.True(diff <= 1e-4f * Math.Max(1f, scale), $"max difference {diff} (scale {scale})");
    }
}
