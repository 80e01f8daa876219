using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Evaluation;

/// <summary>
/// Binary linear SVM with L2 regularisation and the squared hinge loss,
/// min_w 0.5 ||w||^2 + sum_i C_i max(0, 1 - y_i w.x_i)^2 with C_i = C * (class weight of y_i) and a
/// constant feature (<see cref="LinearSvmOptions.InterceptScaling"/>) appended to x for the bias,
/// solved by dual coordinate descent (Hsieh et al. 2008, "A Dual Coordinate Descent Method for
/// Large-scale Linear SVM", Algorithm 1 with the L2-loss diagonal D_ii = 1 / (2 C_i) and no upper
/// bound on alpha) as LIBLINEAR and scikit-learn's LinearSVC(dual=True) do.
/// </summary>
public sealed class LinearSvm
{
    private LinearSvm(double[] weights, double bias, int iterations, bool converged)
    {
        Weights = weights;
        Bias = bias;
        Iterations = iterations;
        Converged = converged;
    }

    /// <summary>Weights of the original features [D] (the bias weight excluded).</summary>
    public double[] Weights { get; }

    /// <summary>Intercept: the constant feature's weight times its value (LinearSVC's intercept_).</summary>
    public double Bias { get; }

    /// <summary>Passes over the samples that the solver made.</summary>
    public int Iterations { get; }

    /// <summary>Whether the tolerance was reached before <see cref="LinearSvmOptions.MaxIterations"/>.</summary>
    public bool Converged { get; }

    /// <summary>Trains on the rows of a float32 tensor [N, D].</summary>
    public static LinearSvm Train(Tensor features, bool[] isPositive, LinearSvmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2) throw new ArgumentException("features must be [N, D]", nameof(features));
        using var scope = NewDisposeScope();
        var flat = features.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray(); // [N * D]
        int n = (int)features.shape[0];
        int d = (int)features.shape[1];
        var rows = new float[n][];
        for (int i = 0; i < n; i++) rows[i] = flat.AsSpan(i * d, d).ToArray();
        return Train(rows, isPositive, options);
    }

    /// <summary>Trains on samples given as rows (all of the same length D); isPositive[i] is sample i's class.</summary>
    public static LinearSvm Train(float[][] samples, bool[] isPositive, LinearSvmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(isPositive);
        options ??= new LinearSvmOptions();
        options.Validate();
        int n = samples.Length;
        if (n == 0) throw new ArgumentException("no training samples", nameof(samples));
        if (isPositive.Length != n) throw new ArgumentException($"{n} samples but {isPositive.Length} labels", nameof(isPositive));
        int d = samples[0].Length;
        foreach (var row in samples)
        {
            if (row.Length != d) throw new ArgumentException("all samples must have the same length", nameof(samples));
        }

        // Augmented samples [x_i, InterceptScaling] in double precision; y_i = +1 / -1.
        var x = new double[n][];
        var y = new double[n];
        var diag = new double[n];
        var qd = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = new double[d + 1];
            for (int j = 0; j < d; j++) x[i][j] = samples[i][j];
            x[i][d] = options.InterceptScaling;
            y[i] = isPositive[i] ? 1.0 : -1.0;
            double cost = options.Cost * (isPositive[i] ? options.PositiveWeight : options.NegativeWeight);
            diag[i] = 0.5 / cost;
            qd[i] = diag[i] + Dot(x[i], x[i]);
        }

        var w = new double[d + 1];
        var alpha = new double[n];
        var index = Enumerable.Range(0, n).ToArray();
        var random = new Random(options.Seed);
        int active = n;
        // LIBLINEAR also tracks the smallest projected gradient for shrinking at the upper bound C;
        // with the squared hinge alpha has no upper bound, so only the largest one is needed.
        double pgMaxOld = double.PositiveInfinity;
        int iteration = 0;
        bool converged = false;
        while (iteration < options.MaxIterations)
        {
            double pgMaxNew = double.NegativeInfinity;
            double pgMinNew = double.PositiveInfinity;
            for (int s = active - 1; s > 0; s--)
            {
                int r = random.Next(s + 1);
                (index[s], index[r]) = (index[r], index[s]);
            }
            int t = 0;
            while (t < active)
            {
                int i = index[t];
                // Gradient of the dual objective in alpha_i.
                double g = y[i] * Dot(w, x[i]) - 1 + alpha[i] * diag[i];
                double pg = 0;
                if (alpha[i] == 0)
                {
                    if (options.Shrinking && g > pgMaxOld)
                    {
                        // At its bound with a gradient pushing further out: leave it out until the end check.
                        active--;
                        (index[t], index[active]) = (index[active], index[t]);
                        continue;
                    }
                    if (g < 0) pg = g;
                }
                else
                {
                    pg = g;
                }
                pgMaxNew = Math.Max(pgMaxNew, pg);
                pgMinNew = Math.Min(pgMinNew, pg);
                if (Math.Abs(pg) > 1e-12)
                {
                    double old = alpha[i];
                    alpha[i] = Math.Max(old - g / qd[i], 0.0);
                    double step = (alpha[i] - old) * y[i];
                    for (int j = 0; j <= d; j++) w[j] += step * x[i][j];
                }
                t++;
            }
            iteration++;
            if (pgMaxNew - pgMinNew <= options.Tolerance)
            {
                if (active == n)
                {
                    converged = true;
                    break;
                }
                // The shrunk problem converged: re-check every coordinate before stopping.
                active = n;
                pgMaxOld = double.PositiveInfinity;
                continue;
            }
            pgMaxOld = pgMaxNew <= 0 ? double.PositiveInfinity : pgMaxNew;
        }
        return new LinearSvm(w[..d], w[d] * options.InterceptScaling, iteration, converged);
    }

    /// <summary>Decision value w.x + b of one sample; positive means the positive class.</summary>
    public double Decision(ReadOnlySpan<float> sample)
    {
        if (sample.Length != Weights.Length) throw new ArgumentException($"sample has {sample.Length} features, the SVM {Weights.Length}");
        double sum = Bias;
        for (int j = 0; j < Weights.Length; j++) sum += Weights[j] * sample[j];
        return sum;
    }

    /// <summary>Decision values of all rows of float32 features [N, D] by one matrix product; returns float32 [N].</summary>
    public Tensor DecisionFunction(Tensor features)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (features.dim() != 2 || features.shape[1] != Weights.Length)
            throw new ArgumentException($"features must be [N, {Weights.Length}]", nameof(features));
        var w = tensor(Weights.Select(v => (float)v).ToArray(), dtype: ScalarType.Float32, device: features.device); // [D]
        var scores = features.matmul(w) + (float)Bias; // [N]
        return scores.MoveToOuterDisposeScope();
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++) sum += a[j] * b[j];
        return sum;
    }
}
