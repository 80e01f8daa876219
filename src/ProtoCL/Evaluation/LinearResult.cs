using System.Text.Json.Serialization;

namespace ProtoCL.Evaluation;

/// <summary>Outcome of the linear probe (<see cref="LinearProbe"/>); serialises with snake_case names.</summary>
public sealed record LinearResult
{
    /// <summary>Protocol name the CLI records next to this result.</summary>
    public const string Protocol = "linear";

    /// <summary>Top-1 accuracy on the test features, a fraction in [0, 1].</summary>
    [JsonPropertyName("accuracy")]
    public required double Accuracy { get; init; }

    /// <summary>Top-1 accuracy on the training features (how well the probe fits), a fraction in [0, 1].</summary>
    [JsonPropertyName("train_accuracy")]
    public required double TrainAccuracy { get; init; }

    /// <summary>Mean cross-entropy over the last epoch's minibatches (without the weight-decay term).</summary>
    [JsonPropertyName("final_loss")]
    public required double FinalLoss { get; init; }

    /// <summary>Passes over the training features.</summary>
    [JsonPropertyName("epochs")]
    public required int Epochs { get; init; }

    /// <summary>Minibatch size.</summary>
    [JsonPropertyName("batch_size")]
    public required int BatchSize { get; init; }

    /// <summary>Initial Adam learning rate (cosine-annealed to 0).</summary>
    [JsonPropertyName("learning_rate")]
    public required double LearningRate { get; init; }

    /// <summary>L2 weight decay of Adam.</summary>
    [JsonPropertyName("weight_decay")]
    public required double WeightDecay { get; init; }

    /// <summary>Seed of the minibatch order.</summary>
    [JsonPropertyName("seed")]
    public required int Seed { get; init; }
}
