using ProtoCL.Evaluation;

namespace ProtoCL.Tests.Evaluation;

public class AveragePrecisionTests
{
    [Fact]
    public void Should_AveragePrecisionAtEachPositive_When_ScoresAreDistinct()
    {
        // Ranking + - + - +: precision at the positives is 1/1, 2/3, 3/5; each adds recall 1/3.
        float[] scores = [0.9f, 0.8f, 0.7f, 0.6f, 0.5f];
        bool[] positive = [true, false, true, false, true];
        Assert.Equal((1.0 + 2.0 / 3 + 3.0 / 5) / 3, AveragePrecision.Compute(scores, positive), 12);
        // The order of the input does not matter, only the ranking.
        Assert.Equal((1.0 + 2.0 / 3 + 3.0 / 5) / 3, AveragePrecision.Compute([0.5f, 0.6f, 0.9f, 0.7f, 0.8f], [true, false, true, true, false]), 12);
    }

    [Fact]
    public void Should_TreatTiesAsOneThreshold_When_ScoresTie()
    {
        // Thresholds 0.9 (1 TP of 1: P 1, R 1/2) and 0.5 (2 TP of 3: P 2/3, R 1): AP = 1/2 * 1 + 1/2 * 2/3.
        float[] scores = [0.9f, 0.5f, 0.5f, 0.1f];
        Assert.Equal(0.5 + 0.5 * 2.0 / 3, AveragePrecision.Compute(scores, [true, true, false, false]), 12);
        Assert.Equal(0.5 + 0.5 * 2.0 / 3, AveragePrecision.Compute(scores, [true, false, true, false]), 12);
    }

    [Fact]
    public void Should_ReturnNaN_When_ThereIsNoPositive()
    {
        Assert.True(double.IsNaN(AveragePrecision.Compute([0.3f, 0.1f], [false, false])));
    }

    [Fact]
    public void Should_AverageColumns_When_ComputingMeanOverClasses()
    {
        // Three samples, two classes, scores [N, C] row-major. Class 0 (sample 0) ranks first: AP 1.
        // Class 1 (samples 1, 2): column (0.1, 0.5, 0.6) ranks sample 2 (+), 1 (+), 0 (-): AP 1.
        // Then class 1's column (0.9, 0.2, 0.6) ranks a negative first: -, +, +: AP (1/2 + 2/3) / 2.
        int[] labels = [0, 1, 1];
        Assert.Equal(1.0, AveragePrecision.MeanOverClasses([0.9f, 0.1f, 0.1f, 0.5f, 0.3f, 0.6f], labels, 2), 12);
        double class1 = (1.0 / 2 + 2.0 / 3) / 2;
        Assert.Equal((1.0 + class1) / 2, AveragePrecision.MeanOverClasses([0.9f, 0.9f, 0.1f, 0.2f, 0.3f, 0.6f], labels, 2), 12);
    }
}
