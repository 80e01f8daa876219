namespace ProtoCL.Reporting;

/// <summary>One finished training epoch, as read back from a line of <c>metrics.jsonl</c> (the trainer's own record is <see cref="ProtoCL.Training.EpochMetrics"/>).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Total loss (instance + prototype) averaged over the epoch.</param>
/// <param name="LossInstance">Instance-discrimination loss: InfoNCE (MoCo, PCL) or NT-Xent (SimCLR, PCL-SimCLR).</param>
/// <param name="LossProto">Prototype (ProtoNCE) term, or null in epochs without prototypes (warm-up, MoCo, SimCLR).</param>
/// <param name="AccInstance">Instance-discrimination top-1 accuracy, a fraction: the share of query views whose positive scored highest.</param>
/// <param name="AccProto">Prototype accuracy, a fraction: the share of query rows whose best prototype is their own cluster's,
/// averaged over the levels (1 / K is chance for equal clusters); null in epochs without prototypes.</param>
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
