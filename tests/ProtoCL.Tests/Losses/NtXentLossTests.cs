using ProtoCL.Losses;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Losses;

public class NtXentLossTests
{
    [Fact]
    public void Should_EqualNaiveLoop_When_GivenTwoViewsOfThreeImages()
    {
        float[][] z = [[1, 0], [0.6f, 0.8f], [0, 1], [0.8f, 0.6f], [-0.6f, 0.8f], [0, -1]]; // views 0..2 then their pairs 3..5
        double tau = 0.5, expected = 0;
        for (int i = 0; i < 6; i++)
        {
            int pos = i < 3 ? i + 3 : i - 3;
            double num = 0, den = 0;
            for (int j = 0; j < 6; j++)
            {
                if (j == i) continue;
                double e = Math.Exp((z[i][0] * z[j][0] + z[i][1] * z[j][1]) / tau);
                den += e;
                if (j == pos) num = e;
            }
            expected += -Math.Log(num / den) / 6;
        }
        using var z1 = tensor(z.Take(3).SelectMany(r => r).ToArray()).view(3, 2);
        using var z2 = tensor(z.Skip(3).SelectMany(r => r).ToArray()).view(3, 2);
        Assert.Equal(expected, NtXentLoss.Compute(z1, z2, tau).Loss.item<float>(), 4);
    }
}
