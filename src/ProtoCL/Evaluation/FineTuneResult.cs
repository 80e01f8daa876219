using System.Text.Json.Serialization;

namespace ProtoCL.Evaluation;

/// <summary>Outcome of the semi-supervised protocol (<see cref="FineTune"/>); serialises with snake_case names.</summary>
public sealed record FineTuneResult
{
    /// <summary>Protocol name the CLI records next to this result.</summary>
    public const string Protocol = "finetune";

    /// <summary>One entry per percentage of labels, keyed by the percentage as written ("1", "10", "0.5").</summary>
    [JsonPropertyName("results")]
    public required IReadOnlyDictionary<string, FineTunePercent> Results { get; init; }

    /// <summary>Passes over each labelled subset, at least (each percentage's <c>epochs</c> says how many it took).</summary>
    [JsonPropertyName("min_epochs")]
    public required int Epochs { get; init; }

    /// <summary>SGD steps per percentage, at least.</summary>
    [JsonPropertyName("min_steps")]
    public required int MinSteps { get; init; }

    /// <summary>Largest minibatch size.</summary>
    [JsonPropertyName("batch_size")]
    public required int BatchSize { get; init; }

    /// <summary>Initial SGD learning rate of the backbone.</summary>
    [JsonPropertyName("backbone_learning_rate")]
    public required double BackboneLearningRate { get; init; }

    /// <summary>Initial SGD learning rate of the linear classifier.</summary>
    [JsonPropertyName("head_learning_rate")]
    public required double HeadLearningRate { get; init; }

    /// <summary>SGD momentum.</summary>
    [JsonPropertyName("momentum")]
    public required double Momentum { get; init; }

    /// <summary>L2 weight decay.</summary>
    [JsonPropertyName("weight_decay")]
    public required double WeightDecay { get; init; }

    /// <summary>Factor of each learning-rate decay.</summary>
    [JsonPropertyName("decay_factor")]
    public required double DecayFactor { get; init; }

    /// <summary>Smallest random-crop area of the fine-tuning augmentation.</summary>
    [JsonPropertyName("crop_scale_min")]
    public required double CropScaleMin { get; init; }

    /// <summary>Seed of the subsets, initialisation, order and augmentation.</summary>
    [JsonPropertyName("seed")]
    public required int Seed { get; init; }

    /// <summary>Arithmetic of the convolutions: "fp32" or "bf16".</summary>
    [JsonPropertyName("precision")]
    public required string Precision { get; init; }
}

/// <summary>Fine-tuning on one percentage of the labels.</summary>
public sealed record FineTunePercent
{
    /// <summary>Top-1 accuracy on the test images, a fraction in [0, 1].</summary>
    [JsonPropertyName("accuracy")]
    public required double Accuracy { get; init; }

    /// <summary>Top-5 accuracy on the test images (the paper's Table 2 metric), a fraction; top-C when there are C &lt; 5 classes.</summary>
    [JsonPropertyName("top5_accuracy")]
    public required double Top5Accuracy { get; init; }

    /// <summary>Top-1 accuracy on the labelled subset, un-augmented (how well the network fits it).</summary>
    [JsonPropertyName("train_accuracy")]
    public required double TrainAccuracy { get; init; }

    /// <summary>Mean cross-entropy over the last epoch's minibatches.</summary>
    [JsonPropertyName("final_loss")]
    public required double FinalLoss { get; init; }

    /// <summary>Labelled images fine-tuned on.</summary>
    [JsonPropertyName("labelled_images")]
    public required int LabelledImages { get; init; }

    /// <summary>Labelled images per class (index = class), each max(1, round(percent / 100 x the class's labelled images)).</summary>
    [JsonPropertyName("per_class_images")]
    public required int[] PerClassImages { get; init; }

    /// <summary>Passes over the subset: the minimum epochs, or more to reach the minimum steps.</summary>
    [JsonPropertyName("epochs")]
    public required int Epochs { get; init; }

    /// <summary>Epochs (0-based) from which the learning rates are multiplied by the decay factor once more.</summary>
    [JsonPropertyName("decay_epochs")]
    public required int[] DecayEpochs { get; init; }

    /// <summary>SGD steps taken.</summary>
    [JsonPropertyName("steps")]
    public required int Steps { get; init; }
}
