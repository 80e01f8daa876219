using ProtoCL.Training;

namespace ProtoCL.Evaluation;

/// <summary>
/// Settings of the semi-supervised protocol (<see cref="FineTune"/>): the whole network, the pre-trained backbone and a
/// new linear classifier on its features, trained on a class-balanced fraction of the labelled training images.
/// The paper (Table 2) fine-tunes on 1 % and 10 % of ImageNet's labels and reports top-5 accuracy but does not print
/// its fine-tuning schedule; the optimiser settings below are ProtoCL's, after the common ImageNet semi-supervised
/// recipe (SGD with momentum, a backbone learning rate ten times below the classifier's, 20 epochs, step decay).
/// </summary>
public sealed record FineTuneOptions
{
    /// <summary>Percentages of each class's labelled training images to fine-tune on: 1 and 10 (the paper's Table 2).</summary>
    public IReadOnlyList<double> Percents { get; init; } = [1, 10];

    /// <summary>Passes over the labelled subset, at least: 20, ProtoCL's choice (the common 1 % / 10 % ImageNet recipe); more when they would take fewer than <see cref="MinSteps"/> steps.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>SGD steps per percentage, at least: 500, ProtoCL's choice. The ImageNet recipe's 20 epochs of a 1 % subset are about 1,000 steps; 1 % of a
    /// small dataset is a few minibatches (Fashion-MNIST: 600 images, 3 per epoch), and 20 epochs of them leave the subset under-fit (60 steps: 79 % of it fit).</summary>
    public int MinSteps { get; init; } = 500;

    /// <summary>Minibatch size: 256, the paper's batch size; a subset that is not a multiple is cut into near-equal minibatches (no minibatch of one image for BatchNorm, from a batch size of 3 up).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>SGD learning rate of the pre-trained backbone: 0.01, ProtoCL's choice (a tenth of the classifier's, so the pre-trained features are adapted, not overwritten).</summary>
    public double BackboneLearningRate { get; init; } = 0.01;

    /// <summary>SGD learning rate of the new linear classifier: 0.1, ProtoCL's choice.</summary>
    public double HeadLearningRate { get; init; } = 0.1;

    /// <summary>SGD momentum: 0.9, the paper's optimiser momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay: 0, ProtoCL's choice (SimCLR's fine-tuning uses none; the subset is small and the schedule short).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Both learning rates are multiplied by this at 60 % and at 80 % of the epochs (epochs 12 and 16 of 20): 0.2, ProtoCL's choice.</summary>
    public double DecayFactor { get; init; } = 0.2;

    /// <summary>Smallest random-crop area of the fine-tuning augmentation (random resized crop and horizontal flip, no colour jitter): 0.2, the paper's pre-training crop (main_pcl.py RandomResizedCrop scale=(0.2, 1.)).</summary>
    public double CropScaleMin { get; init; } = 0.2;

    /// <summary>Seed of the labelled subset, the classifier's initialisation, the minibatch order and the augmentation: 0.</summary>
    public int Seed { get; init; }

    /// <summary>Arithmetic of the convolutions while fine-tuning and scoring: fp32, as the frozen-feature protocols extract
    /// their features. bf16 runs them in bfloat16 with float32 master weights, optimiser state, classifier and loss, as
    /// training's <c>--precision bf16</c> does (processors with AVX-512 BF16).</summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>The epochs a subset cut into <paramref name="batchesPerEpoch"/> minibatches is trained for: <see cref="Epochs"/>, or
    /// as many more as <see cref="MinSteps"/> needs.</summary>
    public int EpochsFor(int batchesPerEpoch) => Math.Max(Epochs, (MinSteps + batchesPerEpoch - 1) / batchesPerEpoch);

    /// <summary>The epochs (0-based) from which each decay applies: 60 % and 80 % of <paramref name="epochs"/>, rounded.</summary>
    public static int[] DecayEpochs(int epochs) => [(int)Math.Round(0.6 * epochs), (int)Math.Round(0.8 * epochs)];

    /// <summary>The learning-rate factor in epoch <paramref name="epoch"/> (0-based) of <paramref name="epochs"/>: <see cref="DecayFactor"/> to the number of decays passed.</summary>
    public double LearningRateFactor(int epoch, int epochs) => Math.Pow(DecayFactor, DecayEpochs(epochs).Count(e => epoch >= e));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Percents is null || Percents.Count == 0) throw new ArgumentException("Percents needs at least one percentage");
        foreach (var p in Percents)
            if (!(p > 0 && p <= 100)) throw new ArgumentException($"every percentage must be in (0, 100], got {p}");
        if (Percents.Distinct().Count() != Percents.Count) throw new ArgumentException($"Percents has a repeated value ({string.Join(", ", Percents)})");
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, got {Epochs}");
        if (MinSteps < 0) throw new ArgumentException($"MinSteps must be 0 or more, got {MinSteps}");
        if (BatchSize < 2) throw new ArgumentException($"BatchSize must be at least 2 (BatchNorm in training), got {BatchSize}");
        if (!(BackboneLearningRate >= 0)) throw new ArgumentException($"BackboneLearningRate must be >= 0, got {BackboneLearningRate}");
        if (!(HeadLearningRate > 0)) throw new ArgumentException($"HeadLearningRate must be positive, got {HeadLearningRate}");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentException($"Momentum must be in [0, 1), got {Momentum}");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"WeightDecay must be >= 0, got {WeightDecay}");
        if (!(DecayFactor > 0 && DecayFactor <= 1)) throw new ArgumentException($"DecayFactor must be in (0, 1], got {DecayFactor}");
        if (!(CropScaleMin > 0 && CropScaleMin <= 1)) throw new ArgumentException($"CropScaleMin must be in (0, 1], got {CropScaleMin}");
        if (Precision == Precision.Bf16 && !CpuFeatures.HasBf16) throw new ArgumentException(Bf16Unsupported);
    }

    /// <summary>What is said when bf16 is asked of a processor without AVX-512 BF16.</summary>
    public const string Bf16Unsupported = "--precision bf16 needs a processor with AVX-512 BF16 (avx512_bf16); this one lacks it: use --precision fp32";
}
