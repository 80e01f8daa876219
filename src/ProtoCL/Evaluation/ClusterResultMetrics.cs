using System.Text.Json.Serialization;

namespace ProtoCL.Evaluation;

/// <summary>Outcome of the clustering-quality protocol (<see cref="ClusterEvaluation"/>); serialises with snake_case names.</summary>
public sealed record ClusterResultMetrics
{
    /// <summary>Protocol name the CLI records next to this result.</summary>
    public const string Protocol = "cluster";

    /// <summary>Adjusted mutual information (arithmetic normalisation, as scikit-learn's default).</summary>
    [JsonPropertyName("ami")]
    public required double Ami { get; init; }

    /// <summary>Normalised mutual information (arithmetic mean of the two entropies).</summary>
    [JsonPropertyName("nmi")]
    public required double Nmi { get; init; }

    /// <summary>Accuracy under the best one-to-one matching of clusters to classes (Hungarian), a fraction.</summary>
    [JsonPropertyName("accuracy")]
    public required double Accuracy { get; init; }

    /// <summary>Number of clusters K.</summary>
    [JsonPropertyName("k")]
    public required int K { get; init; }

    /// <summary>k-means restarts (0 when the assignments came from elsewhere, e.g. a PCL level).</summary>
    [JsonPropertyName("restarts")]
    public required int Restarts { get; init; }

    /// <summary>Sum of squared distances to the assigned centroids of the kept restart (null when not from k-means here).</summary>
    [JsonPropertyName("inertia")]
    public double? Inertia { get; init; }

    /// <summary>Most Lloyd iterations per restart (null when not from k-means here).</summary>
    [JsonPropertyName("max_iterations")]
    public int? MaxIterations { get; init; }

    /// <summary>Lloyd iterations of the kept restart (null when not from k-means here).</summary>
    [JsonPropertyName("iterations")]
    public int? Iterations { get; init; }

    /// <summary>Whether the kept restart stopped because no assignment changed, before <see cref="MaxIterations"/> (null when not from k-means here).</summary>
    [JsonPropertyName("converged")]
    public bool? Converged { get; init; }
}
