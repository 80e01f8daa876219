using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Evaluation;

/// <summary>
/// Boundary checks and shared preprocessing for the evaluation protocols, which all take frozen
/// features: a float32 tensor [N, D] on the CPU plus one class index (0..C-1) per row.
/// </summary>
public static class FrozenFeatures
{
    /// <summary>Throws a descriptive <see cref="ArgumentException"/> unless <paramref name="features"/> is float32 [N, D] with N = labels.Length and every label is >= 0.</summary>
    public static void Validate(Tensor features, int[] labels, string name)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() != 2)
            throw new ArgumentException($"{name}: features must be 2-D [N, D], got shape [{string.Join(", ", features.shape)}]", name);
        if (features.dtype != ScalarType.Float32)
            throw new ArgumentException($"{name}: features must be float32, got {features.dtype}; convert with .to_type(ScalarType.Float32)", name);
        if (features.shape[0] != labels.Length)
            throw new ArgumentException($"{name}: {features.shape[0]} feature rows but {labels.Length} labels", name);
        if (labels.Length == 0)
            throw new ArgumentException($"{name}: no samples", name);
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
                throw new ArgumentException($"{name}: label {labels[i]} at row {i} is negative; labels must be class indices 0..C-1", name);
        }
    }

    /// <summary>Validates a labelled train split and a labelled test split of the same width (see <see cref="Validate"/>)
    /// and returns the number of classes over both.</summary>
    public static int ValidateSplits(Tensor trainFeatures, int[] trainLabels, Tensor testFeatures, int[] testLabels)
    {
        Validate(trainFeatures, trainLabels, nameof(trainFeatures));
        Validate(testFeatures, testLabels, nameof(testFeatures));
        if (testFeatures.shape[1] != trainFeatures.shape[1])
            throw new ArgumentException($"test features have {testFeatures.shape[1]} dimensions, train features {trainFeatures.shape[1]}", nameof(testFeatures));
        return ClassCount(trainLabels, testLabels);
    }

    /// <summary>Number of classes C = 1 + the largest label over all given label arrays.</summary>
    public static int ClassCount(params int[][] labelArrays)
    {
        int max = -1;
        foreach (var labels in labelArrays)
        {
            foreach (int y in labels) max = Math.Max(max, y);
        }
        return max + 1;
    }

    /// <summary>Rows scaled to unit L2 norm (a zero row stays zero), as a new tensor [N, D].</summary>
    public static Tensor L2Normalize(Tensor features)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var normalised = nn.functional.normalize(features, p: 2.0, dim: 1, eps: 1e-12); // [N, D]
        return normalised.MoveToOuterDisposeScope();
    }

    /// <summary>A copy of <paramref name="labels"/> as an int64 tensor [N] on the device of <paramref name="like"/>.</summary>
    public static Tensor LabelTensor(int[] labels, Tensor like)
    {
        using var scope = NewDisposeScope();
        var t = tensor(labels.Select(y => (long)y).ToArray(), dtype: ScalarType.Int64).to(like.device); // [N]
        return t.MoveToOuterDisposeScope();
    }
}
