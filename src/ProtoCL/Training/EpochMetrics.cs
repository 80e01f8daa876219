using System.Text.Json.Serialization;

namespace ProtoCL.Training;

/// <summary>One line of metrics.jsonl: what a finished epoch measured. Prototype fields are null during warm-up.</summary>
public sealed record EpochMetrics
{
    [JsonPropertyName("epoch")] public int Epoch { get; init; }
    [JsonPropertyName("loss")] public double Loss { get; init; }
    [JsonPropertyName("loss_instance")] public double LossInstance { get; init; }
    [JsonPropertyName("loss_proto")] public double? LossProto { get; init; }
    [JsonPropertyName("acc_instance")] public double AccInstance { get; init; }
    /// <summary>Share of query rows whose best prototype is their own cluster's, averaged over the levels (and over the
    /// views that take the prototype term); 1 / K would be chance for equal clusters.</summary>
    [JsonPropertyName("acc_proto")] public double? AccProto { get; init; }
    [JsonPropertyName("lr")] public double Lr { get; init; }
    [JsonPropertyName("images_per_second")] public double ImagesPerSecond { get; init; }
    [JsonPropertyName("seconds_train")] public double SecondsTrain { get; init; }
    [JsonPropertyName("seconds_estep")] public double SecondsEStep { get; init; }
    [JsonPropertyName("seconds_estep_features")] public double SecondsEStepFeatures { get; init; }
    [JsonPropertyName("seconds_kmeans")] public double SecondsKMeans { get; init; }
    [JsonPropertyName("seconds_phi")] public double SecondsPhi { get; init; }
    [JsonPropertyName("clusters")] public int[]? Clusters { get; init; }
    [JsonPropertyName("warnings")] public string[]? Warnings { get; init; }
}

/// <summary>Receives progress from a training run (the CLI draws progress bars from it).</summary>
public interface ITrainingObserver
{
    /// <summary>A stage (e.g. "epoch 3/10", "E-step features", "k-means K=100") advanced to done of total.</summary>
    void Progress(string stage, long done, long total, string? detail = null);

    /// <summary>An epoch finished and its metrics were written.</summary>
    void EpochFinished(EpochMetrics metrics);

    /// <summary>Something the user should know (resume point, warnings).</summary>
    void Message(string text);
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullTrainingObserver : ITrainingObserver
{
    public static readonly NullTrainingObserver Instance = new();
    public void Progress(string stage, long done, long total, string? detail = null) { }
    public void EpochFinished(EpochMetrics metrics) { }
    public void Message(string text) { }
}

/// <summary>Thrown when the loss or the features stop being finite; the last good checkpoint is kept.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>Raised inside an epoch when cancellation was requested; carries what a mid-epoch checkpoint needs.</summary>
public sealed class TrainingInterruptedException(PartialEpoch state) : Exception("training interrupted")
{
    public PartialEpoch State { get; } = state;
}
