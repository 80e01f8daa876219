using System.Text.Json.Serialization;

namespace ProtoCL.Training;

/// <summary>One line of metrics.jsonl: what a finished epoch measured. Prototype fields are null during warm-up.</summary>
public sealed record EpochMetrics
{
    /// <summary>Number of the epoch, 1-based.</summary>
    [JsonPropertyName("epoch")] public int Epoch { get; init; }
    /// <summary>Mean training loss per image over the epoch: instance term plus prototype term.</summary>
    [JsonPropertyName("loss")] public double Loss { get; init; }
    /// <summary>Mean instance-discrimination loss per image: InfoNCE for MoCo and PCL, NT-Xent for SimCLR and PCL-SimCLR.</summary>
    [JsonPropertyName("loss_instance")] public double LossInstance { get; init; }
    /// <summary>Mean prototype (ProtoNCE) term per image, averaged over the levels and query views; null in epochs without prototypes.</summary>
    [JsonPropertyName("loss_proto")] public double? LossProto { get; init; }
    /// <summary>Top-1 accuracy (0 to 1) of the instance term: the share of query views whose positive scored highest.</summary>
    [JsonPropertyName("acc_instance")] public double AccInstance { get; init; }
    /// <summary>Share of query rows whose best prototype is their own cluster's, averaged over the levels (and over the
    /// views that take the prototype term); 1 / K would be chance for equal clusters.</summary>
    [JsonPropertyName("acc_proto")] public double? AccProto { get; init; }
    /// <summary>Learning rate used for the whole epoch, after the schedule.</summary>
    [JsonPropertyName("lr")] public double Lr { get; init; }
    /// <summary>Training images per second over the epoch's minibatches, E-step excluded; an image counts once for its two views.</summary>
    [JsonPropertyName("images_per_second")] public double ImagesPerSecond { get; init; }
    /// <summary>Wall-clock seconds of the epoch's minibatches.</summary>
    [JsonPropertyName("seconds_train")] public double SecondsTrain { get; init; }
    /// <summary>Wall-clock seconds of the E-step at the start of the epoch (features, k-means, phi, saving the clusters); 0 without one.</summary>
    [JsonPropertyName("seconds_estep")] public double SecondsEStep { get; init; }
    /// <summary>Seconds of the E-step spent computing the embeddings of all images; 0 without one.</summary>
    [JsonPropertyName("seconds_estep_features")] public double SecondsEStepFeatures { get; init; }
    /// <summary>Seconds of the E-step's k-means, summed over the levels; 0 without one.</summary>
    [JsonPropertyName("seconds_kmeans")] public double SecondsKMeans { get; init; }
    /// <summary>Seconds of the E-step's phi estimate, summed over the levels; 0 without one.</summary>
    [JsonPropertyName("seconds_phi")] public double SecondsPhi { get; init; }
    /// <summary>Number of clusters K of each E-step level; null in epochs without prototypes.</summary>
    [JsonPropertyName("clusters")] public int[]? Clusters { get; init; }
    /// <summary>The E-step's warnings (k-means, collapse), each prefixed "K=...: "; null when there were none.</summary>
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
    /// <summary>A shared instance; the observer holds no state.</summary>
    public static readonly NullTrainingObserver Instance = new();
    /// <summary>Ignores the progress report.</summary>
    /// <param name="stage">Ignored.</param>
    /// <param name="done">Ignored.</param>
    /// <param name="total">Ignored.</param>
    /// <param name="detail">Ignored.</param>
    public void Progress(string stage, long done, long total, string? detail = null) { }
    /// <summary>Ignores the finished epoch.</summary>
    /// <param name="metrics">Ignored.</param>
    public void EpochFinished(EpochMetrics metrics) { }
    /// <summary>Ignores the message.</summary>
    /// <param name="text">Ignored.</param>
    public void Message(string text) { }
}

/// <summary>Thrown when the loss or the features stop being finite; the last good checkpoint is kept.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>Raised inside an epoch when cancellation was requested; carries what a mid-epoch checkpoint needs.</summary>
public sealed class TrainingInterruptedException(PartialEpoch state) : Exception("training interrupted")
{
    /// <summary>Where the epoch stopped (minibatches done, generator state, running sums); the trainer saves it as <see cref="CheckpointMeta.Partial"/>.</summary>
    public PartialEpoch State { get; } = state;
}
