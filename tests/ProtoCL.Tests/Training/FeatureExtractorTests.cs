using ProtoCL.Augmentation;
using ProtoCL.Data;
using ProtoCL.Model;
using ProtoCL.Training;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Training;

public class FeatureExtractorTests
{
    private static readonly EncoderOptions Tiny = new() { Arch = Architecture.ResNet18, Width = 2, InChannels = 3, ImageSize = 8, Dim = 6, BnGroups = 2 };

    [Fact]
    public void Should_GivePerChannelMeanAndPopulationStd_When_ImagesAreTiny()
    {
        // Two images, 2 channels, 1 x 2 pixels. Channel 0 holds 0, 255, 255, 0 -> 0, 1, 1, 0: mean 0.5, std 0.5.
        // Channel 1 holds 51, 51, 102, 102 -> 0.2, 0.2, 0.4, 0.4: mean 0.3, variance 0.01 (divisor 4), std 0.1.
        byte[] bytes =
        [
            0, 255, 51, 51,    // image 0: channel 0, channel 1
            255, 0, 102, 102,  // image 1
        ];
        using var data = new ImageDataset(tensor(bytes).view(2, 2, 1, 2), null, "test");
        var (mean, std) = FeatureExtractor.ChannelStatistics(data);
        Assert.Equal(2, mean.Length);
        Assert.Equal(0.5, mean[0], 6);
        Assert.Equal(0.3, mean[1], 6);
        Assert.Equal(0.5, std[0], 6);
        Assert.Equal(0.1, std[1], 5);
    }

    [Fact]
    public void Should_AccumulateOverChunks_When_ThereAreMoreThan4096Images()
    {
        // 4097 one-pixel images: 4096 black, the last (in the second chunk of 4096) white.
        // mean = 1/4097; variance = 1/4097 - 1/4097^2 = 4096/4097^2, so std = 64/4097.
        var bytes = new byte[4097];
        bytes[4096] = 255;
        using var data = new ImageDataset(tensor(bytes).view(4097, 1, 1, 1), null, "test");
        var (mean, std) = FeatureExtractor.ChannelStatistics(data);
        Assert.Equal(1.0 / 4097, mean[0], 8);
        Assert.Equal(64.0 / 4097, std[0], 7);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Should_EqualAHandWrittenNormalisedForwardInEvalMode_When_ExtractingEmbeddings(bool wasTraining)
    {
        manual_seed(41);
        using var encoder = new ResNetEncoder(Tiny);
        // Non-trivial BatchNorm statistics, so eval mode (running statistics) and training mode (batch statistics) differ.
        using (no_grad()) for (int i = 0; i < 2; i++) using (var b = randn(8, 3, 8, 8).mul(2).add(0.3)) encoder.forward(b).Dispose();
        encoder.train(wasTraining);
        var buffersBefore = encoder.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone());

        var random = new Random(42);
        const int n = 7, pixels = 3 * 8 * 8;
        var bytes = new byte[n * pixels];
        random.NextBytes(bytes);
        float[] mean = [0.4f, 0.5f, 0.6f], std = [0.2f, 0.25f, 0.3f];
        using var data = new ImageDataset(tensor(bytes).view(n, 3, 8, 8), null, "test");
        var plain = new BatchAugmenter(new AugmentationOptions(), mean, std);

        using var small = FeatureExtractor.Extract(encoder, data, plain, FeatureKind.Embedding, batchSize: 3); // [7, 6]: batches 3, 3, 1
        Assert.Equal(wasTraining, encoder.training);
        using var large = FeatureExtractor.Extract(encoder, data, plain, FeatureKind.Embedding, batchSize: 512); // [7, 6]: one batch
        Assert.Equal(wasTraining, encoder.training);
        // Extraction runs in eval mode: the BatchNorm statistics are not touched.
        foreach (var (name, buffer) in encoder.named_buffers())
            Assert.True(buffer.eq(buffersBefore[name]).all().item<bool>(), $"buffer {name} changed");

        // By hand: (bytes / 255 - mean_c) / std_c, the encoder's forward in eval mode, each row divided by its length.
        var input = new float[n * pixels];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < 3; ch++)
                for (int p = 0; p < 64; p++)
                {
                    int at = i * pixels + ch * 64 + p;
                    input[at] = (bytes[at] / 255f - mean[ch]) / std[ch];
                }
        float[] raw;
        encoder.eval();
        using (no_grad())
        using (var x = tensor(input).view(n, 3, 8, 8))
        using (var y = encoder.forward(x))
            raw = y.data<float>().ToArray();
        var expected = new double[n * 6];
        for (int i = 0; i < n; i++)
        {
            double norm = 0;
            for (int j = 0; j < 6; j++) norm += (double)raw[i * 6 + j] * raw[i * 6 + j];
            norm = Math.Sqrt(norm);
            for (int j = 0; j < 6; j++) expected[i * 6 + j] = raw[i * 6 + j] / norm;
        }

        Assert.Equal(new long[] { n, 6 }, small.shape);
        var s = small.data<float>().ToArray();
        var l = large.data<float>().ToArray();
        for (int at = 0; at < n * 6; at++)
        {
            Assert.Equal(expected[at], s[at], 5);
            Assert.Equal(l[at], s[at], 1e-6); // the batch size does not change the result (beyond float rounding of the batched kernels)
        }
        // A training-mode forward (batch statistics) would give other embeddings: the comparison can tell the modes apart.
        encoder.train();
        using (no_grad())
        using (var x = tensor(input).view(n, 3, 8, 8))
        using (var y = nn.functional.normalize(encoder.forward(x), dim: 1))
        {
            var trainMode = y.data<float>().ToArray();
            Assert.Contains(Enumerable.Range(0, n * 6), at => Math.Abs(trainMode[at] - expected[at]) > 1e-3);
        }
        foreach (var (_, b) in buffersBefore) b.Dispose();
    }

    [Fact]
    public void Should_GiveTheRawPooledBackboneFeatures_When_KindIsBackbone()
    {
        manual_seed(43);
        using var encoder = new ResNetEncoder(Tiny);
        encoder.eval();
        var bytes = new byte[5 * 3 * 8 * 8];
        new Random(44).NextBytes(bytes);
        using var data = new ImageDataset(tensor(bytes).view(5, 3, 8, 8), null, "test");
        var plain = new BatchAugmenter(new AugmentationOptions(), [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);

        using var small = FeatureExtractor.Extract(encoder, data, plain, FeatureKind.Backbone, batchSize: 2); // [5, 16]
        using var expected = encoder.Features(tensor(bytes.Select(v => (v / 255f - 0.5f) / 0.5f).ToArray()).view(5, 3, 8, 8)); // [5, 16]

        Assert.Equal(new long[] { 5, encoder.FeatureDim }, small.shape);
        Assert.Equal(16, encoder.FeatureDim); // width 2 x 8, basic blocks
        Assert.True(small.allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.False(encoder.training);
    }
}
