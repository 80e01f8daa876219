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
    public void Should_MoveEveryKeyParameterByTheEmaAndKeepTheKeysBuffers_When_Updated()
    {
        manual_seed(12);
        using var query = new ResNetEncoder(Tiny);
        using var key = MomentumEncoder.CopyOf(query);
        using (no_grad())
        {
            // Key and query differ in every parameter, by different amounts, before the update.
            foreach (var p in key.parameters()) p.add_(randn(p.shape).mul_(0.3));
            foreach (var p in query.parameters()) p.add_(randn(p.shape).mul_(0.5));
            // The query's BatchNorm statistics move (a training-mode forward); the key's stay at their own values.
            query.train();
            using var batch = randn(4, 1, 8, 8).mul_(3).add_(1);
            query.forward(batch).Dispose();
        }
        var keyBefore = key.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        var queryParameters = query.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        var keyBuffers = key.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone());
        var queryBuffers = query.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        // Guard: the buffers differ between the encoders, so "kept the key's own" is a real check.
        Assert.Contains(keyBuffers, kv => !kv.Value.eq(queryBuffers[kv.Key]).all().item<bool>());

        const double m = 0.9;
        MomentumEncoder.Update(key, query, m);

        Assert.True(keyBefore.Count > 20, $"{keyBefore.Count} parameters");
        foreach (var (name, parameter) in key.named_parameters())
        {
            // theta_k = m * theta_k + (1 - m) * theta_q, element by element, matched by name.
            var after = parameter.data<float>().ToArray();
            var k0 = keyBefore[name];
            var q = queryParameters[name];
            Assert.Equal(k0.Length, after.Length);
            for (int i = 0; i < after.Length; i++)
            {
                double expected = m * k0[i] + (1 - m) * q[i];
                Assert.True(Math.Abs(after[i] - expected) <= 1e-6 + 1e-5 * Math.Abs(expected), $"{name}[{i}]: {after[i]}, by hand {expected}");
            }
            Assert.False(parameter.requires_grad, name);
        }
        foreach (var (name, buffer) in key.named_buffers())
            Assert.True(buffer.eq(keyBuffers[name]).all().item<bool>(), $"key buffer {name} changed");
        foreach (var (_, b) in keyBuffers) b.Dispose();
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
