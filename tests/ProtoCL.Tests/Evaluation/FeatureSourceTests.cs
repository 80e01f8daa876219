using ProtoCL.Data;
using ProtoCL.Evaluation;
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
}
