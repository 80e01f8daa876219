using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.Model;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Evaluation;

public class FeatureSourceTests
{
    [Fact]
    public void Should_GivePixelsOver255FlattenedInChannelRowColumnOrder_When_CheckpointIsRaw()
    {
        // Two images, 2 channels, 1 x 2 pixels: each row is (c0 p0, c0 p1, c1 p0, c1 p1) / 255.
        byte[] bytes = [0, 51, 255, 102, 204, 1, 2, 153];
        using var data = new ImageDataset(tensor(bytes).view(2, 2, 1, 2), [0, 1], "test");

        using var features = FeatureSource.Extract("raw", data, seed: 0);

        Assert.Equal(new long[] { 2, 4 }, features.shape);
        Assert.Equal(ScalarType.Float32, features.dtype);
        float[] expected = [0f, 0.2f, 1f, 0.4f, 0.8f, 1f / 255, 2f / 255, 0.6f];
        var actual = features.data<float>().ToArray();
        for (int i = 0; i < 8; i++) Assert.Equal(expected[i], actual[i], 6);
        // The dataset's own pixels stay bytes.
        Assert.Equal(bytes, data.Images.data<byte>().ToArray());
    }

    [Fact]
    public void Should_NormaliseWithTheGivenImagesStatistics_When_CheckpointIsRandom()
    {
        // Train images: one channel, values {0, 255} in equal numbers -> mean 0.5, population std 0.5.
        // Test images: other values, whose own statistics differ, so the two normalisations give other inputs.
        using var train = new ImageDataset(tensor(new byte[] { 0, 255, 255, 0, 0, 255, 0, 255 }).view(2, 1, 2, 2), [0, 1], "train");
        using var test = new ImageDataset(tensor(new byte[] { 10, 20, 30, 200, 40, 50, 60, 70 }).view(2, 1, 2, 2), [0, 1], "test");

        using var features = FeatureSource.Extract("random", test, seed: 7, statistics: train);   // [2, D]
        using var own = FeatureSource.Extract("random", test, seed: 7);                         // [2, D]

        // By hand: the default architecture for 1 x 2 x 2 images at seed 7, eval mode, pooled backbone features of
        // (bytes / 255 - 0.5) / 0.5.
        manual_seed(7);
        using var encoder = new ResNetEncoder(new EncoderOptions { InChannels = 1, ImageSize = 2 });
        encoder.eval();
        using var x = test.Images.to_type(ScalarType.Float32).div(255).sub(0.5).div(0.5); // [2, 1, 2, 2]
        using (no_grad())
        using (var expected = encoder.Features(x))                                       // [2, D]
        {
            Assert.Equal(expected.shape, features.shape);
            Assert.True(features.allclose(expected, rtol: 1e-5, atol: 1e-6), "not normalised with the train images' statistics");
            Assert.False(own.allclose(expected, rtol: 1e-3, atol: 1e-4), "the test images' own statistics give the same input");
        }
    }
}
