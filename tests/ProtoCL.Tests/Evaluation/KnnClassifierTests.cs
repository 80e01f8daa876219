using ProtoCL.Evaluation;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Evaluation;

public class KnnClassifierTests
{
    // Train points as (radius, angle in degrees, class); radii differ to show that only the direction counts.
    private static readonly (double Radius, double Degrees, int Label)[] Train =
    [
        (2.0, 10, 0),
        (0.5, 60, 1),
        (3.0, 70, 1),
        (1.0, 180, 0),
    ];

    [Theory]
    [InlineData(0.1)]
    [InlineData(10.0)]
    public void Should_FollowHandComputedWeightedVote_When_KIsThree(double temperature)
    {
        // Test point at angle 0: its 3 nearest by cosine are the points at 10, 60, 70 degrees.
        double vote0 = Math.Exp(Math.Cos(Deg(10)) / temperature);
        double vote1 = Math.Exp(Math.Cos(Deg(60)) / temperature) + Math.Exp(Math.Cos(Deg(70)) / temperature);
        int expected = vote0 > vote1 ? 0 : 1;
        // A sharp temperature lets the single close neighbour win; a flat one lets the two-vote majority win.
        Assert.Equal(temperature < 1 ? 0 : 1, expected);

        using var train = Points(Train.Select(p => (p.Radius, p.Degrees)));
        using var test = Points([(5.0, 0.0), (1.0, 65.0)]);
        var predicted = KnnClassifier.Predict(train, Train.Select(p => p.Label).ToArray(), test, k: 3, temperature: temperature);
        Assert.Equal([expected, 1], predicted);
    }

    [Fact]
    public void Should_UseNearestNeighbour_When_KIsOne()
    {
        using var train = Points(Train.Select(p => (p.Radius, p.Degrees)));
        using var test = Points([(1.0, 36.0), (1.0, 34.0), (1.0, 170.0)]);
        // 36 deg is nearer 60 (class 1) than 10 (class 0); 34 deg the other way; 170 deg is next to 180 (class 0).
        var predicted = KnnClassifier.Predict(train, Train.Select(p => p.Label).ToArray(), test, k: 1);
        Assert.Equal([1, 0, 0], predicted);
    }

    [Fact]
    public void Should_CountPerClass_When_Evaluating()
    {
        using var train = Points(Train.Select(p => (p.Radius, p.Degrees)));
        using var test = Points([(1.0, 36.0), (1.0, 34.0), (1.0, 170.0)]);
        // Predictions (1, 0, 0) against truth (1, 1, 0): class 0 has 1 of 1 right, class 1 has 1 of 2.
        var result = KnnClassifier.Evaluate(train, Train.Select(p => p.Label).ToArray(), test, [1, 1, 0], k: 1);
        Assert.Equal(2.0 / 3, result.Accuracy, 12);
        Assert.Equal([1, 1], result.PerClassCorrect);
        Assert.Equal([1, 2], result.PerClassTotal);
        Assert.Equal(1, result.K);
    }

    [Fact]
    public void Should_GiveSamePredictions_When_BlockSizeChanges()
    {
        var (train, trainLabels) = Blobs.Make(classes: 4, perClass: 50, dim: 6, separation: 1.0, noise: 1.0, seed: 11);
        var (test, _) = Blobs.Make(classes: 4, perClass: 30, dim: 6, separation: 1.0, noise: 1.0, seed: 12);
        using (train)
        using (test)
        {
            var whole = KnnClassifier.Predict(train, trainLabels, test, k: 20, blockSize: 4096);
            var oneByOne = KnnClassifier.Predict(train, trainLabels, test, k: 20, blockSize: 7);
            Assert.Equal(whole, oneByOne);
            // k larger than the train set is capped, not an error.
            var result = KnnClassifier.Evaluate(train, trainLabels, test, Enumerable.Repeat(0, 120).ToArray(), k: 10_000);
            Assert.Equal(200, result.K);
        }
    }

    private static double Deg(double degrees) => degrees * Math.PI / 180;

    private static Tensor Points(IEnumerable<(double Radius, double Degrees)> points)
    {
        var list = points.ToList();
        var data = list.SelectMany(p => new[] { (float)(p.Radius * Math.Cos(Deg(p.Degrees))), (float)(p.Radius * Math.Sin(Deg(p.Degrees))) }).ToArray();
        return tensor(data, dtype: ScalarType.Float32).reshape(list.Count, 2);
    }
}
