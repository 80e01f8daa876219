using System.Diagnostics;
using System.Text.Json.Serialization;
using ProtoCL.Augmentation;
using ProtoCL.Data;
using ProtoCL.Model;
using ProtoCL.Training;
using static TorchSharp.torch;

namespace ProtoCL.Benchmarks;

/// <summary>What one benchmark run measured (medians over repeats, warm-up excluded). JSON names are read by scripts.</summary>
public sealed record BenchResult
{
    /// <summary>CPU model name and number of logical cores of the machine that ran the benchmark.</summary>
    [JsonPropertyName("machine")] public string Machine { get; init; } = "";
    /// <summary>libtorch threads the benchmark ran with (<see cref="TrainingOptions.Threads"/>).</summary>
    [JsonPropertyName("threads")] public int Threads { get; init; }
    /// <summary>Compute precision of the training step and the E-step features: "fp32" or "bf16".</summary>
    [JsonPropertyName("precision")] public string Precision { get; init; } = "fp32";
    /// <summary>Images in the dataset; the E-step figures are measured on all of them.</summary>
    [JsonPropertyName("images")] public int Images { get; init; }
    /// <summary>Images the training step was measured on: the first steps x batch size images, at least the largest K + 1, at most <see cref="Images"/>.</summary>
    [JsonPropertyName("train_images")] public int TrainImages { get; init; }
    /// <summary>Counted runs each median is taken over; one uncounted warm-up run came before them.</summary>
    [JsonPropertyName("repeats")] public int Repeats { get; init; }
    /// <summary>Training options of the measured runs: 2 epochs, the first a warm-up, and MoCo measured as PCL.</summary>
    [JsonPropertyName("options")] public TrainingOptions Options { get; init; } = new();
    /// <summary>Training images per second: the mean of <see cref="TrainWarmupImagesPerSecond"/> and <see cref="TrainPclImagesPerSecond"/>.</summary>
    [JsonPropertyName("train_images_per_second")] public double TrainImagesPerSecond { get; init; }
    /// <summary>Training images per second in the warm-up epoch (instance loss only, E-step excluded), median over the repeats.</summary>
    [JsonPropertyName("train_warmup_images_per_second")] public double TrainWarmupImagesPerSecond { get; init; }
    /// <summary>Training images per second in the second epoch, which adds the ProtoNCE prototype term for PCL and PCL-SimCLR (E-step excluded), median over the repeats.</summary>
    [JsonPropertyName("train_pcl_images_per_second")] public double TrainPclImagesPerSecond { get; init; }
    /// <summary>Images per second of the E-step's embedding pass over all <see cref="Images"/>, median over the repeats.</summary>
    [JsonPropertyName("estep_feature_images_per_second")] public double EStepFeatureImagesPerSecond { get; init; }
    /// <summary>Seconds of k-means for all levels of one E-step together, median over the repeats.</summary>
    [JsonPropertyName("kmeans_seconds")] public double KMeansSeconds { get; init; }
    /// <summary>Seconds of the concentration (phi) estimate for all levels of one E-step together, median over the repeats.</summary>
    [JsonPropertyName("phi_seconds")] public double PhiSeconds { get; init; }
    /// <summary>Images per second of the augmentation alone, one view, on training-sized batches (<see cref="Benchmark.MeasureAugmentation"/>).</summary>
    [JsonPropertyName("augment_images_per_second")] public double AugmentImagesPerSecond { get; init; }
    /// <summary>Estimated share (nominally 0 to 1) of a warm-up training step spent augmenting its two views: 2 x the warm-up rate / the augmentation rate.</summary>
    [JsonPropertyName("augment_fraction_of_step")] public double AugmentFractionOfStep { get; init; }
    /// <summary>Peak working set of the whole process in bytes, read at the end of the benchmark (the loaded data included).</summary>
    [JsonPropertyName("peak_memory_bytes")] public long PeakMemoryBytes { get; init; }
    /// <summary>Forward cost of the encoder for one image at the data's size, in GFLOPs (multiply-adds x 2, units of 1e9).</summary>
    [JsonPropertyName("gflops_per_image")] public double GflopsPerImage { get; init; }
    /// <summary>GFLOP/s the warm-up training step achieves: the warm-up rate times an estimated step cost of forward + backward (about 3 forwards) per query view plus a momentum-encoder forward per key view.</summary>
    [JsonPropertyName("train_effective_gflops")] public double TrainEffectiveGflops { get; init; }
    /// <summary>The machine's fp32 matmul throughput in GFLOP/s at the same thread count (<see cref="Benchmark.MatmulPeakGflops"/>).</summary>
    [JsonPropertyName("matmul_peak_gflops")] public double MatmulPeakGflops { get; init; }
    /// <summary><see cref="TrainEffectiveGflops"/> / <see cref="MatmulPeakGflops"/>: the share of the practical peak the training step uses.</summary>
    [JsonPropertyName("fraction_of_matmul_peak")] public double FractionOfMatmulPeak { get; init; }
}

