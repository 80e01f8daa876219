using System.Text.Json;
using ProtoCL.IO;
using ProtoCL.Tests.Training;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Cli;

/// <summary><c>protocl bench</c> through the real command: the JSON files bench/*.sh and bench/summarise-bench.py read.</summary>
[Collection("torch")]
public class BenchCliTests
{
    [Fact]
    public void Should_WriteTheFieldsSummariseBenchReads_When_BenchmarkingATinyConfiguration()
    {
        var dir = TinyRun.TempDir();
        try
        {
            var json = Path.Combine(dir, "w4-fp32.json");
            // As bench/run-bench.sh calls it, at the smallest width and on a handful of images.
            var r = CliProcess.Run(240, "bench", "--data", "embedded", "--limit", "96", "--arch", "resnet18", "--width", "4",
                "--batch-size", "32", "--queue", "64", "--clusters", "4,8", "--threads", "1", "--precision", "fp32",
                "--steps", "2", "--repeats", "1", "--kmeans-restarts", "1", "--json", json);
            Assert.True(r.Code == 0, r.Output);
            var b = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
            // What was asked.
            Assert.Equal(4, b.GetProperty("options").GetProperty("encoder").GetProperty("width").GetInt32());
            Assert.Equal("fp32", b.GetProperty("precision").GetString());
            Assert.Equal(96, b.GetProperty("images").GetInt32());
            Assert.Equal(1, b.GetProperty("repeats").GetInt32());
            Assert.Equal(1, b.GetProperty("threads").GetInt32());
            Assert.Equal(1, b.GetProperty("options").GetProperty("threads").GetInt32());
            Assert.Equal(32, b.GetProperty("options").GetProperty("batch_size").GetInt32());
            Assert.Equal(64, b.GetProperty("train_images").GetInt32()); // min(96, max(2 steps x 32, 8 + 1))
            // Every number bench/summarise-bench.py reads is there, finite, and the derived ones agree with their parts.
            double Get(string name) => b.GetProperty(name).GetDouble();
            foreach (var name in new[] { "train_warmup_images_per_second", "train_pcl_images_per_second", "estep_feature_images_per_second",
                         "kmeans_seconds", "phi_seconds", "augment_fraction_of_step", "train_effective_gflops", "matmul_peak_gflops",
                         "fraction_of_matmul_peak" })
                Assert.True(double.IsFinite(Get(name)) && Get(name) > 0, $"{name} = {Get(name)}");
            Assert.True(b.GetProperty("peak_memory_bytes").GetInt64() > 0);
            Assert.False(string.IsNullOrWhiteSpace(b.GetProperty("machine").GetString()));
            Assert.Equal(Get("train_effective_gflops") / Get("matmul_peak_gflops"), Get("fraction_of_matmul_peak"), 1e-12);
            // Hand count of the width-4 encoder's forward FLOPs, as in BenchmarkTests: 3,622,016; a PCL step is 4 forwards.
            Assert.Equal(3_622_016 / 1e9, Get("gflops_per_image"), 1e-15);
            Assert.Equal(Get("train_warmup_images_per_second") * 4 * 3_622_016 / 1e9, Get("train_effective_gflops"), 1e-9 * Get("train_effective_gflops"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Should_WriteTheFieldsScalingShReads_When_BenchmarkingKMeansOnFeatures()
    {
        var dir = TinyRun.TempDir();
        try
        {
            // The two diamonds of KMeansBenchTests: objectives 8 (K = 2) and 1 (K = 7) by hand.
            var features = Path.Combine(dir, "x.npy");
            using (var x = tensor(new float[,] { { 11, 0 }, { 9, 0 }, { 10, 1 }, { 10, -1 }, { -11, 0 }, { -9, 0 }, { -10, 1 }, { -10, -1 } }))
                Npy.Write(features, x);
            var json = Path.Combine(dir, "kmeans.json");
            var r = CliProcess.Run(120, "bench", "--features", features, "--clusters", "2,7", "--kmeans-restarts", "3",
                "--threads", "1", "--repeats", "2", "--json", json);
            Assert.True(r.Code == 0, r.Output);
            var b = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
            Assert.Equal(features, b.GetProperty("features").GetString());
            Assert.Equal(8, b.GetProperty("n").GetInt64());
            Assert.Equal(2, b.GetProperty("d").GetInt64());
            Assert.Equal(1, b.GetProperty("threads").GetInt32());
            Assert.Equal(3, b.GetProperty("restarts").GetInt32());
            Assert.Equal(2, b.GetProperty("repeats").GetInt32());
            var levels = b.GetProperty("levels").EnumerateArray().ToArray();
            Assert.Equal(new[] { 0, 1 }, levels.Select(l => l.GetProperty("level").GetInt32()));
            Assert.Equal(new[] { 2, 7 }, levels.Select(l => l.GetProperty("k").GetInt32()));
            Assert.Equal(8.0, levels[0].GetProperty("objective").GetDouble(), 1e-3);
            Assert.Equal(1.0, levels[1].GetProperty("objective").GetDouble(), 1e-3);
            // The totals are the sums over the levels.
            Assert.Equal(levels.Sum(l => l.GetProperty("kmeans_seconds").GetDouble()), b.GetProperty("kmeans_seconds").GetDouble(), 1e-12);
            Assert.Equal(levels.Sum(l => l.GetProperty("phi_seconds").GetDouble()), b.GetProperty("phi_seconds").GetDouble(), 1e-12);
            Assert.True(b.GetProperty("peak_memory_bytes").GetInt64() > 0);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
