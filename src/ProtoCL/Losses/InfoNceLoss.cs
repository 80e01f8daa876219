using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ProtoCL.Losses;

/// <summary>Loss value with the top-1 accuracy of its logits (how often the positive scores highest).</summary>
public readonly record struct LossOutput(Tensor Loss, Tensor Correct);

/// <summary>
/// Eq. InfoNCE (MoCo): per sample -log(exp(v.v'/tau) / sum_j exp(v.v'_j/tau)), j = 0 the positive key and the
/// r others the queue; cross-entropy over logits [pos, queue] / tau with target 0, averaged over the batch.
/// </summary>
public static class InfoNceLoss
{
    /// <param name="q">Query embeddings, L2-normalised, [N, D].</param>
    /// <param name="k">Positive keys, L2-normalised, [N, D].</param>
    /// <param name="queue">Negative keys [D, r].</param>
    /// <param name="temperature">tau.</param>
    public static LossOutput Compute(Tensor q, Tensor k, Tensor queue, double temperature)
    {
        using var scope = NewDisposeScope();
        var pos = (q * k).sum(1, keepdim: true);                          // [N, 1]
        var neg = q.matmul(queue);                                         // [N, r]
        var logits = cat([pos, neg], 1).div_(temperature);                 // [N, 1 + r]
        var target = zeros(q.shape[0], ScalarType.Int64, device: q.device); // [N]
        var loss = F.cross_entropy(logits, target);                        // []
        Tensor correct;
        using (no_grad()) correct = logits.argmax(1).eq(0).sum();          // [] a count, no gradient
        return new LossOutput(loss.MoveToOuterDisposeScope(), correct.MoveToOuterDisposeScope());
    }
}