/// <summary>
/// Measures, for one configuration, the training step (InfoNCE warm-up and ProtoNCE), the E-step's parts
/// (features, k-means over all levels, phi), augmentation alone, peak memory, FLOPs per image and the
/// machine's fp32 matmul peak. Each figure is the median of <c>repeats</c> runs after one warm-up run.
/// </summary>
public static class Benchmark
{
    /// <summary>Runs one uncounted warm-up run, then <paramref name="repeats"/> counted runs, each a two-epoch training run on a subset of
    /// <paramref name="data"/> followed by one E-step on all of it; then measures augmentation, FLOPs and the matmul peak.</summary>
    /// <param name="options">Configuration to measure; epochs (2), warm-up epochs (1) and, for MoCo, the method (PCL) are overridden.
    /// Its thread count is set process-wide.</param>
    /// <param name="data">Images to measure on; the caller keeps and disposes them.</param>
    /// <param name="repeats">Counted runs each median is taken over.</param>
    /// <param name="observer">Receives progress and messages; null reports nothing.</param>
    /// <param name="steps">Minibatches per training epoch: the subset is steps x batch size images, at least the largest K + 1, at most all of <paramref name="data"/>.</param>
    /// <returns>The medians over the counted runs and the figures derived from them.</returns>
    public static BenchResult Run(TrainingOptions options, ImageDataset data, int repeats, ITrainingObserver? observer = null, int steps = 20)
    {
        observer ??= NullTrainingObserver.Instance;
        set_num_threads(options.Threads);
        // The training step is measured on the first steps x batch images: two epochs, the first a warm-up
        // (InfoNCE step), the second with prototypes (ProtoNCE step). The E-step is measured on all the data.
        var o = options with { Epochs = 2, WarmupEpochs = 1, Method = options.Method == Method.Moco ? Method.Pcl : options.Method };
        int subsetSize = Math.Min(data.Count, Math.Max(steps * o.BatchSize, o.Clusters.DefaultIfEmpty(0).Max() + 1));
        using var subset = data.Take(subsetSize);
        var (mean, std) = FeatureExtractor.ChannelStatistics(data);
        var plain = new BatchAugmenter(o.Augmentation, mean, std);
        var runs = new List<EpochMetrics[]>();
        var features = new List<double>();
        var kmeans = new List<double>();
        var phi = new List<double>();
        for (int r = 0; r <= repeats; r++)
        {
            observer.Message(r == 0 ? "warm-up run (not counted)" : $"run {r}/{repeats}");
            using var trainer = new Trainer(o, subset, null, false, observer);
            trainer.Run();
            if (r == 0) continue; // the warm-up run only warms the training step up
            var computeType = o.Precision == Precision.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;
            var sw = Stopwatch.StartNew();
            using var f = FeatureExtractor.Extract(trainer.KeyEncoder ?? trainer.Encoder, data, plain,
                FeatureKind.Embedding, o.FeatureBatchSize, (d, t) => observer.Progress("E-step features (all images)", d, t), computeType);
            double featureSeconds = sw.Elapsed.TotalSeconds;
            using var clusters = Clustering.EStep.Cluster(f, o.Clusters, o.Temperature,
                new Clustering.KMeansOptions { Iterations = o.KMeansIterations, Restarts = o.KMeansRestarts },
                (stage, d, t) => observer.Progress(stage, d, t));
            runs.Add(trainer.History.ToArray());
            features.Add(data.Count / featureSeconds);
            kmeans.Add(clusters.Levels.Sum(l => l.KMeansSeconds));
            phi.Add(clusters.Levels.Sum(l => l.PhiSeconds));
        }
        var warm = Median(runs.Select(h => h[0].ImagesPerSecond));
        var pcl = Median(runs.Select(h => h[1].ImagesPerSecond));
        var augmentRate = MeasureAugmentation(plain, o.BatchSize, data, repeats);
        double flops;
        using (var enc = new ResNetEncoder(o.Encoder with { InChannels = data.Channels, ImageSize = Math.Max(data.Height, data.Width) }))
            flops = enc.ForwardFlopsPerImage();
        // A training step per image: encoder forward + backward (~3x forward) per query view plus the momentum encoder's
        // forward per key view (one of each, or two with --symmetric); without a momentum encoder both views go both ways.
        double stepFlops = flops * (o.UsesMomentumEncoder ? (o.Symmetric ? 8 : 4) : 6);
        double effective = warm * stepFlops / 1e9;
        double peak = MatmulPeakGflops(options.Threads);
        return new BenchResult
        {
            Machine = $"{Training.CpuFeatures.ModelName}, {Environment.ProcessorCount} logical cores",
            Threads = options.Threads,
            Precision = o.Precision.ToString().ToLowerInvariant(),
            Images = data.Count,
            TrainImages = subset.Count,
            Repeats = repeats,
            Options = o,
            TrainImagesPerSecond = Median([warm, pcl]),
            TrainWarmupImagesPerSecond = warm,
            TrainPclImagesPerSecond = pcl,
            EStepFeatureImagesPerSecond = Median(features),
            KMeansSeconds = Median(kmeans),
            PhiSeconds = Median(phi),
            AugmentImagesPerSecond = augmentRate,
            AugmentFractionOfStep = 2 * warm / augmentRate,
            PeakMemoryBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            GflopsPerImage = flops / 1e9,
            TrainEffectiveGflops = effective,
            MatmulPeakGflops = peak,
            FractionOfMatmulPeak = effective / peak,
        };
    }

