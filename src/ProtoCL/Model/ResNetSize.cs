namespace ProtoCL.Model;

/// <summary>
/// Sizes of a <see cref="ResNetEncoder"/> worked out from its options alone, without building it: its parameters and
/// the elements of every convolution's output for one image, which is what a training step keeps for the backward pass
/// (<see cref="Training.MemoryEstimate"/>). The walk follows the encoder's own layout: the stem, four stages of
/// <see cref="Blocks"/> residual blocks whose first block strides by 2 from the second stage on, and a shortcut
/// convolution where a block changes the resolution or the channels.
/// </summary>
public static class ResNetSize
{
    /// <summary>Residual blocks per stage: ResNet-18 2-2-2-2 (basic blocks), ResNet-50 3-4-6-3 (bottlenecks), as in He et al. 2016, Table 1.</summary>
    public static int[] Blocks(Architecture arch) => arch == Architecture.ResNet18 ? [2, 2, 2, 2] : [3, 4, 6, 3];

    /// <summary>Output channels of a stage's block per channel of its 3x3 convolution: 1 (basic block) or 4 (bottleneck).</summary>
    public static int Expansion(Architecture arch) => arch == Architecture.ResNet18 ? BasicBlock.Expansion : Bottleneck.Expansion;

    /// <summary>Parameters of the backbone and head: convolution weights, BatchNorm scales and shifts, the head's weights and biases.</summary>
    public static long Parameters(EncoderOptions options)
    {
        long total = 0;
        Walk(options, 8, 8, (cin, cout, k, _) => total += cin * cout * k * k + 2 * cout, _ => { });
        long d = Backbone(options);
        total += options.Mlp ? d * d + d + d * options.Dim + options.Dim : d * options.Dim + options.Dim;
        return total;
    }

    /// <summary>Size of the backbone feature: 8 x width x expansion.</summary>
    public static long Backbone(EncoderOptions options) => 8L * options.Width * Expansion(options.Arch);

    /// <summary>Elements of every convolution's output, and of the stem's max-pool where there is one, for one
    /// <paramref name="height"/> x <paramref name="width"/> image.</summary>
    public static long ConvOutputs(EncoderOptions options, int height, int width)
    {
        long total = 0;
        Walk(options, height, width, (_, cout, _, hw) => total += cout * hw, pooled => total += pooled);
        return total;
    }

    /// <summary>Elements of the largest single convolution (or max-pool) output for one <paramref name="height"/> x
    /// <paramref name="width"/> image: what a forward pass without gradients holds at its widest.</summary>
    public static long LargestOutput(EncoderOptions options, int height, int width)
    {
        long largest = 0;
        Walk(options, height, width, (_, cout, _, hw) => largest = Math.Max(largest, cout * hw), pooled => largest = Math.Max(largest, pooled));
        return largest;
    }

    /// <summary>Calls <paramref name="conv"/> (in channels, out channels, kernel, output pixels) for every convolution in
    /// the encoder's order, and <paramref name="pool"/> with the max-pool's output elements.</summary>
    private static void Walk(EncoderOptions o, int height, int width, Action<long, long, long, long> conv, Action<long> pool)
    {
        static long Out(long side, long kernel, long stride, long padding) => (side + 2 * padding - kernel) / stride + 1;
        long w = o.Width, h = height, v = width;
        if (o.CifarStem)
        {
            h = Out(h, 3, 1, 1); v = Out(v, 3, 1, 1);
            conv(o.InChannels, w, 3, h * v);
        }
        else
        {
            h = Out(h, 7, 2, 3); v = Out(v, 7, 2, 3);
            conv(o.InChannels, w, 7, h * v);
            h = Out(h, 3, 2, 1); v = Out(v, 3, 2, 1);
            pool(w * h * v);
        }
        bool basic = o.Arch == Architecture.ResNet18;
        long expansion = Expansion(o.Arch), inPlanes = w;
        var blocks = Blocks(o.Arch);
        for (int stage = 0; stage < 4; stage++)
        {
            long planes = w << stage;
            for (int b = 0; b < blocks[stage]; b++)
            {
                long stride = b == 0 && stage > 0 ? 2 : 1;
                long h2 = Out(h, 3, stride, 1), v2 = Out(v, 3, stride, 1);
                if (basic)
                {
                    conv(inPlanes, planes, 3, h2 * v2);
                    conv(planes, planes, 3, h2 * v2);
                }
                else
                {
                    conv(inPlanes, planes, 1, h * v);
                    conv(planes, planes, 3, h2 * v2);
                    conv(planes, planes * expansion, 1, h2 * v2);
                }
                if (stride != 1 || inPlanes != planes * expansion) conv(inPlanes, planes * expansion, 1, h2 * v2);
                inPlanes = planes * expansion;
                h = h2; v = v2;
            }
        }
    }
}
