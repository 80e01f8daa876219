using ProtoCL.Evaluation;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Evaluation;

public class NearestNeighboursTests
{
    private static Tensor Points(params (double Radius, double Degrees)[] points) =>
        tensor(points.SelectMany(p => new[] { (float)(p.Radius * Math.Cos(p.Degrees * Math.PI / 180)), (float)(p.Radius * Math.Sin(p.Degrees * Math.PI / 180)) }).ToArray())
            .reshape(points.Length, 2);

    [Fact]
    public void Should_RankByCosineWithTiesBySmallerIndexAndSkipTheQuery_When_FindingNeighboursOfAHandPlacedSet()
    {
        // Index: 0 at 0°, 1 at 10°, 2 at 100°, 3 at 180°, 4 at -10°, 5 at 10° again.
        // From 0: 1, 4 and 5 all lie 10° away (cosine cos 10°, a tie broken by index), then 2 (100°), then 3 (180°).
        using var x = Points((1, 0), (1, 10), (1, 100), (1, 180), (1, -10), (1, 10));

        var lists = NearestNeighbours.Find(x, [0, 3], k: 4);

        Assert.Equal(new[] { 1, 4, 5, 2 }, lists[0].Neighbours);
        Assert.Equal(0, lists[0].Query);
        Assert.Equal(Math.Cos(10 * Math.PI / 180), lists[0].Cosine[0], 5);
        Assert.Equal(Math.Cos(100 * Math.PI / 180), lists[0].Cosine[3], 5);
        // From 3 (180°): 2 is 80° away, then 1 and 5 at 170° (tie: 1 first), then 4 (170° the other way round: also a tie, index 4 < 5).
        Assert.Equal(new[] { 2, 1, 4, 5 }, lists[1].Neighbours); // radii differ in the random test below: only the direction counts
        Assert.Equal(Math.Cos(80 * Math.PI / 180), lists[1].Cosine[0], 5);
    }

    [Fact]
    public void Should_SearchOnlyTheFirstRows_When_QueriesComeFromOutsideThem()
    {
        // Searched rows 0..3: 0 at 0°, 1 at 40°, 2 at 100°, 3 at 180°. Rows 4 (at 30°) and 5 (at 35°) are outside images.
        // From 4: 1 (10° away), 0 (30°), 2 (70°), 3 (150°); never 5, though it is the closest (5°).
        // From 1 (a searched row): 0 (40°) and 2 (60°) with k = 2, never itself nor 4 or 5.
        using var x = Points((1, 0), (1, 40), (1, 100), (1, 180), (2, 30), (1, 35));

        var lists = NearestNeighbours.Find(x, [4, 1, 5], k: 9, searched: 4);

        Assert.Equal(new[] { 1, 0, 2, 3 }, lists[0].Neighbours);                  // k capped at the 4 searched rows
        Assert.Equal(Math.Cos(10 * Math.PI / 180), lists[0].Cosine[0], 5);
        Assert.Equal(new[] { 0, 2, 3 }, lists[1].Neighbours);                     // the 3 other searched rows
        Assert.Equal(new[] { 1, 0, 2, 3 }, lists[2].Neighbours);
        Assert.Equal(new[] { 1, 0 }, NearestNeighbours.Find(x, [4], k: 2, searched: 4)[0].Neighbours);
        Assert.Empty(NearestNeighbours.Find(x, [0, 4], k: 2, searched: 1)[0].Neighbours); // a query that is the only searched row
        Assert.Equal(new[] { 0 }, NearestNeighbours.Find(x, [0, 4], k: 2, searched: 1)[1].Neighbours);
    }

    [Fact]
    public void Should_MatchANaiveSort_When_FeaturesAreRandomAndQueriesComeInSmallBlocks()
    {
        var random = new Random(3);
        int n = 60, d = 5, k = 7;
        var values = Enumerable.Range(0, n * d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        using var x = tensor(values).reshape(n, d);
        var queries = Enumerable.Range(0, n).Where(i => i % 3 != 1).ToArray();

        var lists = NearestNeighbours.Find(x, queries, k, blockSize: 4);

        for (int q = 0; q < queries.Length; q++)
        {
            int i = queries[q];
            double Norm(int r) => Math.Sqrt(Enumerable.Range(0, d).Sum(c => (double)values[r * d + c] * values[r * d + c]));
            double Cos(int r) => Enumerable.Range(0, d).Sum(c => (double)values[i * d + c] * values[r * d + c]) / (Norm(i) * Norm(r));
            var expected = Enumerable.Range(0, n).Where(r => r != i).OrderByDescending(Cos).Take(k).ToArray();
            Assert.Equal(i, lists[q].Query);
            Assert.Equal(expected, lists[q].Neighbours);
            for (int j = 0; j < k; j++) Assert.Equal(Cos(expected[j]), lists[q].Cosine[j], 5);
        }
    }

    [Fact]
    public void Should_ReturnEveryOtherImage_When_KExceedsTheSet()
    {
        using var x = Points((1, 0), (1, 30), (1, 90));
        var list = Assert.Single(NearestNeighbours.Find(x, [2], k: 10));
        Assert.Equal(new[] { 1, 0 }, list.Neighbours);
        Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbours.Find(x, [3], k: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbours.Find(x, [0], k: 0));
    }

    [Fact]
    public void Should_CountNeighboursOfTheSameLabel_When_ScoringLabelAgreement()
    {
        // Two pairs of close directions: 0° and 10° (label 0), 90° and 100° (label 1).
        // k = 1: every image's nearest is its pair mate → 4 of 4 agree.
        // k = 2: its mate, then the nearer image of the other pair (cosine of 80° or 90° beats 90° or 100°) → 4 of 8.
        using var x = Points((1, 0), (1, 10), (1, 90), (1, 100));
        int[] labels = [0, 0, 1, 1];
        Assert.Equal(1.0, NearestNeighbours.LabelAgreement(x, labels, 1), 12);
        Assert.Equal(0.5, NearestNeighbours.LabelAgreement(x, labels, 2), 12);
        // k = 3: mate and both of the other pair → 4 of 12.
        Assert.Equal(1.0 / 3, NearestNeighbours.LabelAgreement(x, labels, 3), 12);
    }

    [Fact]
    public void Should_LeaveUnlabelledImagesOut_When_ScoringLabelAgreement()
    {
        // As above plus an unlabelled image at 5°, the nearest image of both 0 and 1. Left out, the k = 1 score stays
        // 4 of 4; counted as a neighbour, images 0 and 1 would find it first and miss their mates.
        using var x = Points((1, 0), (1, 10), (1, 90), (1, 100), (1, 5));
        int[] labels = [0, 0, 1, 1, ProtoCL.Data.ImageDataset.Unlabelled];
        Assert.Equal(1.0, NearestNeighbours.LabelAgreement(x, labels, 1), 12);
        Assert.True(double.IsNaN(NearestNeighbours.LabelAgreement(x, [0, -1, -1, -1, -1], 1)));   // one labelled image: nothing to score
    }
}