    /// <summary>Images per second of the augmentation alone (one view), on training-sized batches.</summary>
    public static double MeasureAugmentation(BatchAugmenter aug, int batchSize, ImageDataset data, int repeats)
    {
        int b = Math.Min(batchSize, data.Count);
        var rates = new List<double>();
        using var g = new Generator(1);
        for (int r = 0; r <= repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            int done = 0;
            for (int start = 0; start + b <= data.Count && done < 20 * b; start += b, done += b)
            {
                using var scope = NewDisposeScope();
                aug.Augment(data.Images.narrow(0, start, b), g);
            }
            if (r > 0) rates.Add(done / sw.Elapsed.TotalSeconds);
        }
        return Median(rates);
    }

    /// <summary>fp32 matmul throughput (2048^3, best of several), the machine's practical peak.</summary>
    public static double MatmulPeakGflops(int threads)
    {
        set_num_threads(threads);
        using var a = randn(2048, 2048);
        using var b = randn(2048, 2048);
        double best = 0;
        for (int i = 0; i < 6; i++)
        {
            var sw = Stopwatch.StartNew();
            using (var _ = a.mm(b)) { }
            best = Math.Max(best, 2.0 * 2048 * 2048 * 2048 / sw.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    /// <summary>Median of <paramref name="values"/>: the mean of the two middle values for an even count.</summary>
    /// <param name="values">Values in any order.</param>
    /// <returns>The median, or NaN when <paramref name="values"/> is empty.</returns>
    public static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
