using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Evaluation;

/// <summary>
/// A SHA-256 fingerprint of a module's exact parameter (and buffer) bytes, so an evaluation can prove
/// that the backbone it read features from is bitwise unchanged afterwards.
/// </summary>
public static class ParameterFingerprint
{
    /// <summary>
    /// Hex SHA-256 over every named parameter and, unless <paramref name="includeBuffers"/> is false,
    /// every named buffer (BatchNorm running statistics change in train mode): name, dtype, shape and
    /// raw bytes, in the module's registration order.
    /// </summary>
    public static string Compute(nn.Module module, bool includeBuffers = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
            Append(sha, "p:" + name, parameter);
        if (includeBuffers)
        {
            foreach (var (name, buffer) in module.named_buffers())
                Append(sha, "b:" + name, buffer);
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>
    /// Runs <paramref name="action"/> and throws <see cref="InvalidOperationException"/> if
    /// <paramref name="module"/>'s fingerprint (parameters and buffers) differs afterwards; returns the action's result.
    /// </summary>
    public static T EnsureUnchanged<T>(nn.Module module, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        string before = Compute(module);
        T result = action();
        string after = Compute(module);
        if (before != after)
            throw new InvalidOperationException($"module parameters or buffers changed during evaluation (fingerprint {before} -> {after})");
        return result;
    }

    private static void Append(IncrementalHash sha, string name, Tensor tensor)
    {
        string header = $"{name}|{tensor.dtype}|{string.Join(",", tensor.shape)}|";
        sha.AppendData(Encoding.UTF8.GetBytes(header));
        var bytes = tensor.detach().cpu().contiguous().bytes; // raw storage, no conversion
        sha.AppendData(bytes);
    }
}
