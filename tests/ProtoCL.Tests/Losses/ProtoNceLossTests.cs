using ProtoCL.Losses;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Losses;

public class ProtoNceLossTests
{
    [Fact]
    public void Should_UseEveryNonPositivePrototype_When_KIsAtMostR()
    {
        // K = 4 prototypes, batch of 2 with positives 0 and 2, r = 10 > K: the negatives are exactly {1, 3}.
        float[][] c = [[1, 0], [0, 1], [-1, 0], [0.6f, 0.8f]];
        double[] phi = [0.1, 0.2, 0.3, 0.4];
        float[][] q = [[0.8f, 0.6f], [0, -1]];
        long[] assign = [0, 2];
        // columns: positives in batch order (0, 2), then negatives (1, 3); each divided by its own phi.
        int[] cols = [0, 2, 1, 3];
        double expected = 0;
        for (int i = 0; i < 2; i++)
        {
            var logits = cols.Select(j => (q[i][0] * c[j][0] + q[i][1] * c[j][1]) / phi[j]).ToArray();
            double max = logits.Max();
            double lse = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
            expected += (lse - logits[i]) / 2;
        }
        using var qT = tensor(q.SelectMany(r => r).ToArray()).view(2, 2);
        using var cT = tensor(c.SelectMany(r => r).ToArray()).view(4, 2);
        using var phiT = tensor(phi.Select(p => (float)p).ToArray());
        using var aT = tensor(assign);
        using var g = new Generator(1);
        var result = ProtoNceLoss.Compute(qT, aT, cT, phiT, 10, g);
        Assert.Equal(expected, result.Loss.item<float>(), 4);
    }

    [Fact]
    public void Should_SampleExactlyRNegatives_When_ManyClustersRemain()
    {
        // All prototypes identical to the query direction with phi 1: every logit is 1, so the loss is log(N + r).
        int k = 50, r = 7;
        using var c = ones(k, 2) / Math.Sqrt(2);
        using var q = ones(3, 2) / Math.Sqrt(2);
        using var phi = ones(k);
        using var assign = tensor(new long[] { 4, 4, 9 });
        using var g = new Generator(3);
        var result = ProtoNceLoss.Compute(q, assign, c, phi, r, g);
        Assert.Equal(Math.Log(3 + r), result.Loss.item<float>(), 4);
    }

    [Fact]
    public void Should_DrawDistinctNonPositiveNegatives_When_SamplingFewerThanRemain()
    {
        // K = 6 distinct prototypes with distinct phi, batch of 2 with positives 0 and 2, r = 2: the negatives must be two
        // different prototypes of {1, 3, 4, 5} (2 is positive for sample 1, so it is no negative for sample 0 either).
        double[] degrees = [0, 50, 100, 160, 230, 300];
        float[][] c = degrees.Select(d => new[] { (float)Math.Cos(d * Math.PI / 180), (float)Math.Sin(d * Math.PI / 180) }).ToArray();
        double[] phi = [0.3, 0.5, 0.4, 0.7, 0.6, 0.9];
        float[][] q = [[(float)Math.Cos(0.35), (float)Math.Sin(0.35)], [(float)Math.Cos(1.9), (float)Math.Sin(1.9)]];
        long[] assign = [0, 2];

        // Reference layout, by a plain loop: columns (0, 2, n1, n2), each logit divided by its own phi, row i's target column i.
        double NaiveLoss(int n1, int n2)
        {
            int[] cols = [0, 2, n1, n2];
            double loss = 0;
            for (int i = 0; i < 2; i++)
            {
                var logits = cols.Select(j => (q[i][0] * c[j][0] + q[i][1] * c[j][1]) / phi[j]).ToArray();
                double max = logits.Max();
                loss += (max + Math.Log(logits.Sum(l => Math.Exp(l - max))) - logits[i]) / 2;
            }
            return loss;
        }
        int[] allowed = [1, 3, 4, 5];
        var valid = new List<(int, int, double)>();
        for (int a = 0; a < allowed.Length; a++)
            for (int b = a + 1; b < allowed.Length; b++)
                valid.Add((allowed[a], allowed[b], NaiveLoss(allowed[a], allowed[b])));
        // Guard: every valid subset has its own loss, and every invalid draw (a positive, or one prototype twice) gives a loss
        // far from all of them, so matching a valid loss identifies the subset.
        for (int i = 0; i < valid.Count; i++)
            for (int j = i + 1; j < valid.Count; j++)
                Assert.True(Math.Abs(valid[i].Item3 - valid[j].Item3) > 1e-3, $"subsets {i} and {j} tie");
        for (int a = 0; a < 6; a++)
            for (int b = a; b < 6; b++)
            {
                if (a != b && allowed.Contains(a) && allowed.Contains(b)) continue;
                double invalid = NaiveLoss(a, b);
                Assert.All(valid, v => Assert.True(Math.Abs(v.Item3 - invalid) > 1e-3, $"invalid draw ({a}, {b}) ties with ({v.Item1}, {v.Item2})"));
            }

        using var qT = tensor(q.SelectMany(r => r).ToArray()).view(2, 2);
        using var cT = tensor(c.SelectMany(r => r).ToArray()).view(6, 2);
        using var phiT = tensor(phi.Select(p => (float)p).ToArray());
        using var aT = tensor(assign);
        var seen = new HashSet<(int, int)>();
        for (ulong seed = 0; seed < 12; seed++)
        {
            using var g = new Generator(seed);
            var result = ProtoNceLoss.Compute(qT, aT, cT, phiT, 2, g);
            double loss = result.Loss.item<float>();
            var match = valid.Where(v => Math.Abs(v.Item3 - loss) < 1e-4).ToArray();
            Assert.True(match.Length == 1, $"seed {seed}: loss {loss} is no valid subset's ({string.Join(", ", valid.Select(v => $"{v.Item1}{v.Item2}: {v.Item3:F5}"))})");
            seen.Add((match[0].Item1, match[0].Item2));
        }
        Assert.True(seen.Count >= 2, $"12 seeds drew only {string.Join(", ", seen)}");
    }

