using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProtoCL.Model;

/// <summary>
/// ResNet backbone plus projection head to a <see cref="EncoderOptions.Dim"/>-d embedding.
/// Parameter names follow torchvision (conv1, bn1, layer1.0.conv1, ..., fc / fc.0, fc.2 with the MLP head as
/// MoCo v2 builds it) so state dicts can be exchanged with PyTorch.
/// </summary>
public sealed class ResNetEncoder : nn.Module<Tensor, Tensor>
{
    private readonly ConvLayer conv1;
    private readonly SplitBatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor>? maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly nn.Module<Tensor, Tensor> fc;

    /// <summary>Size of the backbone feature (avg-pooled output of layer4).</summary>
    public int FeatureDim { get; }

    /// <summary>The options the encoder was built from (architecture, width, embedding size, head, input channels and image size).</summary>
    public EncoderOptions Options { get; }

    /// <summary>Builds the backbone and head with torchvision's initialisation, drawn from libtorch's global generator (seed it with
    /// <c>manual_seed</c> to repeat it). The caller owns the encoder and must dispose it.</summary>
    /// <param name="options">Architecture, width, embedding size, head and input shape; an image side below 64 px selects the CIFAR stem
    /// (3x3 convolution, stride 1, no max-pool).</param>
    public ResNetEncoder(EncoderOptions options) : base(nameof(ResNetEncoder))
    {
        Options = options;
        int w = options.Width, g = options.BnGroups;
        conv1 = options.CifarStem
            ? new ConvLayer(options.InChannels, w, 3, 1, 1)
            : new ConvLayer(options.InChannels, w, 7, 2, 3);
        bn1 = new SplitBatchNorm2d(w, g);
        if (!options.CifarStem) maxpool = nn.MaxPool2d(3, stride: 2, padding: 1);
        bool basic = options.Arch == Architecture.ResNet18;
        int[] blocks = ResNetSize.Blocks(options.Arch);
        int expansion = ResNetSize.Expansion(options.Arch);
        long inPlanes = w;
        Sequential MakeLayer(long planes, int count, long stride)
        {
            var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (int i = 0; i < count; i++)
            {
                long s = i == 0 ? stride : 1;
                modules.Add((i.ToString(), basic ? new BasicBlock(inPlanes, planes, s, g) : new Bottleneck(inPlanes, planes, s, g)));
                inPlanes = planes * expansion;
            }
            return nn.Sequential(modules);
        }
        layer1 = MakeLayer(w, blocks[0], 1);
        layer2 = MakeLayer(w * 2, blocks[1], 2);
        layer3 = MakeLayer(w * 4, blocks[2], 2);
        layer4 = MakeLayer(w * 8, blocks[3], 2);
        FeatureDim = w * 8 * expansion;
        fc = options.Mlp
            ? nn.Sequential(("0", nn.Linear(FeatureDim, FeatureDim)), ("1", nn.ReLU()), ("2", nn.Linear(FeatureDim, options.Dim)))
            : nn.Linear(FeatureDim, options.Dim);
        RegisterComponents();
    }

    /// <summary>Backbone features: the avg-pooled output of layer4, [N, FeatureDim], always float32. Used by every evaluation.
    /// A bfloat16 input runs the convolutions in bfloat16 (see <see cref="ConvLayer"/>).</summary>
    public Tensor Features(Tensor x) // x: [N, C, H, W]
    {
        using var scope = NewDisposeScope();
        return Pooled(x).to(ScalarType.Float32).MoveToOuterDisposeScope(); // [N, FeatureDim]
    }

    /// <summary>Embedding before L2 normalisation, [N, Dim], in the dtype of the head's parameters.</summary>
    public override Tensor forward(Tensor x) // x: [N, C, H, W]
    {
        using var scope = NewDisposeScope();
        var pooled = Pooled(x).to(conv1.weight.dtype);                 // [N, FeatureDim]
        return fc.call(pooled).MoveToOuterDisposeScope();              // [N, Dim]
    }

    /// <summary>Avg-pooled output of layer4 in the activations' dtype.</summary>
    private Tensor Pooled(Tensor x) // x: [N, C, H, W]
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.relu(bn1.call(conv1.call(x)));        // [N, w, H', W']
        if (maxpool is not null) y = maxpool.call(y);                  // [N, w, H'/2, W'/2]
        y = layer4.call(layer3.call(layer2.call(layer1.call(y)))); // [N, 8w*e, h, w]
        return y.mean([2, 3]).MoveToOuterDisposeScope();           // [N, FeatureDim]
    }

    /// <summary>Folds every BatchNorm into the convolution before it (torchvision names: convN -> bnN, downsample.0 -> downsample.1).</summary>
    private void FoldBatchNorms()
    {
        var modules = named_modules().ToDictionary(m => m.name, m => m.module);
        foreach (var (name, module) in modules)
        {
            if (module is not ConvLayer conv) continue;
            var bnName = name.EndsWith("downsample.0", StringComparison.Ordinal)
                ? name[..^1] + "1"
                : System.Text.RegularExpressions.Regex.Replace(name, @"conv(\d)$", "bn$1");
            if (modules.GetValueOrDefault(bnName) is SplitBatchNorm2d bn) conv.FoldBatchNorm(bn);
            else throw new InvalidOperationException($"no BatchNorm after convolution {name} to fold");
        }
    }

    /// <summary>
    /// An eval-mode copy whose parameters and BatchNorm statistics are all <paramref name="dtype"/>, for inference only
    /// (the bf16 E-step: pooling and the head then run in bfloat16 too, with no casts between layers). Every BatchNorm
    /// is folded into the convolution before it, in float32 before the cast.
    /// Building it leaves the global random generator where it was, so a run's random stream does not depend on it.
    /// </summary>
    public ResNetEncoder InferenceCopy(ScalarType dtype)
    {
        using var _ = no_grad();
        var rng = random.get_rng_state();                              // [S] uint8
        ResNetEncoder copy;
        try { copy = new ResNetEncoder(Options); }
        finally { random.set_rng_state(rng); rng.Dispose(); }
        var source = state_dict();
        foreach (var (name, value) in copy.state_dict()) value.copy_(source[name]); // each tensor keeps its shape
        copy.eval();
        copy.FoldBatchNorms();
        copy.to(dtype);
        return copy;
    }

    /// <summary>Sets the number of BatchNorm groups used in training mode on every BN layer.</summary>
    public void SetBnGroups(int groups)
    {
        foreach (var (_, m) in named_modules())
            if (m is SplitBatchNorm2d bn) bn.Groups = groups;
    }

    /// <summary>Forward FLOPs per image (multiply-adds x 2) of every convolution and linear layer, counted from the layers.</summary>
    public double ForwardFlopsPerImage()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        double flops = 0;
        var removers = new List<Action>();
        foreach (var (_, m) in named_modules())
        {
            if (m is ConvLayer conv)
                { var r = conv.register_forward_hook((mod, input, output) =>
                {
                    flops += conv.Flops(output.shape[2], output.shape[3]);
                    return output;
                }); removers.Add(r.remove); }
            else if (m is Linear lin)
                { var r = lin.register_forward_hook((mod, input, output) =>
                {
                    flops += 2.0 * lin.weight.shape[0] * lin.weight.shape[1];
                    return output;
                }); removers.Add(r.remove); }
        }
        bool wasTraining = training;
        eval();
        forward(zeros(1, Options.InChannels, Options.ImageSize, Options.ImageSize)); // [1, C, S, S] -> [1, Dim]
        train(wasTraining);
        foreach (var remove in removers) remove();
        return flops;
    }
}
