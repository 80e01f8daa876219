using System.Globalization;
using ProtoCL.Augmentation;
using ProtoCL.Data;
using ProtoCL.Model;
using ProtoCL.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Evaluation;

/// <summary>
/// The paper's semi-supervised protocol (Table 2): fine-tune the whole network, the pre-trained backbone and a new
/// linear classifier on its pooled features, on a class-balanced percentage of the labelled training images, then score
/// top-1 and top-5 accuracy on the test images. Unlike the frozen-feature protocols the backbone changes here, so every
/// percentage starts from a fresh copy of the pre-trained weights (the checkpoint on disk is only read). BatchNorm runs
/// as plain BatchNorm over each minibatch while fine-tuning and with its running statistics when scoring.
/// Each class's labelled images are put in one seeded random order and every percentage takes a prefix of it, so the
/// 1 % subset lies inside the 10 % one.
/// </summary>
public static class FineTune
{
    /// <summary>Images per forward pass when scoring the fine-tuned network: 512, as the frozen-feature protocols extract features.</summary>
    public const int ScoreBatchSize = 512;

    /// <summary>Fine-tunes a fresh encoder from <paramref name="makeEncoder"/> for every percentage in
    /// <paramref name="options"/> and scores it. <paramref name="channelMean"/> and <paramref name="channelStd"/> normalise
    /// the pixels as the encoder was trained. Labels are class indices; <see cref="ImageDataset.Unlabelled"/> rows are never
    /// drawn (training) or scored (test). <paramref name="progress"/> sees (stage, step, steps) per percentage.</summary>
    public static FineTuneResult Evaluate(Func<ResNetEncoder> makeEncoder, float[] channelMean, float[] channelStd,
        ImageDataset train, int[] trainLabels, ImageDataset test, int[] testLabels, FineTuneOptions? options = null,
        Action<string, long, long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(makeEncoder);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testLabels);
        options ??= new FineTuneOptions();
        options.Validate();
        if (trainLabels.Length != train.Count || testLabels.Length != test.Count)
            throw new ArgumentException($"one label per image is needed (training: {trainLabels.Length} labels for {train.Count} images, test: {testLabels.Length} for {test.Count})");
        int classes = FrozenFeatures.ClassCount(trainLabels, testLabels);
        var present = trainLabels.Where(l => l >= 0).Distinct().Count();
        if (present < 2) throw new ArgumentException($"fine-tuning a classifier needs labelled training images of at least 2 classes (got {present})");
        if (testLabels.All(l => l < 0)) throw new ArgumentException("the test data has no labelled images to score");
        // Checked before any percentage trains: the network is built for the training images' channels.
        if (test.Channels != train.Channels)
            throw new ArgumentException($"the training data ({train.Source}) has {train.Channels}-channel images and the test data ({test.Source}) {test.Channels}-channel ones; the fine-tuned network takes one kind");
        var augmenter = new BatchAugmenter(new AugmentationOptions
        {
            CropScaleMin = options.CropScaleMin, JitterProbability = 0, GrayscaleProbability = 0, BlurProbability = 0,
        }, channelMean, channelStd);
        var order = ClassOrders(trainLabels, classes, options.Seed);
        var results = new Dictionary<string, FineTunePercent>();
        for (int i = 0; i < options.Percents.Count; i++)
        {
            double percent = options.Percents[i];
            var key = percent.ToString(CultureInfo.InvariantCulture);
            var (indices, perClass) = Subset(order, percent);
            results[key] = Run(makeEncoder, augmenter, train, trainLabels, indices, perClass, test, testLabels, classes, options, PercentSeed(options.Seed, percent),
                (d, t) => progress?.Invoke($"fine-tune {key} %", d, t));
        }
        return new FineTuneResult
        {
            Results = results,
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            BackboneLearningRate = options.BackboneLearningRate,
            HeadLearningRate = options.HeadLearningRate,
            Momentum = options.Momentum,
            WeightDecay = options.WeightDecay,
            MinSteps = options.MinSteps,
            DecayFactor = options.DecayFactor,
            CropScaleMin = options.CropScaleMin,
            Seed = options.Seed,
            Precision = options.Precision == Precision.Bf16 ? "bf16" : "fp32",
        };
    }

    /// <summary>The seed of one percentage's initialisation, minibatch order and augmentation: from the seed and the percentage
    /// itself, not its place in the list, so <c>--percent 10</c> alone repeats the 10 % result of <c>--percent 1,10</c>.</summary>
    internal static int PercentSeed(int seed, double percent) => unchecked(seed * 1_000_003 + (int)Math.Round(percent * 1000));

    /// <summary>Each class's labelled image indices in one seeded random order (Fisher-Yates with <see cref="Random"/>(seed)).</summary>
    internal static int[][] ClassOrders(int[] labels, int classes, int seed)
    {
        var rng = new Random(seed);
        var orders = new int[classes][];
        for (int c = 0; c < classes; c++)
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            for (int j = members.Length - 1; j > 0; j--)
            {
                int k = rng.Next(j + 1);
                (members[j], members[k]) = (members[k], members[j]);
            }
            orders[c] = members;
        }
        return orders;
    }

    /// <summary>The first max(1, round(percent / 100 x n_c)) indices of each non-empty class's order (none of an empty class),
    /// in class order, and how many each class gave.</summary>
    internal static (int[] Indices, int[] PerClass) Subset(int[][] classOrders, double percent)
    {
        var perClass = classOrders.Select(o => SubsetShare(o.Length, percent)).ToArray();
        var indices = classOrders.SelectMany((o, c) => o.Take(perClass[c])).ToArray();
        return (indices, perClass);
    }

    /// <summary>The images a class of <paramref name="count"/> gives to a subset of <paramref name="percent"/> %: max(1, round(percent / 100 x count)), none of an empty class.</summary>
    private static int SubsetShare(int count, double percent) =>
        count == 0 ? 0 : Math.Clamp((int)Math.Round(percent / 100 * count, MidpointRounding.AwayFromZero), 1, count);

    /// <summary>The images of the largest step fine-tuning will take on <paramref name="trainLabels"/>: min(batch, the labelled
    /// subset of the largest percentage), for the memory estimate (<see cref="Training.MemoryEstimate.ForFineTune"/>).</summary>
    public static int LargestStep(int[] trainLabels, FineTuneOptions options)
    {
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(options);
        var counts = trainLabels.Where(l => l >= 0).GroupBy(l => l).Select(g => g.Count()).ToArray();
        int largest = options.Percents.Count == 0 ? 0 : options.Percents.Max(p => counts.Sum(n => SubsetShare(n, p)));
        return Math.Min(options.BatchSize, largest);
    }

    /// <summary>The sizes of the minibatches an epoch of <paramref name="n"/> images is cut into: ceil(n / batch) of them, as
    /// equal as possible (they differ by at most one), so that none holds a single image while n is at least 2 and batch at least 3
    /// (batch 2 cuts an odd n into pairs and one single image).</summary>
    internal static int[] BatchSizes(int n, int batch)
    {
        int count = (n + batch - 1) / batch;
        return Enumerable.Range(0, count).Select(b => n / count + (b < n % count ? 1 : 0)).ToArray();
    }

    private static FineTunePercent Run(Func<ResNetEncoder> makeEncoder, BatchAugmenter augmenter, ImageDataset train, int[] trainLabels,
        int[] indices, int[] perClass, ImageDataset test, int[] testLabels, int classes, FineTuneOptions options, int seed, Action<long, long> progress)
    {
        if (indices.Length < 2) throw new ArgumentException($"the labelled subset holds {indices.Length} image(s); fine-tuning needs at least 2");
        using var scope = NewDisposeScope();
        using var encoder = makeEncoder();
        if (encoder.Options.InChannels != train.Channels)
            throw new ArgumentException($"the encoder takes {encoder.Options.InChannels}-channel images; {train.Source} holds {train.Channels}-channel ones");
        encoder.SetBnGroups(1);                                            // plain BatchNorm over each minibatch
        manual_seed(seed);
        using var head = nn.Linear(encoder.FeatureDim, classes);          // torch's default initialisation, seeded
        var backbone = encoder.named_parameters().Where(p => !p.name.StartsWith("fc", StringComparison.Ordinal)).Select(p => p.parameter).ToList();
        foreach (var (name, p) in encoder.named_parameters())
            if (name.StartsWith("fc", StringComparison.Ordinal)) p.requires_grad = false;   // the projection head takes no part
        foreach (var p in backbone) p.requires_grad = true;
        using var backboneOptimizer = optim.SGD(backbone, options.BackboneLearningRate, options.Momentum, weight_decay: options.WeightDecay);
        using var headOptimizer = optim.SGD(head.parameters(), options.HeadLearningRate, options.Momentum, weight_decay: options.WeightDecay);
        var images = train.Images.index_select(0, tensor(indices.Select(i => (long)i).ToArray()));   // [n, C, H, W] uint8
        var labels = tensor(indices.Select(i => (long)trainLabels[i]).ToArray());                     // [n]
        using var generator = new Generator((ulong)seed);
        var sizes = BatchSizes(indices.Length, options.BatchSize);
        int epochs = options.EpochsFor(sizes.Length);
        long steps = (long)sizes.Length * epochs, step = 0;
        double finalLoss = double.NaN;
        encoder.train();
        head.train();
        using (enable_grad())
        {
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                double factor = options.LearningRateFactor(epoch, epochs);
                foreach (var g in backboneOptimizer.ParamGroups) g.LearningRate = options.BackboneLearningRate * factor;
                foreach (var g in headOptimizer.ParamGroups) g.LearningRate = options.HeadLearningRate * factor;
                using var epochScope = NewDisposeScope();
                var order = randperm(indices.Length, generator: generator);   // [n]
                double lossSum = 0;
                int start = 0;
                foreach (int size in sizes)
                {
                    using var stepScope = NewDisposeScope();
                    var index = order.narrow(0, start, size);                  // [B]
                    var x = Input(augmenter.Augment(images.index_select(0, index), generator), options.Precision); // [B, C, H, W]
                    var y = labels.index_select(0, index);                     // [B]
                    var logits = head.call(encoder.Features(x));               // [B, classes]
                    var loss = nn.functional.cross_entropy(logits, y);        // []
                    backboneOptimizer.zero_grad();
                    headOptimizer.zero_grad();
                    loss.backward();
                    backboneOptimizer.step();
                    headOptimizer.step();
                    lossSum += loss.item<float>() * size;
                    start += size;
                    progress(++step, steps);
                }
                finalLoss = lossSum / indices.Length;
                if (!double.IsFinite(finalLoss))
                    throw new TrainingDivergedException($"fine-tuning diverged in epoch {epoch + 1} (loss {finalLoss}); lower --lr-backbone and --lr-head");
            }
        }
        encoder.eval();
        head.eval();
        var (trainTop1, _) = Score(encoder, head, augmenter, images, labels, classes, options.Precision);
        var testRows = Enumerable.Range(0, testLabels.Length).Where(i => testLabels[i] >= 0).Select(i => (long)i).ToArray();
        var testImages = testRows.Length == test.Count ? test.Images : test.Images.index_select(0, tensor(testRows)); // [M, C, H, W]
        var (top1, top5) = Score(encoder, head, augmenter, testImages, tensor(testRows.Select(i => (long)testLabels[i]).ToArray()), classes, options.Precision);
        return new FineTunePercent
        {
            Accuracy = top1,
            Top5Accuracy = top5,
            TrainAccuracy = trainTop1,
            FinalLoss = finalLoss,
            LabelledImages = indices.Length,
            PerClassImages = perClass,
            Epochs = epochs,
            DecayEpochs = FineTuneOptions.DecayEpochs(epochs),
            Steps = (int)steps,
        };
    }

    /// <summary>Top-1 and top-min(5, classes) accuracy of the fine-tuned network on un-augmented images, in eval mode.</summary>
    private static (double Top1, double Top5) Score(ResNetEncoder encoder, nn.Module<Tensor, Tensor> head, BatchAugmenter augmenter, Tensor images, Tensor labels, int classes, Precision precision)
    {
        using var _ = no_grad();
        long n = images.shape[0], top1 = 0, top5 = 0;
        int k = Math.Min(5, classes);
        for (long start = 0; start < n; start += ScoreBatchSize)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(ScoreBatchSize, n - start);
            var logits = head.call(encoder.Features(Input(augmenter.Plain(images.narrow(0, start, count)), precision))); // [B, classes]
            var y = labels.narrow(0, start, count);                                                     // [B]
            var (h1, hk) = Hits(logits, y, k);
            top1 += h1;
            top5 += hk;
        }
        return (top1 / (double)n, top5 / (double)n);
    }

    /// <summary>The normalised batch <paramref name="x"/> [B, C, H, W] in the dtype the convolutions run in: a bfloat16 input
    /// runs them in bfloat16 (<see cref="ConvLayer"/>); the pooled features come back as float32 for the classifier.</summary>
    private static Tensor Input(Tensor x, Precision precision) => precision == Precision.Bf16 ? x.to(ScalarType.BFloat16) : x; // [B, C, H, W]

    /// <summary>How many rows of <paramref name="logits"/> [B, C] rank their label (<paramref name="labels"/> [B]) first, and
    /// how many rank it among their <paramref name="k"/> largest.</summary>
    internal static (long Top1, long TopK) Hits(Tensor logits, Tensor labels, int k)
    {
        using var scope = NewDisposeScope();
        var best = logits.topk(k, dim: 1).indexes;                                                      // [B, k], largest first
        var hit = best.eq(labels.unsqueeze(1));                                                         // [B, k]
        return (hit.select(1, 0).sum().item<long>(), hit.any(1).sum().item<long>());
    }
}
