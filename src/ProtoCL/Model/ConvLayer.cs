using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProtoCL.Model;

/// <summary>
/// A bias-free 2-D convolution whose weight stays float32 (the master copy the optimizer updates) but which
/// computes in the dtype of its input: with bfloat16 activations the weight is cast inside autograd, so the
/// gradient arrives in float32 on the master weight. This is the bf16 mode of <c>--precision bf16</c>
/// (TorchSharp 0.107 has no autocast). Named like torchvision's Conv2d (one parameter, <c>weight</c>).
/// </summary>
public sealed class ConvLayer : nn.Module<Tensor, Tensor>
{
    /// <summary>Kernel [out channels, in channels, k, k], float32, Kaiming-normal initialised (fan-out, ReLU gain); <see cref="FoldBatchNorm"/> rescales it in place.</summary>
    public Parameter weight;
    private readonly long _stride;
    private readonly long _padding;

    /// <summary>Creates the convolution with a Kaiming-normal weight drawn from libtorch's global generator, and no bias.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output.</param>
    /// <param name="kernel">Side of the square kernel in pixels.</param>
    /// <param name="stride">Step in pixels, the same along both axes.</param>
    /// <param name="padding">Zero padding in pixels on each side, the same along both axes.</param>
    public ConvLayer(long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0) : base(nameof(ConvLayer))
    {
        _stride = stride;
        _padding = padding;
        weight = nn.Parameter(empty(outChannels, inChannels, kernel, kernel)); // [Cout, Cin, k, k]
        // torchvision's ResNet initialisation: Kaiming normal, fan_out, ReLU gain.
        nn.init.kaiming_normal_(weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        RegisterComponents();
    }

    /// <summary>Number of output channels (the weight's first dimension).</summary>
    public long OutChannels => weight.shape[0];

    /// <summary>Multiply-adds x 2 for one image whose output is <paramref name="outH"/> x <paramref name="outW"/>.</summary>
    public double Flops(long outH, long outW) => 2.0 * weight.shape[0] * weight.shape[1] * weight.shape[2] * weight.shape[3] * outH * outW;

    /// <summary>Convolves <paramref name="x"/> in its own dtype, casting the weight (and bias, if any) to it.</summary>
    /// <param name="x">Images [N, in channels, H, W].</param>
    /// <returns>[N, out channels, H', W'] in x's dtype, with H' = floor((H + 2 padding - kernel) / stride) + 1, likewise W'.</returns>
    public override Tensor forward(Tensor x) // [N, Cin, H, W] -> [N, Cout, H', W']
    {
        var w = x.dtype == weight.dtype ? weight : weight.to(x.dtype);      // [Cout, Cin, k, k] in x's dtype
        var b = bias is null ? null : x.dtype == bias.dtype ? bias : bias.to(x.dtype); // [Cout] or null
        return nn.functional.conv2d(x, w, b, strides: [_stride, _stride], padding: [_padding, _padding]); // [N, Cout, H', W']
    }

    /// <summary>Bias created by <see cref="FoldBatchNorm"/>; absent otherwise (torchvision's convolutions have none).
    /// Named like its parameter so that <c>Module.to</c> replaces the field too.</summary>
    public Parameter? bias;

    /// <summary>
    /// For inference copies only: folds the eval-mode BatchNorm that follows this convolution into it
    /// (w' = w * s, b = beta - mean * s with s = gamma / sqrt(var + eps), per output channel) and makes
    /// <paramref name="bn"/> an identity, saving one pass over the activations per layer.
    /// </summary>
    public void FoldBatchNorm(SplitBatchNorm2d bn)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var scale = bn.weight.div(bn.running_var.add(bn.Eps).sqrt());       // [Cout]
        weight.mul_(scale.view(-1, 1, 1, 1));                                // [Cout, Cin, k, k]
        bias = nn.Parameter(bn.bias.sub(bn.running_mean.mul(scale)).MoveToOuterDisposeScope(), requires_grad: false); // [Cout]
        register_parameter("bias", bias);
        bn.BecomeIdentity();
    }
}
