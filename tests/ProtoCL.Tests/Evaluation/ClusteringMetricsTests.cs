using ProtoCL.Evaluation;

namespace ProtoCL.Tests.Evaluation;

public class ClusteringMetricsTests
{
    [Fact]
    public void Should_GiveOne_When_LabellingsAreIdentical()
    {
        int[] labels = [0, 0, 1, 1, 2, 2, 2, 3];
        Assert.Equal(1.0, ClusteringMetrics.NormalizedMutualInformation(labels, labels), 12);
        Assert.Equal(1.0, ClusteringMetrics.AdjustedMutualInformation(labels, labels), 12);
        Assert.Equal(1.0, ClusteringMetrics.HungarianAccuracy(labels, labels), 12);
    }

    [Fact]
    public void Should_GiveOne_When_ClusterIdsArePermuted()
    {
        int[] truth = [0, 0, 1, 1, 2, 2, 2, 3];
        int[] renamed = [7, 7, 3, 3, 9, 9, 9, -1]; // 0->7, 1->3, 2->9, 3->-1
        Assert.Equal(1.0, ClusteringMetrics.NormalizedMutualInformation(truth, renamed), 12);
        Assert.Equal(1.0, ClusteringMetrics.AdjustedMutualInformation(truth, renamed), 12);
        Assert.Equal(1.0, ClusteringMetrics.HungarianAccuracy(truth, renamed), 12);
    }

    [Fact]
    public void Should_MatchHandComputedNmi_When_TableIsTwoByTwo()
    {
        // Table [[2, 1], [0, 3]]: a = (3, 3), b = (2, 4), N = 6.
        int[] truth = [0, 0, 0, 1, 1, 1];
        int[] pred = [0, 0, 1, 1, 1, 1];
        double mi = 2.0 / 6 * Math.Log(6.0 * 2 / (3 * 2)) + 1.0 / 6 * Math.Log(6.0 * 1 / (3 * 4)) + 3.0 / 6 * Math.Log(6.0 * 3 / (3 * 4));
        double hTrue = Math.Log(2);
        double hPred = -(2.0 / 6) * Math.Log(2.0 / 6) - (4.0 / 6) * Math.Log(4.0 / 6);
        double nmi = mi / ((hTrue + hPred) / 2);
        var table = ContingencyTable.From(truth, pred);
        Assert.Equal(mi, ClusteringMetrics.MutualInformation(table), 12);
        Assert.Equal(nmi, ClusteringMetrics.NormalizedMutualInformation(truth, pred), 12);
    }

    [Fact]
    public void Should_MatchScikitLearnSpecialCases_When_LabellingsAreDegenerate()
    {
        // Both a single cluster: perfect match by convention; one class split into singletons: MI = 0.
        Assert.Equal(1.0, ClusteringMetrics.NormalizedMutualInformation([0, 0, 0], [5, 5, 5]));
        Assert.Equal(1.0, ClusteringMetrics.AdjustedMutualInformation([0, 0, 0], [5, 5, 5]));
        Assert.Equal(0.0, ClusteringMetrics.NormalizedMutualInformation([0, 0, 0, 0], [0, 1, 2, 3]));
        Assert.Equal(0.0, ClusteringMetrics.AdjustedMutualInformation([0, 0, 0, 0], [0, 1, 2, 3]), 12);
    }

    [Fact]
    public void Should_EqualMeanMiOverAllPermutations_When_ComputingExpectedMi()
    {
        // The hypergeometric model is "MI of truth vs a uniformly permuted prediction": enumerate all 8! permutations.
        int[] truth = [0, 0, 0, 1, 1, 2, 2, 2];
        int[] pred = [0, 1, 1, 1, 2, 2, 0, 0];
        double sum = 0;
        long count = 0;
        foreach (var permutation in Permutations(pred.Length))
        {
            var shuffled = permutation.Select(i => pred[i]).ToArray();
            sum += ClusteringMetrics.MutualInformation(ContingencyTable.From(truth, shuffled));
            count++;
        }
        double naiveEmi = sum / count;
        var table = ContingencyTable.From(truth, pred);
        Assert.Equal(naiveEmi, ClusteringMetrics.ExpectedMutualInformation(table), 12);

        double mi = ClusteringMetrics.MutualInformation(table);
        double mean = (ClusteringMetrics.Entropy(table.RowSums) + ClusteringMetrics.Entropy(table.ColumnSums)) / 2;
        Assert.Equal((mi - naiveEmi) / (mean - naiveEmi), ClusteringMetrics.AdjustedMutualInformation(truth, pred), 12);
    }

