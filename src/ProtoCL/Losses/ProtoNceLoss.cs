using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ProtoCL.Losses;

/// <summary>
/// The prototype term of Eq. ProtoNCE for one granularity, built as salesforce/PCL builds it: one N x (N + r)
/// logits matrix whose first N columns are the batch's positive prototypes in batch order and whose last
/// columns are negative prototypes sampled uniformly without replacement from the clusters that are positive
/// for no sample of the batch; each column divided by its prototype's concentration phi; row i's target is column i.
/// When fewer than r clusters remain (K &lt;= r plus the batch's positives), all of them are used.
/// </summary>
public static class ProtoNceLoss
{
    /// <param name="q">Query embeddings, L2-normalised, [N, D].</param>
    /// <param name="assignments">Cluster of each batch sample in this level, int64 [N].</param>
    /// <param name="prototypes">L2-normalised centroids of the level, [K, D].</param>
    /// <param name="phi">Concentration per cluster, [K].</param>
    /// <param name="negatives">r: how many negative prototypes to sample.</param>
    /// <param name="generator">Seeded source of the negative sampling.</param>
    public static LossOutput Compute(Tensor q, Tensor assignments, Tensor prototypes, Tensor phi, int negatives, Generator? generator)
    {
        using var scope = NewDisposeScope();
        long k = prototypes.shape[0];
        var isPositive = zeros(k, ScalarType.Bool, device: q.device);       // [K]
        isPositive.index_put_(tensor(true), assignments);
        var candidates = nonzero(isPositive.logical_not()).view(-1);       // [K - distinct positives]
        long available = candidates.shape[0];
        Tensor negIds = available <= negatives
            ? candidates
            : candidates.index_select(0, randperm(available, generator: generator, device: q.device).narrow(0, 0, negatives)); // [r]
        var ids = cat([assignments, negIds], 0);                           // [N + r']
        var selected = prototypes.index_select(0, ids);                    // [N + r', D]
        var temps = phi.index_select(0, ids);                              // [N + r']
        var logits = q.matmul(selected.t()).div_(temps.unsqueeze(0));      // [N, N + r']
        var target = arange(q.shape[0], device: q.device);                 // [N]
        var loss = F.cross_entropy(logits, target);
        var correct = logits.argmax(1).eq(target).sum();
        return new LossOutput(loss.MoveToOuterDisposeScope(), correct.MoveToOuterDisposeScope());
    }
}
