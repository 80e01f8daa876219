using ProtoCL.Model;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Model;

public class MomentumEncoderTests
{
    private static readonly EncoderOptions Tiny = new() { Arch = Architecture.ResNet18, Width = 2, InChannels = 1, ImageSize = 8, BnGroups = 1 };

    [Fact]
    public void Should_MoveKeyTowardsQuery_When_Updated()
    {
        using var query = new ResNetEncoder(Tiny);
        using var key = MomentumEncoder.CopyOf(query);
        var q0 = query.parameters().First().detach().clone();
        using (no_grad()) foreach (var p in query.parameters()) p.add_(1.0);
        MomentumEncoder.Update(key, query, 0.9);
        // key = 0.9 * q0 + 0.1 * (q0 + 1) = q0 + 0.1
        var expected = q0 + 0.1;
        Assert.True(allclose(key.parameters().First(), expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Should_StartIdentical_When_Copied()
    {
        using var query = new ResNetEncoder(Tiny);
        using var key = MomentumEncoder.CopyOf(query);
        foreach (var (a, b) in query.parameters().Zip(key.parameters()))
            Assert.True(a.eq(b).all().item<bool>());
        Assert.All(key.parameters(), p => Assert.False(p.requires_grad));
    }
}
