using ProtoCL.Clustering;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Clustering;

public class EmptyClusterSplitTests
{
    // faiss's EPS: the documented relative perturbation of 1/1024.
    private const float E = 1f / 1024f;

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(77UL)]
    public void Should_SplitTheOnlyClusterWithMoreThanOneMember_When_OneClusterIsEmpty(ulong seed)
    {
        // Sizes (3, 0, 1): donor weights max(size - 1, 0) are (2, 0, 0), so cluster 0 is the donor whatever is drawn.
        using var centroids = tensor(new float[] { 1, 2, 3, 9, 9, 9, 4, 5, 6 }).view(3, 3);
        using var g = new Generator(seed);

        int splits = EmptyClusterSplit.Split(centroids, [3, 0, 1], g);

        Assert.Equal(1, splits);
        var rows = centroids.data<float>().ToArray();
        // Empty cluster 1 takes the donor times (1 + e, 1 - e, 1 + e) over dimensions 0, 1, 2;
        // the donor moves the opposite way, times (1 - e, 1 + e, 1 - e); cluster 2 is untouched.
        float[] expected =
        [
            1 * (1 - E), 2 * (1 + E), 3 * (1 - E),
            1 * (1 + E), 2 * (1 - E), 3 * (1 + E),
            4, 5, 6,
        ];
        Assert.Equal(expected, rows);
        // The two copies straddle the old centroid: their mean is the donor's old centroid.
        for (int j = 0; j < 3; j++) Assert.Equal(j + 1f, (rows[j] + rows[3 + j]) / 2, 6);
    }

    [Fact]
    public void Should_SplitTheLargestCluster_When_NoClusterHasWeight()
    {
        // Sizes (0, 1): every weight max(size - 1, 0) is 0, so the fallback donor is the largest cluster, cluster 1.
        using var centroids = tensor(new float[] { 7, 7, -2, 8 }).view(2, 2);
        using var g = new Generator(5);

        int splits = EmptyClusterSplit.Split(centroids, [0, 1], g);

        Assert.Equal(1, splits);
        float[] expected = [-2 * (1 + E), 8 * (1 - E), -2 * (1 - E), 8 * (1 + E)];
        Assert.Equal(expected, centroids.data<float>().ToArray());
    }

    [Fact]
    public void Should_ChangeNothing_When_NoClusterIsEmpty()
    {
        using var centroids = tensor(new float[] { 1, 2, 3, 4 }).view(2, 2);
        using var g = new Generator(5);
        Assert.Equal(0, EmptyClusterSplit.Split(centroids, [2, 1], g));
        Assert.Equal([1f, 2, 3, 4], centroids.data<float>().ToArray());
    }
}
