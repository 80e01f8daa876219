using ProtoCL.Data;
using ProtoCL.IO;
using ProtoCL.Model;

namespace ProtoCL.Training;

/// <summary>
/// The memory a training run needs beyond its images, estimated from its settings before it starts, so that a run that
/// cannot fit is refused with a line saying what to lower instead of being killed by the system minutes later. The
/// estimate adds the runtime (.NET and libtorch), the parameters with their gradients, SGD momentum and momentum-encoder
/// copy, one training step's activations (per image: the elements of every convolution's output,
/// <see cref="ResNetSize.ConvOutputs"/>, times the bytes a step was measured to hold per element), the E-step's
/// feature extraction and its embeddings. The per-element bytes are fitted to the peak resident memory of real runs
/// (results/bench/memory.md), where the estimate came out 4-12 % above what was measured.
/// </summary>
public sealed record MemoryEstimate
{
    /// <summary>.NET, libtorch and the CLI before any tensor of the run: 300 MB (the measured peak of small runs less their tensors was 180-280 MB).</summary>
    public const long RuntimeBytes = 300_000_000;

    /// <summary>Bytes a float32 training step holds per convolution-output element of one image with gradients: 22, fitted to
    /// ResNet-18 and ResNet-50 runs (the saved activations, the BatchNorm and ReLU outputs, the gradients of the backward
    /// pass and oneDNN's buffers).</summary>
    public const double Fp32BytesPerElement = 22;

    /// <summary>The same for bf16: 9.5 (bfloat16 convolutions, float32 BatchNorm).</summary>
    public const double Bf16BytesPerElement = 9.5;

    /// <summary>Factor for two views with gradients (SimCLR methods, symmetric MoCo / PCL) against one: 1.3, measured
    /// (the peak grows by less than a second view's activations).</summary>
    public const double TwoViewFactor = 1.3;

    /// <summary>Copies of the widest layer's output per image that the E-step's forward pass without gradients holds at its
    /// peak: 8, measured (a ResNet-50's feature extraction of 512 images added 1.5 GB to a run's peak where one copy is 0.2 GB).</summary>
    public const int EStepCopies = 8;

    /// <summary>Parameters with gradients, SGD momentum and (MoCo / PCL) the momentum encoder's copy, in bytes.</summary>
    public required long ParameterBytes { get; init; }

    /// <summary>One training step's activations and their gradients, in bytes.</summary>
    public required long StepBytes { get; init; }

    /// <summary>The images of that step: the batch in training, min(batch, the largest labelled subset) in fine-tuning.</summary>
    public required int StepImages { get; init; }

    /// <summary>The forward pass without gradients, in bytes: in training the E-step's (its feature batch at the widest layer,
    /// <see cref="EStepCopies"/> copies, and the embeddings of every image and the momentum features; 0 for methods without
    /// prototypes), in fine-tuning the scoring pass's.</summary>
    public required long EStepBytes { get; init; }

    /// <summary>What the run needs beyond its images: the runtime, the parameters, and the larger of a step and the E-step.</summary>
    public long TotalBytes => RuntimeBytes + ParameterBytes + Math.Max(StepBytes, EStepBytes);

    /// <summary>Estimates the run of <paramref name="o"/> on <paramref name="images"/> images of
    /// <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/>.</summary>
    public static MemoryEstimate For(TrainingOptions o, long images, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(o);
        var encoder = o.Encoder with { InChannels = channels, ImageSize = Math.Max(height, width) };
        long parameters = ResNetSize.Parameters(encoder);
        int copies = o.UsesMomentumEncoder ? 4 : 3;                                         // weights, gradients, momentum (+ key encoder)
        bool twoViews = !o.UsesMomentumEncoder || o.Symmetric;
        double perElement = o.Precision == Precision.Bf16 ? Bf16BytesPerElement : Fp32BytesPerElement;
        double step = (double)o.BatchSize * ResNetSize.ConvOutputs(encoder, height, width) * perElement * (twoViews ? TwoViewFactor : 1.0);
        long estep = o.UsesPrototypes
            ? EStepCopies * 4L * Math.Min(o.FeatureBatchSize, images) * ResNetSize.LargestOutput(encoder, height, width) + 2L * images * o.Encoder.Dim * 4
            : 0;
        return new MemoryEstimate { ParameterBytes = copies * 4 * parameters, StepBytes = (long)step, StepImages = o.BatchSize, EStepBytes = estep };
    }

    /// <summary>
    /// Estimates <c>eval finetune</c> (<see cref="Evaluation.FineTune"/>) of an encoder of <paramref name="encoder"/> on
    /// <paramref name="height"/> x <paramref name="width"/> images: the parameters with gradients and SGD momentum (the
    /// frozen projection head counted too, so an upper bound), one step of <paramref name="stepImages"/> images in one view
    /// (<see cref="Evaluation.FineTune.LargestStep"/>), and the scoring pass without gradients
    /// (<see cref="Evaluation.FineTune.ScoreBatchSize"/> images, <see cref="EStepCopies"/> copies of the widest layer).
    /// </summary>
    public static MemoryEstimate ForFineTune(EncoderOptions encoder, Evaluation.FineTuneOptions o, int stepImages, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(o);
        double perElement = o.Precision == Precision.Bf16 ? Bf16BytesPerElement : Fp32BytesPerElement;
        double step = (double)stepImages * ResNetSize.ConvOutputs(encoder, height, width) * perElement;
        long scoring = EStepCopies * 4L * Evaluation.FineTune.ScoreBatchSize * ResNetSize.LargestOutput(encoder, height, width);
        return new MemoryEstimate
        {
            ParameterBytes = 3 * 4 * ResNetSize.Parameters(encoder), StepBytes = (long)step, StepImages = stepImages, EStepBytes = scoring,
        };
    }

