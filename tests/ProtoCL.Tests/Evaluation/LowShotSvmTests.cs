using System.Text.Json;
using ProtoCL.Evaluation;

namespace ProtoCL.Tests.Evaluation;

public class LowShotSvmTests
{
    [Fact]
    public void Should_BePerfectWithZeroSpread_When_BlobsAreWellSeparated()
    {
        var (train, trainLabels) = Blobs.Make(classes: 4, perClass: 40, dim: 8, separation: 5.0, noise: 0.2, seed: 31);
        var (test, testLabels) = Blobs.Make(classes: 4, perClass: 25, dim: 8, separation: 5.0, noise: 0.2, seed: 32);
        using (train)
        using (test)
        {
            var options = new LowShotSvmOptions { Shots = [1, 2, 4, 8, 16] };
            var result = LowShotSvm.Evaluate(train, trainLabels, test, testLabels, options);
            Assert.Equal(["1", "16", "2", "4", "8"], result.Results.Keys.Order(StringComparer.Ordinal));
            foreach (var (_, byK) in result.Results)
            {
                Assert.Equal(5, byK.Accuracies.Length);
                Assert.All(byK.Accuracies, a => Assert.Equal(1.0, a));
                Assert.All(byK.Maps, m => Assert.Equal(1.0, m, 12));
                Assert.Equal(1.0, byK.AccuracyMean);
                Assert.Equal(0.0, byK.AccuracyStd);
                Assert.Equal(1.0, byK.MapMean, 12);
                Assert.Equal(0.0, byK.MapStd, 12);
            }
            Assert.Equal(0.5, result.Cost);
            Assert.Equal(2.0, result.PositiveWeight);
            Assert.Equal(5, result.Draws);
        }
    }

    [Fact]
    public void Should_ReportPopulationStatisticsOfTheDraws_When_ClassesOverlap()
    {
        // Centres 1.0 apart along their axes with unit noise: the classes overlap, so different draws of 2 labelled
        // samples per class give different SVMs and different scores.
        var (train, trainLabels) = Blobs.Make(classes: 3, perClass: 30, dim: 4, separation: 1.0, noise: 1.0, seed: 33);
        var (test, testLabels) = Blobs.Make(classes: 3, perClass: 40, dim: 4, separation: 1.0, noise: 1.0, seed: 34);
        using (train)
        using (test)
        {
            var result = LowShotSvm.Evaluate(train, trainLabels, test, testLabels, new LowShotSvmOptions { Shots = [2], Draws = 5 });
            var byK = result.Results["2"];
            Assert.Equal(5, byK.Accuracies.Length);
            Assert.Equal(5, byK.Maps.Length);
            // Every accuracy is a count of the 120 test samples.
            Assert.All(byK.Accuracies, a => Assert.Equal(Math.Round(a * 120), a * 120, 9));

            // Mean and population standard deviation (divisor n = 5, numpy's np.std as documented), by a plain loop.
            static (double Mean, double Std) MeanStd(double[] v)
            {
                double sum = 0;
                for (int i = 0; i < v.Length; i++) sum += v[i];
                double mean = sum / v.Length, squares = 0;
                for (int i = 0; i < v.Length; i++) squares += (v[i] - mean) * (v[i] - mean);
                return (mean, Math.Sqrt(squares / v.Length));
            }
            var (accMean, accStd) = MeanStd(byK.Accuracies);
            var (mapMean, mapStd) = MeanStd(byK.Maps);
            Assert.Equal(accMean, byK.AccuracyMean, 12);
            Assert.Equal(accStd, byK.AccuracyStd, 12);
            Assert.Equal(mapMean, byK.MapMean, 12);
            Assert.Equal(mapStd, byK.MapStd, 12);
            // The draws really differ, so the sample (n - 1) standard deviation would be a different, larger number.
            Assert.True(accStd > 0, "all draws gave the same accuracy");
            Assert.True(mapStd > 0, "all draws gave the same mAP");
            Assert.NotEqual(accStd * Math.Sqrt(5.0 / 4), byK.AccuracyStd, 6);
        }
    }

