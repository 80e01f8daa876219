using ProtoCL.Clustering;
using static ProtoCL.Tests.Clustering.ClusteringData;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Clustering;

public class PrototypeAssignmentTests
{
    /// <summary>A level whose prototypes are the given rows (assignments and phi play no part in the assignment).</summary>
    private static ClusterLevel Level(float[,] prototypes)
    {
        int k = prototypes.GetLength(0);
        return new ClusterLevel(k, tensor(prototypes), full(k, 0.2f), arange(k, ScalarType.Int64), 0, 0, [], 0, 0, 1);
    }

    [Fact]
    public void Should_PickTheMostSimilarPrototypeAndItsCosine_When_WorkedByHand()
    {
        using var clusters = new ClusterResult([
            Level(new float[,] { { 1, 0 }, { 0, 1 }, { -1, 0 } }),
            Level(new float[,] { { 0.6f, 0.8f }, { 0, -1 } }),
        ]);
        using var v = tensor(new float[,] { { 0.6f, 0.8f }, { 0.8f, -0.6f }, { -1, 0 } });   // [3, 2], unit rows

        var levels = PrototypeAssignment.Assign(v, clusters);

        // Level 0: (0.6, 0.8) is 0.6 / 0.8 / -0.6 from the three prototypes; (0.8, -0.6): 0.8 / -0.6 / -0.8; (-1, 0): -1 / 0 / 1.
        Assert.Equal(3, levels[0].K);
        Assert.Equal([1, 0, 2], levels[0].Prototype);
        Assert.Equal([0.8f, 0.8f, 1f], levels[0].Cosine, (a, b) => Math.Abs(a - b) < 1e-6);
        // Level 1: (0.6, 0.8): 1 / -0.8; (0.8, -0.6): 0.48 - 0.48 = 0 / 0.6; (-1, 0): -0.6 / 0.
        Assert.Equal([0, 1, 1], levels[1].Prototype);
        Assert.Equal([1f, 0.6f, 0f], levels[1].Cosine, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Should_MatchANaiveLoop_When_RowsAreComparedInChunks()
    {
        using var scope = NewDisposeScope();
        var v = Random(37, 8, seed: 5, normalise: true);                    // [37, 8]
        var c = Random(6, 8, seed: 9, normalise: true);                     // [6, 8]
        float[] vs = v.data<float>().ToArray(), cs = c.data<float>().ToArray();
        using var clusters = new ClusterResult([new ClusterLevel(6, c.clone(), full(6, 0.2f), zeros(37, ScalarType.Int64), 0, 0, [], 0, 0, 1)]);

        var level = PrototypeAssignment.Assign(v, clusters, chunk: 4)[0];   // 10 chunks, the last of 1 row

        for (int i = 0; i < 37; i++)
        {
            int best = -1;
            double bestDot = double.NegativeInfinity;
            for (int j = 0; j < 6; j++)
            {
                double dot = 0;
                for (int d = 0; d < 8; d++) dot += vs[i * 8 + d] * cs[j * 8 + d];
                if (dot > bestDot) (best, bestDot) = (j, dot);
            }
            Assert.Equal(best, level.Prototype[i]);
            Assert.Equal(bestDot, level.Cosine[i], 5);
        }
    }

    [Fact]
    public void Should_Throw_When_EmbeddingsAndPrototypesHaveOtherDimensions()
    {
        using var clusters = new ClusterResult([Level(new float[,] { { 1, 0, 0 }, { 0, 1, 0 } })]);
        using var v = tensor(new float[,] { { 1, 0 } });

        var e = Assert.Throws<ArgumentException>(() => PrototypeAssignment.Assign(v, clusters));
        Assert.Contains("different models", e.Message);
    }
}
