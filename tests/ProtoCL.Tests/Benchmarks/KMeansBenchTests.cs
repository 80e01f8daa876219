using ProtoCL.Benchmarks;
using ProtoCL.Clustering;
using ProtoCL.IO;
using ProtoCL.Tests.Data;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Benchmarks;

[Collection("torch")]
public class KMeansBenchTests
{
    /// <summary>
    /// Two diamonds of four points, far apart: (10 +- 1, 0), (10, +-1) and the same around (-10, 0). Objectives by hand:
    /// K = 2: each diamond is a cluster, centred on its middle, every point at squared distance 1: 8 x 1 = 8.
    /// K = 7: seven of the eight points are centroids; the eighth joins the nearest, at squared distance 2 (each diamond
    /// point has two neighbours sqrt 2 away, its opposite 2 away); the pair's centroid moves to their midpoint, each of
    /// the two then at squared distance 2 / 4 = 0.5: 2 x 0.5 = 1. Every restart ends there, whichever point is left out.
    /// </summary>
    private static readonly float[,] Diamonds =
    {
        { 11, 0 }, { 9, 0 }, { 10, 1 }, { 10, -1 },
        { -11, 0 }, { -9, 0 }, { -10, 1 }, { -10, -1 },
    };

    private static string WriteNpy(TempFolder dir, Tensor t)
    {
        var path = dir.File("features.npy");
        Npy.Write(path, t);
        return path;
    }

    [Fact]
    public void Should_ReportEveryLevelWithItsKAndTheHandComputedObjective_When_RunOnTwoDiamonds()
    {
        using var dir = new TempFolder();
        using var x = tensor(Diamonds);                                   // [8, 2] float32
        var levels = KMeansBench.Run(WriteNpy(dir, x), [2, 7], threads: 1, new KMeansOptions { Iterations = 10, Restarts = 3 });
        Assert.Equal(2, levels.Count);
        Assert.Equal((0, 2), (levels[0].Level, levels[0].K));
        Assert.Equal((1, 7), (levels[1].Level, levels[1].K));
        // float32 distances from ||x||^2 + ||c||^2 - 2 x.c with ||x||^2 near 121: a few 1e-5 of rounding per point
        Assert.Equal(8.0, levels[0].Objective, 1e-3);
        Assert.Equal(1.0, levels[1].Objective, 1e-3);
        Assert.All(levels, l => Assert.True(l.KMeansSeconds > 0 && l.PhiSeconds > 0));
    }

    [Fact]
    public void Should_PutTheThreadCountBack_When_Finished()
    {
        using var dir = new TempFolder();
        int before = get_num_threads();
        try
        {
            using var x = tensor(Diamonds);
            var path = WriteNpy(dir, x);
            set_num_threads(2);
            KMeansBench.Run(path, [2], threads: 1);
            Assert.Equal(2, get_num_threads());
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Fact]
    public void Should_RefuseWithTheReason_When_ThreadsOrFeaturesAreUnusable()
    {
        using var dir = new TempFolder();
        int before = get_num_threads();
        try
        {
            using var ints = tensor(new[] { 1, 2, 3, 4, 5, 6 }).view(3, 2);  // [3, 2] int32
            var intPath = WriteNpy(dir, ints);
            var e = Assert.Throws<ArgumentException>(() => KMeansBench.Run(intPath, [2], threads: 1));
            Assert.Contains("must hold float32 [N, D]", e.Message);
            Assert.Contains("[3, 2]", e.Message);
            Assert.Equal(before, get_num_threads()); // put back after a refusal too

            using var flat = tensor(new float[] { 1, 2, 3, 4 });              // [4] float32
            var flatPath = WriteNpy(dir, flat);
            e = Assert.Throws<ArgumentException>(() => KMeansBench.Run(flatPath, [2], threads: 1));
            Assert.Contains("[4]", e.Message);

            e = Assert.Throws<ArgumentException>(() => KMeansBench.Run(flatPath, [2], threads: 0));
            Assert.Contains("Threads must be at least 1 (got 0)", e.Message);
        }
        finally
        {
            set_num_threads(before);
        }
    }
}