    [Fact]
    public void Should_RecordTheRowsEachDrawLabelled_When_Evaluating()
    {
        // Overlapping classes, so the draws give different SVMs: SVMs trained by hand on the recorded rows of each draw
        // (rows L2-normalised by hand, one class against the rest, argmax of the scores) reproduce that draw's accuracy.
        var (train, trainLabels) = Blobs.Make(classes: 3, perClass: 30, dim: 4, separation: 1.0, noise: 1.0, seed: 35);
        var (test, testLabels) = Blobs.Make(classes: 3, perClass: 40, dim: 4, separation: 1.0, noise: 1.0, seed: 36);
        using (train)
        using (test)
        {
            var options = new LowShotSvmOptions { Shots = [2], Draws = 4 };
            var byK = LowShotSvm.Evaluate(train, trainLabels, test, testLabels, options).Results["2"];
            static float[][] Normalised(TorchSharp.torch.Tensor t) => t.contiguous().data<float>().ToArray().Chunk((int)t.shape[1])
                .Select(r => { double n = Math.Sqrt(r.Sum(v => (double)v * v)); return r.Select(v => (float)(v / n)).ToArray(); }).ToArray();
            var trainRows = Normalised(train);
            var testRows = Normalised(test);

            Assert.NotNull(byK.TrainIndices);
            Assert.Equal(4, byK.TrainIndices.Length);
            Assert.True(byK.TrainIndices.Select(d => string.Join(",", d)).Distinct().Count() > 1, "all draws labelled the same rows");
            for (int draw = 0; draw < 4; draw++)
            {
                var rows = byK.TrainIndices[draw];
                Assert.Equal(6, rows.Length);
                Assert.Equal(6, rows.Distinct().Count());
                for (int c = 0; c < 3; c++) Assert.All(rows.Skip(2 * c).Take(2), i => Assert.Equal(c, trainLabels[i]));
                var svms = Enumerable.Range(0, 3).Select(c =>
                    LinearSvm.Train(rows.Select(i => trainRows[i]).ToArray(), rows.Select(i => trainLabels[i] == c).ToArray(), options.SolverOptions())).ToArray();
                int correct = 0;
                for (int t = 0; t < testRows.Length; t++)
                {
                    int best = 0;
                    double bestScore = double.NegativeInfinity;
                    for (int c = 0; c < 3; c++)
                    {
                        double score = svms[c].Bias;
                        for (int j = 0; j < testRows[t].Length; j++) score += svms[c].Weights[j] * testRows[t][j];
                        if (score > bestScore) (best, bestScore) = (c, score);
                    }
                    if (best == testLabels[t]) correct++;
                }
                Assert.Equal(correct / 120.0, byK.Accuracies[draw], 12);
            }
        }
    }

    [Fact]
    public void Should_DrawDistinctSamplesPerClass_When_Drawing()
    {
        var labels = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();
        var draws = Enumerable.Range(0, 5).Select(d => LowShotSvm.DrawTrainingIndices(labels, 4, 3, seed: 0, draw: d)).ToArray();
        foreach (var indices in draws)
        {
            Assert.Equal(12, indices.Length);
            Assert.Equal(12, indices.Distinct().Count());
            for (int c = 0; c < 3; c++)
                Assert.All(indices.Skip(4 * c).Take(4), i => Assert.Equal(c, labels[i]));
        }
        // The draws really differ, and repeat exactly for the same seed.
        Assert.Equal(5, draws.Select(d => string.Join(",", d)).Distinct().Count());
        Assert.Equal(draws[2], LowShotSvm.DrawTrainingIndices(labels, 4, 3, seed: 0, draw: 2));
        Assert.NotEqual(draws[2], LowShotSvm.DrawTrainingIndices(labels, 4, 3, seed: 1, draw: 2));
    }

    [Fact]
    public void Should_Fail_When_AClassHasTooFewSamples()
    {
        int[] labels = [0, 0, 0, 1];
        var error = Assert.Throws<ArgumentException>(() => LowShotSvm.DrawTrainingIndices(labels, 2, 2, seed: 0, draw: 0));
        Assert.Contains("class 1", error.Message);
    }

    [Fact]
    public void Should_UseSnakeCaseNames_When_SerialisedToJson()
    {
        var result = new LowShotResult
        {
            Results = new() { ["1"] = new LowShotK { AccuracyMean = 0.5, AccuracyStd = 0.1, MapMean = 0.6, MapStd = 0.2, Accuracies = [0.4, 0.6], Maps = [0.4, 0.8] } },
            Cost = 0.5,
            PositiveWeight = 2,
            NegativeWeight = 1,
            Draws = 2,
            Seed = 0,
        };
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(result));
        var byK = json.RootElement.GetProperty("results").GetProperty("1");
        foreach (var name in new[] { "accuracy_mean", "accuracy_std", "map_mean", "map_std", "accuracies", "maps" })
            Assert.True(byK.TryGetProperty(name, out _), name);
        Assert.Equal(2.0, json.RootElement.GetProperty("positive_weight").GetDouble());
        Assert.Equal("lowshot", LowShotResult.Protocol);
        Assert.False(byK.TryGetProperty("train_indices", out _));            // not recorded: left out, not null
        var withRows = result with { Results = new() { ["1"] = result.Results["1"] with { TrainIndices = [[3, 7], [1, 8]] } } };
        Assert.Contains("\"train_indices\":[[3,7],[1,8]]", JsonSerializer.Serialize(withRows));

        var knn = JsonSerializer.Serialize(new KnnResult { Accuracy = 0.9, K = 200, Temperature = 0.07, PerClassCorrect = [1], PerClassTotal = [1] });
        Assert.Contains("\"temperature\":0.07", knn);
        var cluster = JsonSerializer.Serialize(new ClusterResultMetrics { Ami = 0.5, Nmi = 0.6, Accuracy = 0.7, K = 10, Restarts = 10 });
        Assert.Contains("\"ami\":0.5", cluster);
    }
}