    [Fact]
    public void Should_CountOwnPrototypeAsCorrect_When_ItFillsSeveralColumns()
    {
        // K = 2, batch of 4: samples 0-2 belong to prototype 0 (three identical columns), sample 3 to prototype 1.
        // Every query points at prototype 0, so rows 0-2 pick a column of their own prototype and row 3 does not:
        // 3 correct. (Counting only "best column == i" would give 1: ties go to the first of the identical columns.)
        float[][] c = [[1, 0], [0, 1]];
        using var cT = tensor(c.SelectMany(r => r).ToArray()).view(2, 2);
        using var q = tensor(new float[] { 1, 0, 1, 0, 1, 0, 1, 0 }).view(4, 2);
        using var phi = tensor(new float[] { 0.2f, 0.2f });
        using var assign = tensor(new long[] { 0, 0, 0, 1 });
        using var g = new Generator(5);
        var result = ProtoNceLoss.Compute(q, assign, cT, phi, 10, g);
        Assert.Equal(3, result.Correct.item<long>());
    }

    [Fact]
    public void Should_ListEachPrototypeOnce_When_UsingThePapersForm()
    {
        // K = 4, batch of 3 with prototypes 2, 0, 2 and r = 10 > K: the columns are the distinct positives in ascending
        // id (0, 2), then the negatives {1, 3}; every row is scored against the four prototypes once, its target its own.
        float[][] c = [[1, 0], [0, 1], [-1, 0], [0.6f, 0.8f]];
        double[] phi = [0.1, 0.2, 0.3, 0.4];
        float[][] q = [[0.8f, 0.6f], [0.1f, -1], [-0.6f, 0.8f]];
        long[] assign = [2, 0, 2];
        double expected = 0;
        for (int i = 0; i < 3; i++)
        {
            var logits = Enumerable.Range(0, 4).Select(j => (q[i][0] * c[j][0] + q[i][1] * c[j][1]) / phi[j]).ToArray();
            double max = logits.Max();
            double lse = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
            expected += (lse - logits[assign[i]]) / 3;
        }
        using var qT = tensor(q.SelectMany(r => r).ToArray()).view(3, 2);
        using var cT = tensor(c.SelectMany(r => r).ToArray()).view(4, 2);
        using var phiT = tensor(phi.Select(p => (float)p).ToArray());
        using var aT = tensor(assign);
        using var g = new Generator(1);

        var result = ProtoNceLoss.Compute(qT, aT, cT, phiT, 10, g, eachPrototypeOnce: true);

        Assert.Equal(expected, result.Loss.item<float>(), 4);
        // Largest logits (divided by phi): row 0 prototype 0 (8), row 1 prototype 0 (1), row 2 prototype 1 (4);
        // only row 1 picks its own.
        Assert.Equal(1, result.Correct.item<long>());
        // With no negatives (r = 0) only the two positives compete.
        double expectedPositivesOnly = 0;
        for (int i = 0; i < 3; i++)
        {
            var logits = new[] { 0, 2 }.Select(j => (q[i][0] * c[j][0] + q[i][1] * c[j][1]) / phi[j]).ToArray();
            double max = logits.Max();
            expectedPositivesOnly += (max + Math.Log(logits.Sum(l => Math.Exp(l - max))) - logits[assign[i] == 0 ? 0 : 1]) / 3;
        }
        Assert.Equal(expectedPositivesOnly, ProtoNceLoss.Compute(qT, aT, cT, phiT, 0, g, eachPrototypeOnce: true).Loss.item<float>(), 4);
    }
}
