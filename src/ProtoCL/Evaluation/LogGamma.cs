namespace ProtoCL.Evaluation;

/// <summary>
/// ln Gamma(x) for x > 0 (.NET has no Math.LogGamma): Stirling's asymptotic series, accurate to about
/// 1e-15 relative for x >= 10, with the recurrence Gamma(x) = Gamma(x + 1) / x below that. Used for
/// log-factorials ln n! = ln Gamma(n + 1) in the hypergeometric probabilities of the expected mutual
/// information, where factorials themselves would overflow.
/// </summary>
public static class LogGamma
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>ln Gamma(x), x > 0.</summary>
    public static double Of(double x)
    {
        if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x), x, "ln Gamma is defined here for x > 0 only");
        double shift = 0;
        while (x < 10)
        {
            shift -= Math.Log(x);
            x += 1;
        }
        double inv = 1 / x;
        double inv2 = inv * inv;
        // Bernoulli-number terms B_2k / (2k (2k - 1) x^(2k - 1)), k = 1..6.
        double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680
                        - inv2 * (1.0 / 1188 - inv2 * (691.0 / 360360))))));
        return shift + (x - 0.5) * Math.Log(x) - x + HalfLogTwoPi + series;
    }

    /// <summary>ln n! for n = 0..max, as a table indexed by n.</summary>
    public static double[] LogFactorials(long max)
    {
        var table = new double[max + 1];
        for (long n = 0; n <= max; n++) table[n] = n < 2 ? 0 : Of(n + 1);
        return table;
    }
}
