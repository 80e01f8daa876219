using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ProtoCL.Losses;

/// <summary>
/// SimCLR's NT-Xent over 2N views: each view's positive is the other view of its image, the 2N - 2 other views
/// of the batch are its negatives (no queue, no momentum encoder), temperature-scaled cosine similarities.
/// </summary>
public static class NtXentLoss
{
    /// <param name="z1">First views, L2-normalised, [N, D].</param>
    /// <param name="z2">Second views, L2-normalised, [N, D].</param>
    /// <param name="temperature">tau.</param>
    public static LossOutput Compute(Tensor z1, Tensor z2, double temperature)
    {
        using var scope = NewDisposeScope();
        long n = z1.shape[0];
        var z = cat([z1, z2], 0);                                          // [2N, D]
        var sim = z.matmul(z.t()).div_(temperature);                       // [2N, 2N]
        var self = eye(2 * n, dtype: ScalarType.Bool, device: z.device);   // [2N, 2N]
        sim = sim.masked_fill(self, double.NegativeInfinity);              // [2N, 2N], a view never its own negative
        var idx = arange(n, device: z.device);                             // [N]
        var target = cat([idx + n, idx], 0);                               // [2N]: view i pairs with i +- N
        var loss = F.cross_entropy(sim, target);                           // []
        Tensor correct;
        using (no_grad()) correct = sim.argmax(1).eq(target).sum();        // [] a count, no gradient
        return new LossOutput(loss.MoveToOuterDisposeScope(), correct.MoveToOuterDisposeScope());
    }
}
