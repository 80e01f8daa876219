using static TorchSharp.torch;

namespace ProtoCL.Model;

/// <summary>
/// MoCo's queue of the r most recent momentum embeddings (the negatives of InfoNCE), stored [Dim, r] as MoCo does.
/// Any r and any batch size work: a batch that runs past the end wraps around, oldest keys replaced first.
/// </summary>
public sealed class KeyQueue : IDisposable
{
    /// <summary>Creates a queue of random unit vectors (MoCo initialises with normalised randn).</summary>
    public KeyQueue(int dim, int size, Generator generator)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), "queue size must be at least 1");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Keys = nn.functional.normalize(randn(dim, size, generator: generator), dim: 0).MoveToOuterDisposeScope(); // [D, r]
    }

    /// <summary>Restores a queue from its keys [Dim, r] and write position.</summary>
    public KeyQueue(Tensor keys, int pointer)
    {
        Keys = keys;                                                     // [D, r]
        Pointer = pointer;
    }

    /// <summary>[Dim, r], L2-normalised columns.</summary>
    public Tensor Keys { get; }

    /// <summary>Column where the next key is written.</summary>
    public int Pointer { get; private set; }

    /// <summary>Number of keys the queue holds (r, the columns of <see cref="Keys"/>).</summary>
    public int Size => (int)Keys.shape[1];

    /// <summary>Writes the batch's keys [B, Dim] at the pointer, wrapping around.</summary>
    public void Enqueue(Tensor keys) // keys: [B, D]
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int b = (int)keys.shape[0], r = Size;
        var k = keys.detach();                                            // [B, D]
        if (b >= r) k = k.narrow(0, b - r, r);                            // [r, D]: only the newest r survive
        int n = (int)k.shape[0];
        int first = Math.Min(n, r - Pointer);
        Keys.narrow(1, Pointer, first).copy_(k.narrow(0, 0, first).t());  // [D, first]
        if (n > first) Keys.narrow(1, 0, n - first).copy_(k.narrow(0, first, n - first).t()); // [D, n-first]
        Pointer = (Pointer + n) % r;
    }

    /// <summary>Frees <see cref="Keys"/>.</summary>
    public void Dispose() => Keys.Dispose();
}
