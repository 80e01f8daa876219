using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Evaluation;

/// <summary>
/// The PCL paper's low-shot protocol (Table 1; reference eval_svm_voc.py): on L2-normalised frozen
/// features, for each k draw k labelled train samples per class at random (without replacement),
/// train one <see cref="LinearSvm"/> per class against the rest, score the whole test set, and report
/// accuracy (argmax of the per-class scores, Places205 style) and mAP (mean over classes of the
/// <see cref="AveragePrecision"/> of that class's scores, VOC07 style). Each k is repeated over
/// several draws; means and population standard deviations (divisor = number of draws, as numpy's
/// np.std in the reference script) are reported with every draw's value.
/// </summary>
public static class LowShotSvm
{
    /// <summary>Runs the protocol for every k and draw in <paramref name="options"/>.</summary>
    public static LowShotResult Evaluate(Tensor trainFeatures, int[] trainLabels, Tensor testFeatures, int[] testLabels,
        LowShotSvmOptions? options = null)
    {
        options ??= new LowShotSvmOptions();
        options.Validate();
        int classes = FrozenFeatures.ValidateSplits(trainFeatures, trainLabels, testFeatures, testLabels);

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var train = FrozenFeatures.L2Normalize(trainFeatures); // [Ntr, D]
        var test = FrozenFeatures.L2Normalize(testFeatures); // [Nte, D]
        var results = new Dictionary<string, LowShotK>();
        foreach (int shots in options.Shots)
        {
            var accuracies = new double[options.Draws];
            var maps = new double[options.Draws];
            var drawn = new int[options.Draws][];
            for (int draw = 0; draw < options.Draws; draw++)
            {
                drawn[draw] = DrawTrainingIndices(trainLabels, shots, classes, options.Seed, draw);
                (accuracies[draw], maps[draw]) = EvaluateDraw(train, trainLabels, drawn[draw], test, testLabels, classes, options);
            }
            results[shots.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new LowShotK
            {
                AccuracyMean = accuracies.Average(),
                AccuracyStd = PopulationStd(accuracies),
                MapMean = maps.Average(),
                MapStd = PopulationStd(maps),
                Accuracies = accuracies,
                Maps = maps,
                TrainIndices = drawn,
            };
        }
        return new LowShotResult
        {
            Results = results,
            Cost = options.Cost,
            PositiveWeight = options.PositiveWeight,
            NegativeWeight = options.NegativeWeight,
            Draws = options.Draws,
            Seed = options.Seed,
            Tolerance = options.Tolerance,
            MaxIterations = options.MaxIterations,
        };
    }

    /// <summary>
    /// Train-set row indices of one draw: <paramref name="shots"/> distinct rows of every class
    /// 0..classCount-1, grouped by class. Deterministic in (seed, shots, draw); different draws are
    /// independent samples.
    /// </summary>
    public static int[] DrawTrainingIndices(int[] trainLabels, int shots, int classCount, int seed, int draw)
    {
        ArgumentNullException.ThrowIfNull(trainLabels);
        if (shots < 1) throw new ArgumentOutOfRangeException(nameof(shots), shots, "shots must be at least 1");
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "classCount must be at least 1");
        if (trainLabels.Any(l => l < 0))
            throw new ArgumentException("train labels must be class indices (0 or more); leave unlabelled images out first", nameof(trainLabels));
        var byClass = new List<int>[classCount];
        for (int c = 0; c < classCount; c++) byClass[c] = [];
        for (int i = 0; i < trainLabels.Length; i++)
        {
            if (trainLabels[i] < classCount) byClass[trainLabels[i]].Add(i);
        }
        var random = new Random(unchecked(seed * 1_000_003 + shots * 10_007 + draw));
        var chosen = new int[classCount * shots];
        for (int c = 0; c < classCount; c++)
        {
            var members = byClass[c];
            if (members.Count < shots)
                throw new ArgumentException($"class {c} has {members.Count} training samples, fewer than the {shots} a draw needs");
            // Partial Fisher-Yates: the first `shots` slots become a uniform sample without replacement.
            for (int s = 0; s < shots; s++)
            {
                int r = s + random.Next(members.Count - s);
                (members[s], members[r]) = (members[r], members[s]);
                chosen[c * shots + s] = members[s];
            }
        }
        return chosen;
    }

    /// <summary>Trains the one-vs-rest SVMs on the drawn rows and returns (accuracy, mAP) on the test set.</summary>
    private static (double Accuracy, double Map) EvaluateDraw(Tensor train, int[] trainLabels, int[] indices,
        Tensor test, int[] testLabels, int classes, LowShotSvmOptions options)
    {
        using var scope = NewDisposeScope();
        int dim = (int)train.shape[1];
        var index = tensor(indices.Select(i => (long)i).ToArray(), dtype: ScalarType.Int64, device: train.device); // [k*C]
        var drawn = train.index_select(0, index).cpu().contiguous().data<float>().ToArray(); // [k*C * D]
        var rows = new float[indices.Length][];
        for (int i = 0; i < rows.Length; i++) rows[i] = drawn.AsSpan(i * dim, dim).ToArray();

        var solver = options.SolverOptions();
        var weights = new float[dim * classes]; // [D, C] row-major
        var biases = new float[classes]; // [C]
        var isPositive = new bool[rows.Length];
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < rows.Length; i++) isPositive[i] = trainLabels[indices[i]] == c;
            var svm = LinearSvm.Train(rows, isPositive, solver);
            for (int j = 0; j < dim; j++) weights[j * classes + c] = (float)svm.Weights[j];
            biases[c] = (float)svm.Bias;
        }
        var w = tensor(weights, dtype: ScalarType.Float32, device: test.device).reshape(dim, classes); // [D, C]
        var b = tensor(biases, dtype: ScalarType.Float32, device: test.device); // [C]
        var scores = test.mm(w) + b; // [Nte, C]
        var predicted = scores.argmax(1).cpu().to_type(ScalarType.Int32).data<int>().ToArray(); // [Nte]
        int correct = 0;
        for (int i = 0; i < testLabels.Length; i++) if (predicted[i] == testLabels[i]) correct++;
        var flatScores = scores.cpu().contiguous().data<float>().ToArray(); // [Nte * C]
        double map = AveragePrecision.MeanOverClasses(flatScores, testLabels, classes);
        return ((double)correct / testLabels.Length, map);
    }

    private static double PopulationStd(double[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
