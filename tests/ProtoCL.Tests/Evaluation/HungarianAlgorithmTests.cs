using ProtoCL.Evaluation;

namespace ProtoCL.Tests.Evaluation;

public class HungarianAlgorithmTests
{
    [Fact]
    public void Should_FindBestMatching_When_TableIsHandMade()
    {
        // Classes x clusters [[5, 1, 0], [0, 2, 7], [3, 4, 0]]; the six matchings score
        // 5+2+0=7, 5+7+4=16, 1+0+0=1, 1+7+3=11, 0+0+4=4, 0+2+3=5, so the best keeps 16 of the 22 samples.
        var (truth, pred) = LabelsFromTable(new long[,] { { 5, 1, 0 }, { 0, 2, 7 }, { 3, 4, 0 } });
        Assert.Equal(16.0 / 22, ClusteringMetrics.HungarianAccuracy(truth, pred), 12);
    }

    [Fact]
    public void Should_CountExtraClustersAsWrong_When_ClusterCountDiffersFromClassCount()
    {
        // Two classes, three clusters [[4, 3, 0], [0, 1, 5]]: best is 4 + 5 = 9 of 13.
        var (truth, pred) = LabelsFromTable(new long[,] { { 4, 3, 0 }, { 0, 1, 5 } });
        Assert.Equal(9.0 / 13, ClusteringMetrics.HungarianAccuracy(truth, pred), 12);
        // Transposed: three classes, two clusters; still 9 of 13.
        Assert.Equal(9.0 / 13, ClusteringMetrics.HungarianAccuracy(pred, truth), 12);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(5, 5)]
    [InlineData(6, 6)]
    [InlineData(3, 6)]
    [InlineData(6, 2)]
    [InlineData(4, 5)]
    public void Should_MatchBruteForce_When_TablesAreRandom(int rows, int columns)
    {
        var random = new Random(rows * 31 + columns);
        for (int trial = 0; trial < 20; trial++)
        {
            var cost = new double[rows, columns];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < columns; j++)
                    cost[i, j] = trial % 2 == 0 ? random.Next(10) : random.NextDouble() * 10 - 3; // ties and reals
            var assignment = HungarianAlgorithm.Solve(cost);

            int matched = Math.Min(rows, columns);
            Assert.Equal(matched, assignment.Count(c => c >= 0));
            Assert.Equal(matched, assignment.Where(c => c >= 0).Distinct().Count());
            double total = 0;
            for (int i = 0; i < rows; i++) if (assignment[i] >= 0) total += cost[i, assignment[i]];
            Assert.Equal(BruteForceMinimum(cost), total, 9);
        }
    }

    /// <summary>Minimum over all injective maps of the smaller side into the larger one.</summary>
    private static double BruteForceMinimum(double[,] cost)
    {
        int rows = cost.GetLength(0), columns = cost.GetLength(1);
        bool wide = rows <= columns;
        int small = Math.Min(rows, columns), large = Math.Max(rows, columns);
        double best = double.PositiveInfinity;
        var used = new bool[large];
        void Recurse(int index, double sum)
        {
            if (index == small)
            {
                best = Math.Min(best, sum);
                return;
            }
            for (int j = 0; j < large; j++)
            {
                if (used[j]) continue;
                used[j] = true;
                Recurse(index + 1, sum + (wide ? cost[index, j] : cost[j, index]));
                used[j] = false;
            }
        }
        Recurse(0, 0);
        return best;
    }

    private static (int[] Truth, int[] Pred) LabelsFromTable(long[,] table)
    {
        var truth = new List<int>();
        var pred = new List<int>();
        for (int i = 0; i < table.GetLength(0); i++)
            for (int j = 0; j < table.GetLength(1); j++)
                for (long s = 0; s < table[i, j]; s++)
                {
                    truth.Add(i);
                    pred.Add(j);
                }
        return (truth.ToArray(), pred.ToArray());
    }
}
