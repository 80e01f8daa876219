namespace ProtoCL.Reporting;

/// <summary>One finished training epoch, as read back from a line of <c>metrics.jsonl</c> (the trainer's own record is <see cref="ProtoCL.Training.EpochMetrics"/>).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Total loss (instance + prototype) averaged over the epoch.</param>
/// <param name="LossInstance">Instance-wise InfoNCE loss.</param>
/// <param name="LossProto">ProtoNCE loss, or null during warm-up (no clustering yet).</param>
/// <param name="AccInstance">Instance-discrimination accuracy (positive ranked first).</param>
/// <param name="AccProto">Prototype accuracy, or null during warm-up.</param>
/// <param name="Lr">Learning rate at the end of the epoch.</param>
/// <param name="ImagesPerSecond">Training throughput.</param>
/// <param name="SecondsTrain">Wall time of the M-step (gradient steps).</param>
/// <param name="SecondsEstep">Wall time of the E-step (feature extraction + clustering).</param>
public sealed record MetricsLine(
    int Epoch,
    double Loss,
    double LossInstance,
    double? LossProto,
    double AccInstance,
    double? AccProto,
    double Lr,
    double ImagesPerSecond,
    double SecondsTrain,
    double SecondsEstep);