    /// <summary>Estimates the run of <paramref name="o"/> on <paramref name="data"/>.</summary>
    public static MemoryEstimate For(TrainingOptions o, ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return For(o, data.Count, data.Channels, data.Height, data.Width);
    }

    /// <summary>The estimate of the run of <paramref name="o"/> on <paramref name="data"/>; throws <see cref="ArgumentException"/>
    /// with <see cref="Refusal"/>'s line when it cannot fit in <paramref name="totalBytes"/> (default: the memory this
    /// process may use, the machine's or its container's).</summary>
    public static MemoryEstimate ThrowIfTooLarge(TrainingOptions o, ImageDataset data, long? totalBytes = null)
    {
        var estimate = For(o, data);
        if (estimate.Refusal(o, data.Images.NumberOfElements, totalBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes) is string refusal)
            throw new ArgumentException(refusal);
        return estimate;
    }

    /// <summary>The memory free for new work now (Linux: MemAvailable of /proc/meminfo), in bytes; null where it cannot be read.</summary>
    public static long? AvailableNow()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], out long kb))
                    return kb * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>
    /// The refusal for a run whose estimate, with its images (<paramref name="imageBytes"/>), exceeds the machine's memory
    /// (<paramref name="totalBytes"/>), naming the batch size that would fit; null when it fits.
    /// </summary>
    public string? Refusal(TrainingOptions o, long imageBytes, long totalBytes)
    {
        ArgumentNullException.ThrowIfNull(o);
        return RefusalLine("this run", "a training step", o.Precision, "a smaller --image-size or --width", imageBytes, totalBytes);
    }

    /// <summary>The refusal for an <c>eval finetune</c> whose estimate, with its training and test images
    /// (<paramref name="imageBytes"/>), exceeds <paramref name="totalBytes"/>; null when it fits.</summary>
    public string? FineTuneRefusal(Evaluation.FineTuneOptions o, long imageBytes, long totalBytes)
    {
        ArgumentNullException.ThrowIfNull(o);
        return RefusalLine("fine-tuning", "a fine-tuning step", o.Precision, null, imageBytes, totalBytes);
    }

    /// <summary>The fine-tuning estimate of <paramref name="encoder"/> on <paramref name="train"/> (steps of at most
    /// <paramref name="stepImages"/> images) and <paramref name="test"/>; throws <see cref="ArgumentException"/> with
    /// <see cref="FineTuneRefusal"/>'s line when it cannot fit in <paramref name="totalBytes"/> (default: the memory this
    /// process may use).</summary>
    public static MemoryEstimate ThrowIfFineTuneTooLarge(EncoderOptions encoder, Evaluation.FineTuneOptions o, ImageDataset train, ImageDataset test,
        int stepImages, long? totalBytes = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var estimate = ForFineTune(encoder, o, stepImages, train.Height, train.Width);
        long imageBytes = train.Images.NumberOfElements + test.Images.NumberOfElements;
        if (estimate.FineTuneRefusal(o, imageBytes, totalBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes) is string refusal)
            throw new ArgumentException(refusal);
        return estimate;
    }

    private string? RefusalLine(string what, string step, Precision precision, string? otherCuts, long imageBytes, long totalBytes)
    {
        if (TotalBytes + imageBytes <= totalBytes) return null;
        long fixedBytes = RuntimeBytes + ParameterBytes + imageBytes;
        double perImage = (double)StepBytes / StepImages;
        long fits = perImage > 0 ? (long)((0.8 * totalBytes - fixedBytes) / perImage) : 0;
        string hint = fits >= 2
            ? $"--batch-size {Math.Min(fits, StepImages - 1)} or less fits"
            : "even a batch of 2 does not fit";
        string bf16 = "--precision bf16 on a processor with AVX-512 BF16";
        string cuts = (otherCuts, precision) switch
        {
            (null, Precision.Fp32) => $"; {bf16} also cuts it",
            (null, _) => "",
            (_, Precision.Fp32) => $"; {otherCuts}, or {bf16}, also cut it",
            _ => $"; {otherCuts} also cuts it",
        };
        return $"{what} needs about {ByteSize.Readable(TotalBytes + imageBytes)} of memory ({step} of {StepImages} images: {ByteSize.Readable(StepBytes)}), " +
               $"more than this machine's {ByteSize.Readable(totalBytes)}: {hint}{cuts}";
    }

    /// <summary>The line a run prints before it starts: the estimate beyond the images and its <paramref name="step"/>'s share
    /// (e.g. "a training step").</summary>
    public string Summary(string step) =>
        $"memory: about {TotalBytes / 1e9:F2} GB beyond the images, estimated from the settings ({step}: {StepBytes / 1e9:F2} GB)";

    /// <summary><see cref="Note"/> against the memory free now (<see cref="AvailableNow"/>); null where it fits or that cannot be read.</summary>
    public string? NoteNow() => AvailableNow() is long free ? Note(free) : null;

    /// <summary>A note for a run that fits the machine but not the memory free now (<paramref name="availableBytes"/>); null otherwise.</summary>
    public string? Note(long availableBytes) =>
        TotalBytes <= availableBytes ? null
            : $"note: this run needs about {ByteSize.Readable(TotalBytes)} of memory beyond its images and {ByteSize.Readable(availableBytes)} is free now; other processes may have to give some back, or the system may stop this one";
}
