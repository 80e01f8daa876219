using System.Text.Json.Serialization;

namespace ProtoCL.Evaluation;

/// <summary>Outcome of the weighted kNN protocol (<see cref="KnnClassifier"/>); serialises with snake_case names.</summary>
public sealed record KnnResult
{
    /// <summary>Protocol name the CLI records next to this result.</summary>
    public const string Protocol = "knn";

    /// <summary>Top-1 accuracy on the test features, a fraction in [0, 1].</summary>
    [JsonPropertyName("accuracy")]
    public required double Accuracy { get; init; }

    /// <summary>Number of neighbours that voted (the requested k, capped at the train set size).</summary>
    [JsonPropertyName("k")]
    public required int K { get; init; }

    /// <summary>Temperature T of the vote weight exp(sim / T).</summary>
    [JsonPropertyName("temperature")]
    public required double Temperature { get; init; }

    /// <summary>Correctly classified test samples per true class (index = class).</summary>
    [JsonPropertyName("per_class_correct")]
    public required int[] PerClassCorrect { get; init; }

    /// <summary>Test samples per true class (index = class).</summary>
    [JsonPropertyName("per_class_total")]
    public required int[] PerClassTotal { get; init; }
}
