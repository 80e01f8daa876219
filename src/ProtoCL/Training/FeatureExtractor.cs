using ProtoCL.Augmentation;
using ProtoCL.Data;
using ProtoCL.Model;
using static TorchSharp.torch;

namespace ProtoCL.Training;

/// <summary>Which output of the encoder to extract.</summary>
public enum FeatureKind
{
    /// <summary>The L2-normalised 128-d embedding (what the E-step clusters).</summary>
    Embedding,
    /// <summary>The backbone's pooled features before the head (what the evaluations use).</summary>
    Backbone,
}

/// <summary>Features of every image, un-augmented, in eval mode, without autograd, in large batches.</summary>
public static class FeatureExtractor
{
    /// <summary>Returns float32 [N, D]; embeddings are L2-normalised, backbone features are raw. A bfloat16
    /// <paramref name="computeType"/> runs a bfloat16 copy of the encoder (the bf16 mode); the result stays float32.</summary>
    public static Tensor Extract(ResNetEncoder encoder, ImageDataset data, BatchAugmenter plain, FeatureKind kind,
        int batchSize = 512, Action<long, long>? progress = null, ScalarType computeType = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (data.Channels != encoder.Options.InChannels)
            throw new ArgumentException($"the encoder takes {encoder.Options.InChannels}-channel images; {data.Source} holds {data.Channels}-channel ones", nameof(data));
        // bfloat16: a copy with every layer in bfloat16 (no float32 BatchNorm between the convolutions).
        using var copy = computeType == ScalarType.Float32 ? null : encoder.InferenceCopy(computeType);
        var model = copy ?? encoder;
        bool wasTraining = encoder.training;
        encoder.eval();
        try
        {
            using var _ = no_grad();
            long n = data.Count;
            int d = kind == FeatureKind.Embedding ? encoder.Options.Dim : encoder.FeatureDim;
            var result = empty(n, d);                                      // [N, D]
            try
            {
                for (long start = 0; start < n; start += batchSize)
                {
                    using var scope = NewDisposeScope();
                    long count = Math.Min(batchSize, n - start);
                    var x = plain.Plain(data.Images.narrow(0, start, count)).to(computeType); // [B, C, H, W]
                    var f = kind == FeatureKind.Embedding
                        ? nn.functional.normalize(model.forward(x).to(ScalarType.Float32), dim: 1) // [B, Dim]
                        : model.Features(x);                                      // [B, FeatureDim]
                    result.narrow(0, start, count).copy_(f);                   // rows [start, start + B) of [N, D]
                    progress?.Invoke(start + count, n);
                }
                return result;
            }
            catch
            {
                result.Dispose(); // a cancelled E-step (the progress callback throws) must not keep the [N, D] buffer
                throw;
            }
        }
        finally
        {
            encoder.train(wasTraining);
        }
    }

    /// <summary>Per-channel mean and std of a dataset's pixels in [0, 1], computed in chunks.</summary>
    public static (float[] Mean, float[] Std) ChannelStatistics(ImageDataset data)
    {
        using var _ = no_grad();
        int c = data.Channels;
        var sum = new double[c];
        var sumSq = new double[c];
        long n = data.Count;
        for (long start = 0; start < n; start += 4096)
        {
            using var scope = NewDisposeScope();
            var x = data.Images.narrow(0, start, Math.Min(4096, n - start)).to_type(ScalarType.Float64).div_(255); // [B, C, H, W]
            var s = x.sum([0, 2, 3]).data<double>().ToArray();              // [C]
            var s2 = x.pow(2).sum([0, 2, 3]).data<double>().ToArray();      // [C]
            for (int i = 0; i < c; i++) { sum[i] += s[i]; sumSq[i] += s2[i]; }
        }
        double count = (double)n * data.Height * data.Width;
        var mean = sum.Select(s => (float)(s / count)).ToArray();
        var std = sumSq.Select((s2, i) => (float)Math.Sqrt(Math.Max(s2 / count - (double)mean[i] * mean[i], 1e-8))).ToArray();
        return (mean, std);
    }
}
