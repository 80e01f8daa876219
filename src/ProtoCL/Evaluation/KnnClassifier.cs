using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Evaluation;

/// <summary>
/// Weighted k-nearest-neighbour classification on frozen features, as InstDisc (Wu et al. 2018) and
/// MoCo's monitor use it: cosine similarity of each L2-normalised test feature to all L2-normalised
/// train features, the top k neighbours vote for their class with weight exp(sim / T), the class with
/// the largest summed weight wins (ties go to the lower class index).
/// </summary>
public static class KnnClassifier
{
    /// <summary>Neighbours that vote (InstDisc / MoCo use 200).</summary>
    public const int DefaultK = 200;

    /// <summary>Temperature of the vote weight (InstDisc / MoCo use 0.07; lightly uses 0.1).</summary>
    public const double DefaultTemperature = 0.07;

    /// <summary>Test rows per similarity block: the [block, N_train] similarity matrix is the largest tensor held.</summary>
    public const int DefaultBlockSize = 1024;

    /// <summary>Classifies <paramref name="testFeatures"/> and scores the predictions against <paramref name="testLabels"/>.</summary>
    /// <param name="trainFeatures">Labelled features float32 [N_train, D] (normalised here).</param>
    /// <param name="trainLabels">Class of each train row.</param>
    /// <param name="testFeatures">Features to classify, float32 [N_test, D] (normalised here).</param>
    /// <param name="testLabels">True class of each test row.</param>
    /// <param name="k">Neighbours that vote; capped at N_train.</param>
    /// <param name="temperature">T in exp(sim / T).</param>
    /// <param name="blockSize">Test rows per similarity block.</param>
    public static KnnResult Evaluate(Tensor trainFeatures, int[] trainLabels, Tensor testFeatures, int[] testLabels,
        int k = DefaultK, double temperature = DefaultTemperature, int blockSize = DefaultBlockSize)
    {
        ArgumentNullException.ThrowIfNull(trainLabels);
        FrozenFeatures.Validate(testFeatures, testLabels, nameof(testFeatures));
        int classes = FrozenFeatures.ClassCount(trainLabels, testLabels);
        var predicted = Predict(trainFeatures, trainLabels, testFeatures, k, temperature, blockSize, classes);
        var correct = new int[classes];
        var total = new int[classes];
        for (int i = 0; i < testLabels.Length; i++)
        {
            total[testLabels[i]]++;
            if (predicted[i] == testLabels[i]) correct[testLabels[i]]++;
        }
        return new KnnResult
        {
            Accuracy = (double)correct.Sum() / testLabels.Length,
            K = Math.Min(k, trainLabels.Length),
            Temperature = temperature,
            PerClassCorrect = correct,
            PerClassTotal = total,
        };
    }

    /// <summary>Predicted class of each test row (see the class summary for the rule).</summary>
    /// <param name="trainFeatures">Labelled features float32 [N_train, D] (normalised here).</param>
    /// <param name="trainLabels">Class of each train row.</param>
    /// <param name="testFeatures">Features to classify, float32 [N_test, D] (normalised here).</param>
    /// <param name="k">Neighbours that vote; capped at N_train.</param>
    /// <param name="temperature">T in exp(sim / T).</param>
    /// <param name="blockSize">Test rows per similarity block.</param>
    /// <param name="classCount">Number of classes C; defaults to 1 + the largest train label.</param>
    public static int[] Predict(Tensor trainFeatures, int[] trainLabels, Tensor testFeatures,
        int k = DefaultK, double temperature = DefaultTemperature, int blockSize = DefaultBlockSize, int? classCount = null)
    {
        FrozenFeatures.Validate(trainFeatures, trainLabels, nameof(trainFeatures));
        if (testFeatures.dim() != 2 || testFeatures.shape[1] != trainFeatures.shape[1])
            throw new ArgumentException($"test features must be [N_test, {trainFeatures.shape[1]}], got [{string.Join(", ", testFeatures.shape)}]", nameof(testFeatures));
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1");
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        if (blockSize < 1) throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "block size must be at least 1");
        int classes = classCount ?? FrozenFeatures.ClassCount(trainLabels);
        if (classes < FrozenFeatures.ClassCount(trainLabels))
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"classCount must cover every train label (the largest is {FrozenFeatures.ClassCount(trainLabels) - 1})");
        int neighbours = Math.Min(k, trainLabels.Length);
        long testCount = testFeatures.shape[0];
        var predicted = new int[testCount];

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var train = FrozenFeatures.L2Normalize(trainFeatures); // [Ntr, D]
        var trainT = train.t(); // [D, Ntr]
        var trainY = FrozenFeatures.LabelTensor(trainLabels, train); // [Ntr]
        for (long start = 0; start < testCount; start += blockSize)
        {
            using var blockScope = NewDisposeScope();
            long length = Math.Min(blockSize, testCount - start);
            var test = FrozenFeatures.L2Normalize(testFeatures.narrow(0, start, length)); // [B, D]
            var sim = test.mm(trainT); // [B, Ntr]
            var (topSim, topIndex) = sim.topk(neighbours, dim: 1, largest: true, sorted: true); // [B, k], [B, k]
            var topY = trainY.index_select(0, topIndex.reshape(-1)).reshape(length, neighbours); // [B, k]
            // exp((sim - max) / T) = exp(sim / T) / const per row: the same vote, without overflow for small T.
            var weight = ((topSim - topSim.narrow(1, 0, 1)) / temperature).exp(); // [B, k]
            var votes = zeros(length, classes, dtype: ScalarType.Float32, device: test.device).scatter_add_(1, topY, weight); // [B, C]
            var best = votes.argmax(1).cpu().to_type(ScalarType.Int32).data<int>().ToArray(); // [B]
            Array.Copy(best, 0, predicted, start, length);
        }
        return predicted;
    }
}
