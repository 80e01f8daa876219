using System.Globalization;
using ProtoCL.Augmentation;
using ProtoCL.IO;
using ProtoCL.Model;
using ProtoCL.Tests.Training;
using ProtoCL.Training;

namespace ProtoCL.Tests.Cli;

/// <summary><c>protocl assign</c> through the real command, on a tiny PCL run.</summary>
[Collection("torch")]
public class AssignCliTests
{
    [Fact]
    public void Should_WriteEachImagesMostSimilarPrototypeOfTheMomentumEncoder_When_AssigningAPclRun()
    {
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data();
        using (var t = new Trainer(TinyRun.Options(), data, new RunDirectory(dir))) t.Run(); // warm-up, then one PCL epoch (K = 8, 16)
        var csv = Path.Combine(dir, "assign.csv");

        var r = CliProcess.Run(180, "assign", "--checkpoint", dir, "--data", "embedded", "--limit", "320", "--csv", csv);

        Assert.True(r.Code == 0, r.Output);
        Assert.Contains("level 1 (K = 16)", r.Output);
        var rows = File.ReadAllLines(csv);
        Assert.Equal("index,file,label,level0_k8,level0_k8_cosine,level1_k16,level1_k16_cosine", rows[0]);
        Assert.Equal(321, rows.Length);
        var fields = rows.Skip(1).Select(l => l.Split(',')).ToArray();
        for (int i = 0; i < 320; i++)
        {
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), fields[i][0]);
            Assert.Equal("", fields[i][1]);                                    // IDX data has no files
            Assert.Equal(data.ClassNames![data.Labels![i]], fields[i][2]);
        }
        // Independently: the embeddings of the momentum encoder (the one PCL's E-step clusters), loaded by hand, against the
        // saved prototypes of the run's last E-step, best prototype found by a plain loop. The CSV's prototype must be
        // that one (or tie with it) and its cosine the loop's dot product.
        var run = new RunDirectory(dir);
        var meta = Checkpoint.ReadMeta(run.Checkpoint);
        using var query = new ResNetEncoder(meta.Options.Encoder);
        using var key = new ResNetEncoder(meta.Options.Encoder);
        Checkpoint.Load(run.Checkpoint, query, key, out var queue, null);
        queue?.Dispose();
        using var v = FeatureExtractor.Extract(key, data, new BatchAugmenter(new AugmentationOptions(), meta.ChannelMean, meta.ChannelStd), FeatureKind.Embedding); // [320, 128]
        var vs = v.data<float>().ToArray();
        int dim = (int)v.shape[1];
        for (int m = 0; m < 2; m++)
        {
            int k = m == 0 ? 8 : 16;
            using var c = Npy.Read(Path.Combine(run.ClustersOfEpoch(2), $"level{m}-k{k}-centroids.npy")); // [K, 128]
            var cs = c.data<float>().ToArray();
            for (int i = 0; i < 320; i++)
            {
                var dots = new double[k];
                for (int j = 0; j < k; j++)
                    for (int d = 0; d < dim; d++) dots[j] += vs[i * dim + d] * cs[j * dim + d];
                int p = int.Parse(fields[i][3 + 2 * m], CultureInfo.InvariantCulture);
                double cos = double.Parse(fields[i][4 + 2 * m], CultureInfo.InvariantCulture);
                Assert.InRange(p, 0, k - 1);
                Assert.True(dots[p] >= dots.Max() - 1e-5, $"level {m}, image {i}: prototype {p} ({dots[p]}) is not the most similar ({dots.Max()})");
                Assert.True(Math.Abs(dots[p] - cos) < 1e-5, $"level {m}, image {i}: cosine {cos}, by hand {dots[p]}");
            }
        }

        var again = CliProcess.Run(60, "assign", "--checkpoint", dir, "--data", "embedded", "--limit", "320", "--csv", csv);
        Assert.Equal(2, again.Code);                                           // an existing CSV is kept without --force
        Assert.Contains("--force", again.Output);
        Assert.Equal(rows, File.ReadAllLines(csv));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_SayTheEncoderIsNewer_When_AnEarlierEStepIsChosen()
    {
        // Warm-up, then E-steps before epochs 2 and 3: --epoch 2 pairs epoch 2's prototypes with the final encoder.
        var dir = TinyRun.TempDir();
        using (var data = TinyRun.Data())
        using (var t = new Trainer(TinyRun.Options(epochs: 3), data, new RunDirectory(dir))) t.Run();

        var older = CliProcess.Run(120, "assign", "--checkpoint", dir, "--data", "embedded", "--limit", "320", "--csv", Path.Combine(dir, "a.csv"), "--epoch", "2");
        var last = CliProcess.Run(120, "assign", "--checkpoint", dir, "--data", "embedded", "--limit", "320", "--csv", Path.Combine(dir, "b.csv"), "--epoch", "3");

        Assert.True(older.Code == 0, older.Output);
        Assert.Contains("note: these prototypes are older than the run's last E-step", older.Output);
        Assert.True(last.Code == 0, last.Output);
        Assert.DoesNotContain("note:", last.Output);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_FailWithOneClearLine_When_TheRunHasNoEStepYet()
    {
        var dir = TinyRun.TempDir();
        using (var data = TinyRun.Data())
        using (var t = new Trainer(TinyRun.Options(epochs: 1), data, new RunDirectory(dir))) t.Run(); // the warm-up epoch only

        var r = CliProcess.Run(60, "assign", "--checkpoint", dir, "--data", "embedded", "--limit", "320", "--csv", Path.Combine(dir, "a.csv"));

        Assert.Equal(2, r.Code);
        Assert.Contains("no E-step result yet", r.Output);
        Assert.DoesNotContain("   at ", r.Output);
        Assert.False(File.Exists(Path.Combine(dir, "a.csv")));
        Directory.Delete(dir, true);
    }
}
