namespace ProtoCL.Training;

/// <summary>Checks every option's range and their combinations before any work; messages say what is wrong and what is allowed.</summary>
public static class TrainingOptionsValidator
{
    /// <summary>All problems found; empty when the options are usable for a dataset of <paramref name="imageCount"/> images (null: not yet known).</summary>
    public static IReadOnlyList<string> Validate(TrainingOptions o, int? imageCount = null)
    {
        var errors = new List<string>();
        void Need(bool ok, string message) { if (!ok) errors.Add(message); }
        Need(o.Epochs >= 1, $"--epochs must be at least 1 (got {o.Epochs})");
        Need(o.WarmupEpochs >= 0, $"--warmup-epochs must be 0 or more (got {o.WarmupEpochs})");
        Need(o.WarmupEpochs <= o.Epochs, $"--epochs ({o.Epochs}) must not be smaller than --warmup-epochs ({o.WarmupEpochs})");
        Need(o.BatchSize >= 2, $"--batch-size must be at least 2 (got {o.BatchSize})");
        Need(double.IsFinite(o.LearningRate) && o.LearningRate > 0, $"--lr must be a positive number (got {o.LearningRate})");
        Need(o.SgdMomentum is >= 0 and < 1, $"SGD momentum must be in [0, 1) (got {o.SgdMomentum})");
        Need(o.WeightDecay >= 0 && double.IsFinite(o.WeightDecay), $"--weight-decay must be 0 or more (got {o.WeightDecay})");
        Need(double.IsFinite(o.Temperature) && o.Temperature > 0 && o.Temperature <= 10, $"--temperature must be in (0, 10] (got {o.Temperature})");
        Need(o.EncoderMomentum is >= 0 and <= 1, $"--moco-momentum must be in [0, 1] (got {o.EncoderMomentum})");
        Need(o.Threads is >= 1 and <= 1024, $"--threads must be between 1 and 1024 (got {o.Threads})");
        Need(o.FeatureBatchSize >= 1, $"feature batch size must be at least 1 (got {o.FeatureBatchSize})");
        Need(o.KMeansIterations >= 1, $"k-means iterations must be at least 1 (got {o.KMeansIterations})");
        Need(o.KMeansRestarts >= 1, $"k-means restarts must be at least 1 (got {o.KMeansRestarts})");
        Need(o.Limit is null || o.Limit >= 1, $"--limit must be at least 1 (got {o.Limit})");
        Need(o.LoadSize is null or (>= 8 and <= 4096), $"--image-size must be between 8 and 4096 pixels (got {o.LoadSize})");
        Need(o.Encoder.Width is >= 1 and <= 1024, $"--width must be between 1 and 1024 (got {o.Encoder.Width})");
        Need(o.Encoder.Dim is >= 2 and <= 65536, $"embedding size must be between 2 and 65536 (got {o.Encoder.Dim})");
        Need(o.Encoder.BnGroups >= 1, $"--bn-groups must be at least 1 (got {o.Encoder.BnGroups})");
        Need(o.Encoder.BnGroups <= 1 || o.BatchSize % o.Encoder.BnGroups == 0 && o.BatchSize / o.Encoder.BnGroups >= 2,
            $"--batch-size ({o.BatchSize}) must be a multiple of the BatchNorm groups (--bn-groups {o.Encoder.BnGroups}) with at least 2 images per group");
        var a = o.Augmentation;
        Need(a.CropScaleMin > 0 && a.CropScaleMin <= a.CropScaleMax && a.CropScaleMax <= 1, $"crop scale must satisfy 0 < min <= max <= 1 (got {a.CropScaleMin}..{a.CropScaleMax})");
        if (o.UsesMomentumEncoder)
            Need(o.QueueSize is >= 1 and <= 10_000_000, $"--queue must be between 1 and 10,000,000 (got {o.QueueSize})");
        if (o.UsesPrototypes)
        {
            Need(o.Clusters.Length >= 1, "--clusters needs at least one K for the prototype methods (e.g. --clusters 100,200)");
            foreach (var k in o.Clusters)
                Need(k >= 2, $"every K in --clusters must be at least 2 (got {k})");
            Need(o.Clusters.Distinct().Count() == o.Clusters.Length, $"--clusters has a repeated K ({string.Join(",", o.Clusters)})");
        }
        if (o.Precision == Precision.Bf16 && !CpuFeatures.HasBf16)
            errors.Add(Evaluation.FineTuneOptions.Bf16Unsupported);
        if (imageCount is int n)
        {
            Need(n >= 2, $"the data holds {n} image(s); training needs at least 2");
            if (n >= 2)
            {
                Need(o.BatchSize <= n, $"--batch-size ({o.BatchSize}) must not exceed the number of images ({n}); use --batch-size {Math.Max(2, Math.Min(n, 256) / Math.Max(1, o.Encoder.BnGroups) * Math.Max(1, o.Encoder.BnGroups))} or fewer");
                if (o.UsesPrototypes && o.Clusters.Where(k => k >= n).ToArray() is { Length: > 0 } tooMany)
                    errors.Add($"K = {string.Join(", ", tooMany)} in --clusters must be smaller than the number of images ({n})");
            }
        }
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with every problem, one per line.</summary>
    public static void ThrowIfInvalid(TrainingOptions o, int? imageCount = null)
    {
        var errors = Validate(o, imageCount);
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors));
    }
}
