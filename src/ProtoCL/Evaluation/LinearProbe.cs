using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Evaluation;

/// <summary>
/// Linear classification on frozen features: multinomial logistic regression (a linear layer and
/// softmax cross-entropy) trained on the labelled train features, scored on the test features.
/// Features are standardised with the train mean and standard deviation. The probe only ever sees
/// feature tensors, so the backbone cannot change; callers that also hold the backbone can prove it
/// with <see cref="ParameterFingerprint.EnsureUnchanged{T}"/>.
/// </summary>
public static class LinearProbe
{
    /// <summary>Trains the probe on the train features and returns its test accuracy with the settings used.</summary>
    public static LinearResult Evaluate(Tensor trainFeatures, int[] trainLabels, Tensor testFeatures, int[] testLabels,
        LinearProbeOptions? options = null)
    {
        options ??= new LinearProbeOptions();
        options.Validate();
        int classes = FrozenFeatures.ValidateSplits(trainFeatures, trainLabels, testFeatures, testLabels);

        using var scope = NewDisposeScope();
        Tensor trainX, testX;
        using (no_grad())
        {
            var mean = trainFeatures.mean([0L], keepdim: true); // [1, D]
            var std = trainFeatures.std(0, unbiased: false, keepdim: true); // [1, D]
            // A constant feature carries no information; dividing by 1 keeps it finite (and zero after centring).
            std = where(std > 1e-12, std, ones_like(std)); // [1, D]
            trainX = ((trainFeatures - mean) / std).detach(); // [Ntr, D]
            testX = ((testFeatures - mean) / std).detach(); // [Nte, D]
        }
        var trainY = FrozenFeatures.LabelTensor(trainLabels, trainX); // [Ntr]
        var testY = FrozenFeatures.LabelTensor(testLabels, testX); // [Nte]

        var (weight, bias, finalLoss) = Train(trainX, trainY, classes, options);
        double trainAccuracy = Accuracy(trainX, trainY, weight, bias);
        double testAccuracy = Accuracy(testX, testY, weight, bias);
        return new LinearResult
        {
            Accuracy = testAccuracy,
            TrainAccuracy = trainAccuracy,
            FinalLoss = finalLoss,
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            LearningRate = options.LearningRate,
            WeightDecay = options.WeightDecay,
            Seed = options.Seed,
        };
    }

    /// <summary>Minibatch Adam on softmax cross-entropy from zero weights; returns weight [D, C], bias [C] and the last epoch's mean loss.</summary>
    private static (Tensor Weight, Tensor Bias, double FinalLoss) Train(Tensor x, Tensor y, int classes, LinearProbeOptions options)
    {
        long n = x.shape[0];
        long dim = x.shape[1];
        // Zero start: the problem is convex, so no random initialisation is needed for a good optimum.
        var weight = new TorchSharp.Modules.Parameter(zeros(dim, classes, dtype: ScalarType.Float32, device: x.device)); // [D, C]
        var bias = new TorchSharp.Modules.Parameter(zeros(classes, dtype: ScalarType.Float32, device: x.device)); // [C]
        using var optimizer = optim.Adam([weight, bias], lr: options.LearningRate, weight_decay: options.WeightDecay);
        using var generator = new Generator((ulong)options.Seed);
        double finalLoss = double.NaN;
        using (enable_grad())
        {
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                // Cosine annealing from lr to 0 over the epochs, set per epoch.
                double lr = 0.5 * options.LearningRate * (1 + Math.Cos(Math.PI * epoch / options.Epochs));
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
                using var epochScope = NewDisposeScope();
                var order = randperm(n, generator: generator).to(x.device); // [N]
                double lossSum = 0;
                long seen = 0;
                for (long start = 0; start < n; start += options.BatchSize)
                {
                    using var stepScope = NewDisposeScope();
                    long length = Math.Min(options.BatchSize, n - start);
                    var index = order.narrow(0, start, length); // [B]
                    var xb = x.index_select(0, index); // [B, D]
                    var yb = y.index_select(0, index); // [B]
                    var logits = xb.mm(weight) + bias; // [B, C]
                    var loss = nn.functional.cross_entropy(logits, yb); // []
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item<float>() * length;
                    seen += length;
                }
                finalLoss = lossSum / seen;
            }
        }
        return (weight.detach(), bias.detach(), finalLoss);
    }

    private static double Accuracy(Tensor x, Tensor y, Tensor weight, Tensor bias)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var predicted = (x.mm(weight) + bias).argmax(1); // [N]
        return predicted.eq(y).sum().item<long>() / (double)y.shape[0];
    }
}
