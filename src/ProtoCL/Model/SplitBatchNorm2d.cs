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

    public Parameter weight;
    public Parameter bias;
    public Tensor running_mean;
    public Tensor running_var;
    public Tensor num_batches_tracked;

    /// <summary>The epsilon added to the variance.</summary>
    public double Eps => _eps;

    /// <summary>True once folded into the preceding convolution (<see cref="ConvLayer.FoldBatchNorm"/>): the layer passes its input through.</summary>
    public bool IsIdentity { get; private set; }

    internal void BecomeIdentity() => IsIdentity = true;

    /// <summary>Number of groups the training batch is split into (1 = plain BatchNorm).</summary>
    public int Groups { get; set; }

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
