using ProtoCL.Losses;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Losses;

public class InfoNceLossTests
{
    private static double[][] Normalised(double[][] rows) =>
        rows.Select(r => { var n = Math.Sqrt(r.Sum(v => v * v)); return r.Select(v => v / n).ToArray(); }).ToArray();

    private static Tensor T(double[][] rows) => tensor(rows.SelectMany(r => r).Select(v => (float)v).ToArray()).view(rows.Length, rows[0].Length);

    [Fact]
    public void Should_EqualNaiveLoop_When_GivenTinyTensors()
    {
        var q = Normalised([[1, 2, 0], [0, 1, -1]]);
        var k = Normalised([[1, 1, 0], [0, 2, -1]]);
        var queue = Normalised([[0, 0, 1], [1, -1, 0], [-1, 0, 1], [2, 1, 1]]); // r = 4 keys
        double tau = 0.2, expected = 0;
        for (int i = 0; i < 2; i++)
        {
            double pos = Math.Exp(q[i].Zip(k[i], (a, b) => a * b).Sum() / tau);
            double all = pos + queue.Sum(n => Math.Exp(q[i].Zip(n, (a, b) => a * b).Sum() / tau));
            expected += -Math.Log(pos / all) / 2;
        }
        using var queueT = T(queue).t().contiguous(); // [D, r]
        var result = InfoNceLoss.Compute(T(q), T(k), queueT, tau);
        Assert.Equal(expected, result.Loss.item<float>(), 4);
    }

    [Fact]
    public void Should_BeLogOfRPlusOne_When_AllLogitsAreEqual()
    {
        // q orthogonal to the key and to every queue entry: every logit is 0, so the loss is log(1 + r) (lightly's analytic check).
        using var q = tensor(new float[] { 1, 0, 0, 1, 0, 0 }).view(2, 3);
        using var k = tensor(new float[] { 0, 1, 0, 0, 0, 1 }).view(2, 3);
        using var queue = tensor(new float[] { 0, 0, 0, 1, 1, 1, 0, 0, 0 }).view(3, 3); // [D=3, r=3], first row 0
        var result = InfoNceLoss.Compute(q, k, queue, 0.07);
        Assert.Equal(Math.Log(4), result.Loss.item<float>(), 5);
    }
}
