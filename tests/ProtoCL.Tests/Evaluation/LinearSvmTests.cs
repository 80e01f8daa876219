using ProtoCL.Evaluation;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Evaluation;

public class LinearSvmTests
{
    [Fact]
    public void Should_ClassifyEveryTrainingPoint_When_ProblemIsLinearlySeparable()
    {
        var (x, positive) = TwoClouds(perClass: 10, dim: 2, centre: 2.0, noise: 0.5, seed: 1);
        var svm = LinearSvm.Train(x, positive, new LinearSvmOptions { Cost = 10 });
        Assert.True(svm.Converged);
        for (int i = 0; i < x.Length; i++)
        {
            double margin = (positive[i] ? 1 : -1) * svm.Decision(x[i]);
            Assert.True(margin > 0, $"sample {i} on the wrong side (y f(x) = {margin})");
        }
        // The separating direction points from the negative cloud (-2, -2) to the positive one (2, 2).
        Assert.True(svm.Decision([3f, 3f]) > 0);
        Assert.True(svm.Decision([-3f, -3f]) < 0);
        Assert.True(svm.Weights[0] > 0 && svm.Weights[1] > 0);
    }

    [Theory]
    [InlineData(0.5, 2.0, true)]
    [InlineData(0.5, 2.0, false)]
    [InlineData(2.0, 1.0, true)]
    public void Should_MatchNaivePrimalGradientDescent_When_DataOverlap(double cost, double positiveWeight, bool shrinking)
    {
        var (x, positive) = TwoClouds(perClass: 15, dim: 4, centre: 0.5, noise: 1.0, seed: 7);
        var options = new LinearSvmOptions { Cost = cost, PositiveWeight = positiveWeight, Tolerance = 1e-9, Shrinking = shrinking };
        var svm = LinearSvm.Train(x, positive, options);
        Assert.True(svm.Converged);
        var reference = NaivePrimal(x, positive, cost, positiveWeight);
        for (int j = 0; j < 4; j++) Assert.Equal(reference[j], svm.Weights[j], 1e-6);
        Assert.Equal(reference[4], svm.Bias, 1e-6);

        // With the default tolerance the solution is still close.
        var loose = LinearSvm.Train(x, positive, options with { Tolerance = 1e-4 });
        for (int j = 0; j < 4; j++) Assert.Equal(reference[j], loose.Weights[j], 1e-3);
    }

    [Fact]
    public void Should_ScoreLikeDecision_When_ScoringATensor()
    {
        var (x, positive) = TwoClouds(perClass: 6, dim: 3, centre: 1.0, noise: 1.0, seed: 3);
        var svm = LinearSvm.Train(x, positive, new LinearSvmOptions { Cost = 0.5, PositiveWeight = 2 });
        using var features = tensor(x.SelectMany(r => r).ToArray()).reshape(x.Length, 3);
        using var scores = svm.DecisionFunction(features);
        var values = scores.data<float>().ToArray();
        for (int i = 0; i < x.Length; i++) Assert.Equal(svm.Decision(x[i]), values[i], 1e-5);
        var fromTensor = LinearSvm.Train(features, positive, new LinearSvmOptions { Cost = 0.5, PositiveWeight = 2 });
        Assert.Equal(svm.Weights, fromTensor.Weights);
    }

    /// <summary>
    /// Gradient descent with step 1/L on the primal 0.5 |w|^2 + sum_i C_i max(0, 1 - y_i w.[x_i, 1])^2,
    /// L = 1 + 2 sum_i C_i |[x_i, 1]|^2 (a bound on the gradient's Lipschitz constant); returns [w, b].
    /// </summary>
    private static double[] NaivePrimal(float[][] x, bool[] positive, double cost, double positiveWeight)
    {
        int n = x.Length, d = x[0].Length;
        double lipschitz = 1;
        for (int i = 0; i < n; i++)
            lipschitz += 2 * cost * (positive[i] ? positiveWeight : 1) * (1 + x[i].Sum(v => (double)v * v));
        var w = new double[d + 1];
        for (int step = 0; step < 200_000; step++)
        {
            var gradient = (double[])w.Clone();
            for (int i = 0; i < n; i++)
            {
                double y = positive[i] ? 1 : -1;
                double f = w[d];
                for (int j = 0; j < d; j++) f += w[j] * x[i][j];
                double slack = 1 - y * f;
                if (slack <= 0) continue;
                double ci = cost * (positive[i] ? positiveWeight : 1);
                for (int j = 0; j < d; j++) gradient[j] -= 2 * ci * slack * y * x[i][j];
                gradient[d] -= 2 * ci * slack * y;
            }
            double norm = Math.Sqrt(gradient.Sum(g => g * g));
            if (norm < 1e-11) break;
            for (int j = 0; j <= d; j++) w[j] -= gradient[j] / lipschitz;
        }
        return w;
    }

    private static (float[][] X, bool[] Positive) TwoClouds(int perClass, int dim, double centre, double noise, int seed)
    {
        var random = new Random(seed);
        var x = new float[2 * perClass][];
        var positive = new bool[2 * perClass];
        for (int i = 0; i < x.Length; i++)
        {
            positive[i] = i % 2 == 0;
            x[i] = new float[dim];
            for (int j = 0; j < dim; j++)
                x[i][j] = (float)((positive[i] ? centre : -centre) + noise * Blobs.Gaussian(random));
        }
        return (x, positive);
    }
}
