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

        var knn = JsonSerializer.Serialize(new KnnResult { Accuracy = 0.9, K = 200, Temperature = 0.07, PerClassCorrect = [1], PerClassTotal = [1] });
        Assert.Contains("\"temperature\":0.07", knn);
        var cluster = JsonSerializer.Serialize(new ClusterResultMetrics { Ami = 0.5, Nmi = 0.6, Accuracy = 0.7, K = 10, Restarts = 10 });
        Assert.Contains("\"ami\":0.5", cluster);
    }
}
