using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ProtoCL.Losses;

/// <summary>
/// The prototype term of Eq. ProtoNCE for one granularity, built as salesforce/PCL builds it: one N x (N + r)
/// logits matrix whose first N columns are the batch's positive prototypes in batch order and whose last
/// columns are negative prototypes sampled uniformly without replacement from the clusters that are positive
/// for no sample of the batch; each column divided by its prototype's concentration phi; row i's target is column i.
/// When fewer than r clusters remain (K &lt;= r plus the batch's positives), all of them are used.
/// <see cref="LossOutput.Correct"/> counts the rows whose best column holds the row's own prototype. A prototype that is
/// positive for several samples fills several identical columns (always when K is near or below the batch size), so
/// the reference's count of rows whose best column is column i would report about 1 / (samples per prototype) even
/// for a perfect fit; the loss itself is the reference's. With <c>eachPrototypeOnce</c> the logits are the paper's
/// equation instead: N x (P + r') over the P distinct positives (ascending id) and the same negatives, row i's target
/// being its own prototype's column.
/// </summary>
public static class ProtoNceLoss
{
    /// <param name="q">Query embeddings, L2-normalised, [N, D].</param>
    /// <param name="assignments">Cluster of each batch sample in this level, int64 [N].</param>
    /// <param name="prototypes">L2-normalised centroids of the level, [K, D].</param>
    /// <param name="phi">Concentration per cluster, [K].</param>
    /// <param name="negatives">r: how many negative prototypes to sample.</param>
    /// <param name="generator">Seeded source of the negative sampling.</param>
    /// <param name="eachPrototypeOnce">The paper's layout (each prototype one column) instead of the reference's.</param>
    public static LossOutput Compute(Tensor q, Tensor assignments, Tensor prototypes, Tensor phi, int negatives, Generator? generator,
        bool eachPrototypeOnce = false)
    {
        using var scope = NewDisposeScope();
        long k = prototypes.shape[0];
        Tensor ids, target;
        using (no_grad()) // prototype ids and targets: indices, no gradient
        {
            var isPositive = zeros(k, ScalarType.Bool, device: q.device);   // [K]
            isPositive.index_put_(tensor(true), assignments);              // [K]
            var candidates = nonzero(isPositive.logical_not()).view(-1);   // [K - distinct positives]
            long available = candidates.shape[0];
            Tensor negIds = available <= negatives
                ? candidates
                : candidates.index_select(0, randperm(available, generator: generator, device: q.device).narrow(0, 0, negatives)); // [r']
            if (eachPrototypeOnce)
            {
                var positives = nonzero(isPositive).view(-1);              // [P], ascending
                var column = zeros(k, ScalarType.Int64, device: q.device); // [K]: column of each positive prototype
                column.index_put_(arange(positives.shape[0], device: q.device), positives); // [K]
                ids = cat([positives, negIds], 0);                         // [P + r']
                target = column.index_select(0, assignments);              // [N]
            }
            else
            {
                ids = cat([assignments, negIds], 0);                       // [N + r']
                target = arange(q.shape[0], device: q.device);             // [N]
            }
        }
        var selected = prototypes.index_select(0, ids);                    // [C, D], C = N + r' or P + r'
        var temps = phi.index_select(0, ids);                              // [C]
        var logits = q.matmul(selected.t()).div_(temps.unsqueeze(0));      // [N, C]
        var loss = F.cross_entropy(logits, target);                        // []
        Tensor correct;
        using (no_grad())
        {
            var predicted = ids.index_select(0, logits.argmax(1));          // [N] prototype of each row's best column
            correct = predicted.eq(assignments).sum();                     // [] a count, no gradient
        }
        return new LossOutput(loss.MoveToOuterDisposeScope(), correct.MoveToOuterDisposeScope());
    }
}
