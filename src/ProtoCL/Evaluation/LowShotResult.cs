using System.Text.Json.Serialization;

namespace ProtoCL.Evaluation;

/// <summary>Outcome of the low-shot SVM protocol (<see cref="LowShotSvm"/>); serialises with snake_case names.</summary>
public sealed record LowShotResult
{
    /// <summary>Protocol name the CLI records next to this result.</summary>
    public const string Protocol = "lowshot";

    /// <summary>Per number of labelled samples per class, keyed "1", "2", "4", "8", "16".</summary>
    [JsonPropertyName("results")]
    public required Dictionary<string, LowShotK> Results { get; init; }

    /// <summary>SVM cost C.</summary>
    [JsonPropertyName("cost")]
    public required double Cost { get; init; }

    /// <summary>Weight of the positive class (its samples get cost C * weight).</summary>
    [JsonPropertyName("positive_weight")]
    public required double PositiveWeight { get; init; }

    /// <summary>Weight of the negative class.</summary>
    [JsonPropertyName("negative_weight")]
    public required double NegativeWeight { get; init; }

    /// <summary>Random draws of the labelled samples per k.</summary>
    [JsonPropertyName("draws")]
    public required int Draws { get; init; }

    /// <summary>Seed of the draws.</summary>
    [JsonPropertyName("seed")]
    public required int Seed { get; init; }

    /// <summary>Stopping tolerance of the dual coordinate descent (LinearSVC's tol).</summary>
    [JsonPropertyName("tolerance")]
    public double Tolerance { get; init; }

    /// <summary>Most passes of the dual coordinate descent per SVM (LinearSVC's max_iter).</summary>
    [JsonPropertyName("max_iterations")]
    public int MaxIterations { get; init; }
}

/// <summary>Low-shot results for one k (labelled samples per class), over all draws.</summary>
public sealed record LowShotK
{
    /// <summary>Mean accuracy (argmax of the per-class SVM scores) over the draws, a fraction.</summary>
    [JsonPropertyName("accuracy_mean")]
    public required double AccuracyMean { get; init; }

    /// <summary>Population standard deviation (divisor = number of draws, numpy's default) of the accuracies.</summary>
    [JsonPropertyName("accuracy_std")]
    public required double AccuracyStd { get; init; }

    /// <summary>Mean of the per-draw mAP.</summary>
    [JsonPropertyName("map_mean")]
    public required double MapMean { get; init; }

    /// <summary>Population standard deviation (divisor = number of draws) of the per-draw mAP.</summary>
    [JsonPropertyName("map_std")]
    public required double MapStd { get; init; }

    /// <summary>Accuracy of each draw, in draw order.</summary>
    [JsonPropertyName("accuracies")]
    public required double[] Accuracies { get; init; }

    /// <summary>mAP of each draw, in draw order.</summary>
    [JsonPropertyName("maps")]
    public required double[] Maps { get; init; }

    /// <summary>The training images each draw labelled, in draw order: k of class 0, then k of class 1, and so on; each is
    /// its position in the training data as read (the <c>index</c> of <c>embed --csv</c>), so another tool can score the
    /// same draws. Null in results written before it was recorded.</summary>
    [JsonPropertyName("train_indices")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[][]? TrainIndices { get; init; }
}
