using static TorchSharp.torch;

namespace ProtoCL.Tests.Evaluation;

/// <summary>Seeded Gaussian blobs for the evaluation tests: class c is centred at a distinct axis direction.</summary>
internal static class Blobs
{
    /// <summary>
    /// perClass points of each of <paramref name="classes"/> classes in <paramref name="dim"/> dimensions:
    /// centre = <paramref name="separation"/> * e_c (unit vector of axis c), plus N(0, noise^2) per coordinate.
    /// Rows are interleaved by class (0, 1, ..., C-1, 0, 1, ...).
    /// </summary>
    public static (Tensor Features, int[] Labels) Make(int classes, int perClass, int dim, double separation, double noise, int seed)
    {
        if (dim < classes) throw new ArgumentException("need dim >= classes");
        var random = new Random(seed);
        int n = classes * perClass;
        var data = new float[n * dim];
        var labels = new int[n];
        for (int s = 0; s < n; s++)
        {
            int c = s % classes;
            labels[s] = c;
            for (int j = 0; j < dim; j++)
                data[s * dim + j] = (float)((j == c ? separation : 0) + noise * Gaussian(random));
        }
        return (tensor(data, dtype: ScalarType.Float32).reshape(n, dim), labels);
    }

    /// <summary>Standard normal sample by Box-Muller.</summary>
    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
