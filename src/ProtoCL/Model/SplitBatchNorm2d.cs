using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ProtoCL.Model;

/// <summary>
/// BatchNorm2d that, in training mode, normalises the batch in <c>groups</c> separate slices, each with its
/// own statistics: the single-device stand-in for MoCo's shuffled BatchNorm across devices (MoCo's
/// single-GPU demo, SplitBatchNorm). Without it the positive pair can be recognised through batch statistics.
/// Parameter and buffer names equal torchvision's BatchNorm2d (weight, bias, running_mean, running_var),
/// so weights exchange with PyTorch. In eval mode it is an ordinary BatchNorm2d. Parameters and statistics stay
/// float32 with bfloat16 activations (the statistics are computed in float32, the output keeps the input's dtype).
/// </summary>
public sealed class SplitBatchNorm2d : nn.Module<Tensor, Tensor>
{
    private readonly long _features;
    private readonly double _eps;
    private readonly double _momentum;

    /// <summary>Scale (gamma) per channel, float32 [C], initialised to 1.</summary>
    public Parameter weight;
    /// <summary>Shift (beta) per channel, float32 [C], initialised to 0.</summary>
    public Parameter bias;
    /// <summary>Running mean per channel, float32 [C], starting at 0; updated in training mode (averaged over the groups) and used in eval mode.</summary>
    public Tensor running_mean;
    /// <summary>Running unbiased variance per channel, float32 [C], starting at 1; updated and used like <see cref="running_mean"/>.</summary>
    public Tensor running_var;
    /// <summary>Training forward passes so far, an int64 scalar kept as PyTorch's BatchNorm2d keeps it; the computation does not read it.</summary>
    public Tensor num_batches_tracked;

    /// <summary>The epsilon added to the variance.</summary>
    public double Eps => _eps;

    /// <summary>True once folded into the preceding convolution (<see cref="ConvLayer.FoldBatchNorm"/>): the layer passes its input through.</summary>
    public bool IsIdentity { get; private set; }

    internal void BecomeIdentity() => IsIdentity = true;

    /// <summary>Number of groups the training batch is split into (1 = plain BatchNorm).</summary>
    public int Groups { get; set; }

    /// <summary>Creates the layer with gamma 1, beta 0, running mean 0 and running variance 1.</summary>
    /// <param name="features">Channels C.</param>
    /// <param name="groups">Slices a training batch is normalised in (1 = plain BatchNorm); see <see cref="Groups"/>.</param>
    /// <param name="eps">Added to the variance before its square root.</param>
    /// <param name="momentum">Weight of the current batch in the running statistics (PyTorch's convention: new = (1 - momentum) x old + momentum x batch).</param>
    public SplitBatchNorm2d(long features, int groups, double eps = 1e-5, double momentum = 0.1) : base(nameof(SplitBatchNorm2d))
    {
        _features = features;
        _eps = eps;
        _momentum = momentum;
        Groups = groups;
        weight = nn.Parameter(ones(features));                             // [C]
        bias = nn.Parameter(zeros(features));                              // [C]
        running_mean = zeros(features);                                    // [C]
        running_var = ones(features);                                      // [C]
        num_batches_tracked = tensor(0L, ScalarType.Int64);              // [] int64, as PyTorch's BatchNorm2d
        RegisterComponents();
    }

    /// <summary>Normalises <paramref name="x"/>. In training mode with <see cref="Groups"/> G &gt; 1, N a multiple of G and at least 2 images per group,
    /// each image is normalised with the statistics of the images with the same index modulo G; otherwise the whole batch is normalised at once
    /// (batch statistics in training mode, running ones in eval mode). Once folded (<see cref="IsIdentity"/>) it returns the input unchanged.</summary>
    /// <param name="x">Activations [N, C, H, W], float32 or bfloat16.</param>
    /// <returns>[N, C, H, W] in x's dtype.</returns>
    public override Tensor forward(Tensor x) // x: [N, C, H, W]
    {
        if (IsIdentity) return x.alias(); // a new handle: callers (Sequential) may dispose what they pass in
        int g = Groups;
        if (!training || g <= 1 || x.shape[0] % g != 0 || x.shape[0] / g < 2)
        {
            if (training) using (no_grad()) num_batches_tracked.add_(1);   // []
            // bfloat16 activations with float32 parameters and statistics: libtorch's CPU batch norm takes the mixed
            // types directly (statistics accumulated in float32), so no casts of the activations are needed.
            return F.batch_norm(x, running_mean, running_var, weight, bias, training, _momentum, _eps); // [N, C, H, W], x's dtype
        }
        using var scope = NewDisposeScope();
        long n = x.shape[0], c = _features, h = x.shape[2], w = x.shape[3];
        var rm = running_mean.repeat(g);                                   // [G*C]
        var rv = running_var.repeat(g);                                    // [G*C]
        var grouped = x.view(n / g, c * g, h, w);                         // [N/G, G*C, H, W]: sample i*G+j -> group j
        var y = F.batch_norm(grouped, rm, rv, weight.repeat(g), bias.repeat(g), true, _momentum, _eps); // [N/G, G*C, H, W], x's dtype
        using (no_grad())
        {
            running_mean.copy_(rm.view(g, c).mean([0]));                   // [C]
            running_var.copy_(rv.view(g, c).mean([0]));                    // [C]
            num_batches_tracked.add_(1);                                   // []
        }
        return y.view(n, c, h, w).MoveToOuterDisposeScope();              // [N, C, H, W]
    }
}
