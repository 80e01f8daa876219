using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Reporting;

/// <summary>
/// Exact t-SNE (van der Maaten and Hinton, 2008) on torch tensors, O(N²) time and memory per iteration:
/// Gaussian affinities calibrated per point to a perplexity by bisection on the precision, symmetrised P,
/// Student-t affinities in 2-D, gradient descent with momentum and per-coordinate adaptive gains.
/// </summary>
internal static class Tsne
{
    public const int TotalIterations = 1000;
    public const int ExaggerationIterations = 250;
    public const double Exaggeration = 12.0;
    public const double InitialMomentum = 0.5, FinalMomentum = 0.8;
    public const double MinGain = 0.01;
    private const double EntropyTolerance = 1e-5;
    private const int MaxBisectionSteps = 200;

    /// <summary>Embeds <paramref name="x"/> [N, D] in 2-D; returns float [N, 2]. <paramref name="random"/> draws the initial layout.</summary>
    public static float[,] Embed(Tensor x, double perplexity, Random random)
    {
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            int n = (int)x.shape[0];
            if (n == 1) return new float[1, 2];
            var p = JointProbabilities(x.to(ScalarType.Float64), perplexity); // [N, N]
            var y = Optimise(p, InitialLayout(n, random));                    // [N, 2]
            var flat = y.contiguous().data<float>().ToArray();               // [N * 2]
            var result = new float[n, 2];
            Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(float));
            return result;
        }
    }

    /// <summary>Symmetric joint probabilities P = (P_cond + P_condᵀ) / 2N [N, N] (float64, sum 1, entries ≥ 1e-12).</summary>
    public static Tensor JointProbabilities(Tensor x, double perplexity)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var conditional = ConditionalProbabilities(x, perplexity);               // [N, N], rows sum to 1
        var joint = (conditional + conditional.t()) / (2.0 * n);                  // [N, N]
        return joint.clamp_min(1e-12).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Conditional probabilities p(j|i) [N, N] (float64, zero diagonal, rows sum to 1) from Gaussians on squared
    /// Euclidean distances, each row's precision set so that its perplexity exp(H_i) equals <paramref name="perplexity"/>.
    /// </summary>
    public static Tensor ConditionalProbabilities(Tensor x, double perplexity)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var xc = x - x.mean([0], keepdim: true);                                  // [N, D]
        var sq = xc.pow(2).sum(1);                                                // [N]
        var d = (sq.unsqueeze(1) + sq.unsqueeze(0) - 2 * xc.mm(xc.t())).clamp_min(0); // [N, N] squared distances
        var eye = torch.eye(n, dtype: ScalarType.Bool);                           // [N, N]
        // Shift each row by its nearest-neighbour distance: the entropy is unchanged and exp() cannot underflow to 0 everywhere.
        var rowMin = d.masked_fill(eye, double.PositiveInfinity).min(1, keepdim: true).values; // [N, 1]
        var ds = (d - rowMin).clamp_min(0).masked_fill(eye, 0);                   // [N, N]
        return CalibratedConditional(ds, eye, Math.Log(perplexity)).MoveToOuterDisposeScope();
    }

    /// <summary>Row-wise p(j|i) with each row's precision β_i found by bisection so that its entropy equals log(perplexity).</summary>
    private static Tensor CalibratedConditional(Tensor ds, Tensor eye, double targetEntropy)
    {
        using var scope = NewDisposeScope();
        long n = ds.shape[0];
        var beta = ones(n, dtype: ScalarType.Float64);                                     // [N]
        var betaMin = full(n, double.NegativeInfinity, dtype: ScalarType.Float64);         // [N]
        var betaMax = full(n, double.PositiveInfinity, dtype: ScalarType.Float64);         // [N]
        for (int step = 0; step < MaxBisectionSteps; step++)
        {
            using var stepScope = NewDisposeScope();
            var (entropy, _) = Entropy(ds, eye, beta);                                     // [N]
            var diff = entropy - targetEntropy;                                            // [N]
            var open = diff.abs() >= EntropyTolerance;                                     // [N] bool
            if (!open.any().item<bool>()) break;
            var up = open.logical_and(diff > 0);    // entropy too high: sharpen (larger β)
            var down = open.logical_and(diff < 0);  // entropy too low: widen (smaller β)
            betaMin.copy_(where(up, beta, betaMin));
            betaMax.copy_(where(down, beta, betaMax));
            var raised = where(betaMax.isinf(), beta * 2, (beta + betaMax) / 2);            // [N]
            var lowered = where(betaMin.isinf(), beta / 2, (beta + betaMin) / 2);          // [N]
            beta.copy_(where(up, raised, where(down, lowered, beta)));
        }
        var (_, p) = Entropy(ds, eye, beta);                                               // [N, N]
        return p.MoveToOuterDisposeScope();
    }

    /// <summary>Entropy H_i (nats) of each row's Gaussian distribution and the normalised rows themselves.</summary>
    private static (Tensor Entropy, Tensor P) Entropy(Tensor ds, Tensor eye, Tensor beta)
    {
        var b = beta.unsqueeze(1);                                       // [N, 1]
        var p = (-ds * b).exp().masked_fill(eye, 0);                     // [N, N] (nearest neighbour gives 1, so sum ≥ 1)
        var sum = p.sum(1, keepdim: true);                               // [N, 1]
        var entropy = (sum.log() + b * (ds * p).sum(1, keepdim: true) / sum).squeeze(1); // [N]
        return (entropy, p / sum);
    }

    /// <summary>Initial 2-D layout: N(0, 1e-4²) per coordinate, from <paramref name="random"/> (Box–Muller).</summary>
    private static Tensor InitialLayout(int n, Random random)
    {
        var values = new double[n * 2];
        for (int i = 0; i < values.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            values[i] = 1e-4 * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return tensor(values, dtype: ScalarType.Float64).reshape(n, 2); // [N, 2]
    }

    /// <summary>
    /// Gradient descent on KL(P‖Q) in float32 (as is usual for t-SNE; the affinities are calibrated in float64);
    /// returns the final layout Y [N, 2]. The N × N work is done in place to keep memory traffic low.
    /// </summary>
    private static Tensor Optimise(Tensor p64, Tensor yInit)
    {
        using var scope = NewDisposeScope();
        long n = p64.shape[0];
        float learningRate = (float)Math.Max(n / Exaggeration / 4.0, 50.0);
        var p = p64.to(ScalarType.Float32);                    // [N, N]
        var exaggerated = p * (float)Exaggeration;             // [N, N]
        var eye = torch.eye(n, dtype: ScalarType.Bool);        // [N, N]
        var y = yInit.to(ScalarType.Float32);                  // [N, 2]
        var update = zeros_like(y);                            // [N, 2] previous step (the "iY" of the reference)
        var gains = ones_like(y);                              // [N, 2]
        var ones = torch.ones(n, 1, dtype: ScalarType.Float32); // [N, 1]
        for (int iter = 0; iter < TotalIterations; iter++)
        {
            using var iterScope = NewDisposeScope();
            bool early = iter < ExaggerationIterations;
            var target = early ? exaggerated : p;                                  // [N, N]
            float momentum = (float)(early ? InitialMomentum : FinalMomentum);

            // Student-t kernel num_ij = 1 / (1 + |y_i - y_j|²), zero diagonal.
            var sq = y.pow(2).sum(1, keepdim: true);                               // [N, 1]
            var num = (sq + 1) + sq.t();                                           // [N, N]
            num.addmm_(y, y.t(), beta: 1, alpha: -2).clamp_min_(1).reciprocal_().masked_fill_(eye, 0); // [N, N]
            // Negated weights v = (max(q, 1e-12) - p) · num, so that dKL/dy_i = 4 Σ_j (p_ij - q_ij) num_ij (y_i - y_j) = -4 (y_i Σ_j v_ij - Σ_j v_ij y_j).
            var v = num.div(num.sum()).clamp_min_(1e-12f).sub_(target).mul_(num);  // [N, N]
            var vy = v.mm(torch.cat([y, ones], 1));                                // [N, 3]: [Σ_j v_ij y_j, Σ_j v_ij]
            var grad = (vy.narrow(1, 0, 2) - vy.narrow(1, 2, 1) * y) * 4;          // [N, 2]

            var sameSign = (grad > 0).eq(update > 0);                              // [N, 2] bool
            gains.copy_(where(sameSign, gains * 0.8f, gains + 0.2f).clamp_min(MinGain));
            update.mul_(momentum).sub_(gains * grad * learningRate);
            y.add_(update);
            y.sub_(y.mean([0], keepdim: true));
        }
        return y.MoveToOuterDisposeScope();
    }
}