    [Fact]
    public void Should_MatchNaiveFullRangeSum_When_ComputingExpectedMi()
    {
        // Naive EMI: every n_ij in 0..N, hypergeometric probability by the product formula (no log-gamma, no bounds).
        var random = new Random(3);
        int n = 60;
        var truth = Enumerable.Range(0, n).Select(_ => random.Next(4)).ToArray();
        var pred = Enumerable.Range(0, n).Select(_ => random.Next(5)).ToArray();
        var table = ContingencyTable.From(truth, pred);
        double naive = 0;
        foreach (long a in table.RowSums)
        {
            foreach (long b in table.ColumnSums)
            {
                for (long nij = 0; nij <= n; nij++)
                {
                    if (nij == 0 || nij > a || nij > b || n - a - b + nij < 0) continue;
                    // P(nij) = C(a, nij) C(N - a, b - nij) / C(N, b)
                    double p = Math.Exp(LogChoose(a, nij) + LogChoose(n - a, b - nij) - LogChoose(n, b));
                    naive += (double)nij / n * Math.Log((double)n * nij / (a * b)) * p;
                }
            }
        }
        Assert.Equal(naive, ClusteringMetrics.ExpectedMutualInformation(table), 10);
    }

    [Fact]
    public void Should_BeNearZeroOnAverage_When_LabellingsAreIndependent()
    {
        var amis = new List<double>();
        for (int seed = 0; seed < 8; seed++)
        {
            var random = new Random(100 + seed);
            var truth = Enumerable.Range(0, 2000).Select(_ => random.Next(10)).ToArray();
            var pred = Enumerable.Range(0, 2000).Select(_ => random.Next(10)).ToArray();
            double ami = ClusteringMetrics.AdjustedMutualInformation(truth, pred);
            Assert.InRange(ami, -0.01, 0.01);
            amis.Add(ami);
            // NMI is not adjusted: it stays above 0 for independent labellings.
            Assert.True(ClusteringMetrics.NormalizedMutualInformation(truth, pred) > ami);
        }
        Assert.InRange(amis.Average(), -0.004, 0.004);
    }

    [Fact]
    public void Should_SeparateNoiseFromSignal_When_TableIsLarge()
    {
        var random = new Random(5);
        var truth = Enumerable.Range(0, 10_000).Select(_ => random.Next(10)).ToArray();
        var fine = Enumerable.Range(0, 10_000).Select(_ => random.Next(2000)).ToArray();
        var coarse = truth.Select(t => random.NextDouble() < 0.8 ? t : random.Next(10)).ToArray();
        double amiFine = ClusteringMetrics.AdjustedMutualInformation(truth, fine);
        double amiCoarse = ClusteringMetrics.AdjustedMutualInformation(truth, coarse);
        // 2000 random clusters carry no information once adjusted; 80 % kept labels carry a lot.
        Assert.InRange(amiFine, -0.02, 0.02);
        Assert.InRange(amiCoarse, 0.4, 0.9);
    }

    [Fact]
    public void Should_MatchSumOfLogs_When_ComputingLogFactorials()
    {
        Assert.Equal(0.5 * Math.Log(Math.PI), LogGamma.Of(0.5), 13);
        Assert.Equal(0.0, LogGamma.Of(1), 13);
        Assert.Equal(Math.Log(24), LogGamma.Of(5), 13);
        var table = LogGamma.LogFactorials(10_000);
        double sum = 0, compensation = 0; // Kahan summation of ln k
        for (int k = 1; k <= 10_000; k++)
        {
            double y = Math.Log(k) - compensation;
            double t = sum + y;
            compensation = t - sum - y;
            sum = t;
            if (k % 997 == 0 || k == 10_000) Assert.Equal(sum, table[k], 1e-12 * sum);
        }
    }

    private static double LogChoose(long n, long k)
    {
        double s = 0;
        for (long i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        // Heap's algorithm, iterative.
        var c = new int[n];
        yield return (int[])p.Clone();
        int i = 0;
        while (i < n)
        {
            if (c[i] < i)
            {
                if (i % 2 == 0) (p[0], p[i]) = (p[i], p[0]);
                else (p[c[i]], p[i]) = (p[i], p[c[i]]);
                yield return (int[])p.Clone();
                c[i]++;
                i = 0;
            }
            else
            {
                c[i] = 0;
                i++;
            }
        }
    }
}
