using System.Text.Json.Nodes;
using ProtoCL.Data;
using ProtoCL.Tests.Data;
using ProtoCL.Reproduction;
using ProtoCL.Tests.Training;
using ProtoCL.Training;

namespace ProtoCL.Tests.Reproduction;

[Collection("torch")]
public class Table1ReproductionTests
{
    private static readonly string[] Ks = ["1", "2", "4", "8", "16"];

    private static Table1Options Tiny(string dir, Method[] methods, TrainingOptions? budget = null) => new()
    {
        TrainData = "embedded",
        TestData = SmallTestSplit(dir),
        RunsDir = Path.Combine(dir, "runs"),
        OutDir = Path.Combine(dir, "out"),
        Methods = methods,
        Budget = budget ?? TinyRun.Options() with { Limit = 320 },
        Command = "protocl reproduce table1 (test)",
    };

    [Fact]
    public void Should_WriteEveryRowProtocolAndPicture_When_Reproducing()
    {
        var dir = TinyRun.TempDir();
        var o = Tiny(dir, [Method.Moco, Method.Pcl]);
        Directory.CreateDirectory(o.OutDir);
        File.WriteAllText(Path.Combine(o.OutDir, "notes.md"), "- **hand-written** line, `a<b`\n");
        Table1Reproduction.Run(o, NullTrainingObserver.Instance);
        var markdown = File.ReadAllText(Path.Combine(o.OutDir, "table1.md"));
        Assert.EndsWith("- **hand-written** line, `a<b`\n", markdown);
        // The shared budget as a table of settings, TinyRun's among them, without a method: each row has its own.
        Assert.Contains("| setting | value |\n|---|---|\n", markdown);
        Assert.Contains("| `batch_size` | 64 |\n", markdown);
        Assert.Contains("| `clusters` | 8, 16 |\n", markdown);
        Assert.Contains("| `encoder.width` | 4 |\n", markdown);
        Assert.Contains("| `limit` | 320 |\n", markdown);
        Assert.DoesNotContain("`method`", markdown);
        Assert.DoesNotContain("\"method\"", markdown);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(o.OutDir, "table1.json")))!;
        var methods = json["methods"]!.AsObject();
        Assert.Equal(["raw", "random", "moco", "pcl"], methods.Select(kv => kv.Key));
        foreach (var (_, row) in methods)
        {
            foreach (var k in Ks)
            {
                Assert.InRange(row!["lowshot"]!["results"]![k]!["accuracy_mean"]!.GetValue<double>(), 0, 1);
                Assert.InRange(row!["lowshot"]!["results"]![k]!["map_mean"]!.GetValue<double>(), 0, 1);
            }
            Assert.InRange(row!["linear"]!["accuracy"]!.GetValue<double>(), 0, 1);
            Assert.InRange(row!["knn"]!["accuracy"]!.GetValue<double>(), 0, 1);
            Assert.InRange(row!["cluster"]!["ami"]!.GetValue<double>(), -1, 1);
        }
        // Every row of table1.json is the per-protocol files in evals/, number for number; lowshot's extra per-k copies equal
        // its results[k].
        foreach (var (name, row) in methods)
        {
            foreach (var protocol in new[] { "lowshot", "linear", "knn", "cluster" })
            {
                var evalFile = JsonNode.Parse(File.ReadAllText(Path.Combine(o.OutDir, "evals", $"{name}-{protocol}.json")))!;
                var inTable = row![protocol]!.DeepClone().AsObject();
                if (protocol == "lowshot")
                    foreach (var k in Ks)
                    {
                        Assert.True(JsonNode.DeepEquals(inTable["results"]![k], inTable[k]), $"{name} lowshot[{k}]");
                        inTable.Remove(k);
                    }
                Assert.True(JsonNode.DeepEquals(evalFile, inTable), $"{name}-{protocol}: table1.json differs from evals/");
            }
        }
        // The raw row's kNN accuracy, by a plain weighted vote over the pixels / 255 of the images the reproduction used
        // (train: the first 320 embedded images, the budget's limit; test: the first 400, SmallTestSplit).
        var raw = methods["raw"]!["knn"]!;
        Assert.Equal(320, raw["train_images"]!.GetValue<int>());
        Assert.Equal(400, raw["test_images"]!.GetValue<int>());
        Assert.Equal(200, raw["k"]!.GetValue<int>());
        Assert.Equal(0.07, raw["temperature"]!.GetValue<double>());
        var (naiveAccuracy, naivePerClass) = NaiveRawKnn(trainCount: 320, testCount: 400, k: 200, temperature: 0.07);
        Assert.Equal(naiveAccuracy, raw["accuracy"]!.GetValue<double>(), 12);
        Assert.Equal(naivePerClass, raw["per_class_correct"]!.AsArray().Select(n => n!.GetValue<int>()));

        // 1x28x28 images: the stem the runs used is the CIFAR one, and the budget says so.
        Assert.True(json["budget"]!["encoder"]!["cifar_stem"]!.GetValue<bool>());
        Assert.Equal(1, json["budget"]!["encoder"]!["in_channels"]!.GetValue<int>());
        foreach (var f in new[] { "table1.md", "lowshot.png", "curves-moco.png", "curves-pcl.png", "pca-pcl.png", "prototypes-pcl-k8.png" })
            Assert.True(File.Exists(Path.Combine(o.OutDir, f)), f);
        Assert.Equal(16, Directory.GetFiles(Path.Combine(o.OutDir, "evals"), "*.json").Length); // 4 rows x 4 protocols
        // index.html: the same numbers as table1.json, the claims, the notes and every picture.
        var html = File.ReadAllText(Path.Combine(o.OutDir, "index.html"));
        var pcl = methods["pcl"]!;
        string Pct(JsonNode n) => (100 * n.GetValue<double>()).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"<td class=\"num\">{Pct(pcl["lowshot"]!["results"]!["1"]!["accuracy_mean"]!)} &#177; {Pct(pcl["lowshot"]!["results"]!["1"]!["accuracy_std"]!)}</td>", html);
        Assert.Contains($">{Pct(pcl["knn"]!["accuracy"]!)}</td>", html);
        Assert.Contains("PCL&#39;s AMI &gt; MoCo&#39;s", html);
        Assert.Contains("<ul>\n<li><strong>hand-written</strong> line, <code>a&lt;b</code></li>\n</ul>", html);
        Assert.Contains("<figcaption>MoCo: training loss (top) and accuracy (bottom) per epoch</figcaption>", html);
        Assert.Contains("<figcaption>PCL: training loss (top) and accuracy (bottom) per epoch</figcaption>", html);
        foreach (var f in new[] { "lowshot.png", "curves-moco.png", "curves-pcl.png", "pca-pcl.png", "prototypes-pcl-k8.png" })
            Assert.Contains($"src=\"{f}\"", html);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_ReuseARun_When_OnlySettingsItsMethodNeverReadsDiffer()
    {
        var dir = TinyRun.TempDir();
        var budget = TinyRun.Options(epochs: 1) with { Limit = 320 };
        Table1Reproduction.Run(Tiny(dir, [Method.Simclr], budget), NullTrainingObserver.Instance);

        var log = new MessageLog();
        Table1Reproduction.Run(Tiny(dir, [Method.Simclr], budget with { QueueSize = 64, Clusters = [4, 6], EncoderMomentum = 0.5 }), log);
        Assert.Contains(log.Lines, l => l.StartsWith("simclr: reusing", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.StartsWith("simclr: training", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.StartsWith("simclr: reusing its evaluations", StringComparison.Ordinal)); // same run, data and seed
        Assert.Contains(log.Lines, l => l.StartsWith("raw: reusing its evaluations", StringComparison.Ordinal));
        // Another evaluation seed: every row is evaluated again, none read from the earlier files.
        var reseeded = new MessageLog();
        Table1Reproduction.Run(Tiny(dir, [Method.Simclr], budget) with { Seed = 1 }, reseeded);
        Assert.Contains("raw: lowshot done", reseeded.Lines);
        Assert.Contains("simclr: lowshot done", reseeded.Lines);
        Assert.DoesNotContain(reseeded.Lines, l => l.Contains("reusing its evaluations", StringComparison.Ordinal));
        Assert.Equal(1, JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "out", "evals", "simclr-lowshot.json")))!["seed"]!.GetValue<int>());

        var other = Assert.Throws<ArgumentException>(() => Table1Reproduction.Run(Tiny(dir, [Method.Simclr], budget with { Temperature = 0.5 }), log));
        Assert.Contains("another budget", other.Message);
        var longer = Assert.Throws<ArgumentException>(() => Table1Reproduction.Run(Tiny(dir, [Method.Simclr], budget with { Epochs = 2 }), log));
        Assert.Contains("another budget", longer.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_CaptionFiguresByMethodInTableOrderAndRenderBudgetAndNotes_When_WritingThePage()
    {
        using var dir = new TempFolder();
        var methods = new JsonObject
        {
            ["raw"] = Row(_ => 0.5, 0.8, 0.5),
            ["random"] = Row(_ => 0.3, 0.7, 0.2),
            ["moco"] = Row(_ => 0.6, 0.85, 0.45),
            ["pcl"] = Row(_ => 0.7, 0.86, 0.55),
            ["simclr"] = Row(_ => 0.6, 0.85, 0.6),
            ["pcl-simclr"] = Row(_ => 0.65, 0.87, 0.62),
        };
        var result = new JsonObject
        {
            ["methods"] = methods,
            ["budget"] = JsonNode.Parse("""{"method": "pcl", "epochs": 8, "clusters": [5, 10, 20], "limit": null, "encoder": {"arch": "res-net18", "width": 16}}"""),
            ["train_seconds"] = new JsonObject { ["moco"] = 829.4, ["pcl"] = 875.0 },
            ["command"] = "protocl reproduce table1 --runs \"a<b & c\"",
            ["machine"] = "CPU <x> & co",
        };
        // Only the pictures' presence matters to the page: empty files, created in file-name order, not the table's.
        foreach (var f in new[] { "curves-moco.png", "curves-pcl-simclr.png", "curves-pcl.png", "curves-simclr.png", "lowshot.png", "pca-pcl.png", "prototypes-pcl-k10.png", "prototypes-pcl-k5.png" })
            File.WriteAllBytes(Path.Combine(dir.Path, f), []);
        File.WriteAllText(Path.Combine(dir.Path, "notes.md"), "Intro with **bold** & `--mlp`.\n\n- **What holds.** PCL > MoCo;\n  continued `<code>`.\n- second\n");

        var html = File.ReadAllText(Table1Reproduction.WritePage(dir.Path, result));

        // Curves in the table's method order, each captioned with its method.
        string[] order =
        [
            "<h2>Low-shot accuracy", "src=\"lowshot.png\"", "<h2>Low-shot mAP (%)</h2>", "<h2>The paper&#39;s claims on this run</h2>",
            "<img src=\"curves-moco.png\" alt=\"MoCo: training loss (top) and accuracy (bottom) per epoch\">",
            "<img src=\"curves-pcl.png\" alt=\"PCL: training loss (top) and accuracy (bottom) per epoch\">",
            "<img src=\"curves-simclr.png\" alt=\"SimCLR: training loss (top) and accuracy (bottom) per epoch\">",
            "<img src=\"curves-pcl-simclr.png\" alt=\"PCL-SimCLR: training loss (top) and accuracy (bottom) per epoch\">",
            "src=\"pca-pcl.png\"", "<figcaption>PCL&#39;s level K = 5: its largest clusters in the last E-step</figcaption>",
            "<figcaption>PCL&#39;s level K = 10: its largest clusters in the last E-step</figcaption>",
            "<h2>Command and machine</h2>", "<h2>Shared training budget</h2>", "<h2>Notes (notes.md)</h2>",
        ];
        var at = order.Select(s => html.IndexOf(s, StringComparison.Ordinal)).ToArray();
        Assert.All(at, i => Assert.True(i >= 0));
        Assert.Equal(at.Order(), at);
        Assert.DoesNotContain("<h2>Figures</h2>", html);
        // The budget as rows of a table, without the method (each row of the table has its own), and said to be shared.
        Assert.Contains("<tr><td>epochs</td><td>8</td></tr>\n<tr><td>clusters</td><td>5, 10, 20</td></tr>\n<tr><td>limit</td><td>(not set)</td></tr>\n" +
                        "<tr><td>encoder.arch</td><td>res-net18</td></tr>\n<tr><td>encoder.width</td><td>16</td></tr>", html);
        Assert.DoesNotContain("<td>method</td>", html);
        Assert.DoesNotContain("&quot;method&quot;", html);
        Assert.Contains("Every learned row trains with these settings and its own method", html);
        // notes.md as HTML: paragraphs, a list, bold and code, everything escaped.
        Assert.Contains("<p>Intro with <strong>bold</strong> &amp; <code>--mlp</code>.</p>\n<ul>\n<li><strong>What holds.</strong> PCL &gt; MoCo;\n" +
                        "continued <code>&lt;code&gt;</code>.</li>\n<li>second</li>\n</ul>", html);
        Assert.DoesNotContain("**", html);
        // The command and machine escaped.
        Assert.Contains("<pre>protocl reproduce table1 --runs &quot;a&lt;b &amp; c&quot;</pre>", html);
        Assert.Contains("<p>CPU &lt;x&gt; &amp; co; training seconds: moco 829, pcl 875.</p>", html);
    }

    [Fact]
    public void Should_StateEachClaim_When_GivenHandMadeNumbers()
    {
        // raw 0.5 everywhere; moco 0.6; pcl 0.7 except k = 2 (0.55 < moco); simclr 0.6; pcl-simclr 0.65; random 0.3.
        var methods = new JsonObject
        {
            ["raw"] = Row(_ => 0.5, 0.8, 0.5),
            ["random"] = Row(_ => 0.3, 0.7, 0.2),
            ["moco"] = Row(_ => 0.6, 0.85, 0.45),
            ["pcl"] = Row(k => k == "2" ? 0.55 : 0.7, 0.86, 0.55),
            ["simclr"] = Row(_ => 0.6, 0.85, 0.6),
            ["pcl-simclr"] = Row(_ => 0.65, 0.87, 0.62),
        };
        var claims = Table1Reproduction.Claims(methods).ToArray();
        Assert.Equal("PCL > MoCo in low-shot accuracy at every k: does NOT hold (not at k = 2)", claims[0]);
        Assert.Equal("PCL's AMI > MoCo's: holds (0.550 vs 0.450)", claims[1]);
        Assert.Equal("PCL-SimCLR > SimCLR at every k: holds", claims[2]);
        Assert.Equal("every learned representation beats raw pixels and random init under every protocol: does NOT hold (fails: moco <= raw AMI)", claims[3]);
    }

    /// <summary>
    /// Weighted kNN as InstDisc defines it, by plain loops in double: cosine similarity of each test image's pixels / 255 to
    /// every train image's, the k most similar vote for their class with weight exp(sim / T), the largest sum wins (the lower
    /// class on a tie). Train is the first <paramref name="trainCount"/> embedded images, test the first <paramref name="testCount"/>.
    /// </summary>
    private static (double Accuracy, int[] PerClassCorrect) NaiveRawKnn(int trainCount, int testCount, int k, double temperature)
    {
        using var data = DatasetLoader.LoadEmbedded(Math.Max(trainCount, testCount));
        var bytes = data.Images.data<byte>().ToArray();
        int dim = 28 * 28;
        var unit = new double[data.Count][];
        for (int i = 0; i < data.Count; i++)
        {
            var v = new double[dim];
            double norm = 0;
            for (int j = 0; j < dim; j++) { v[j] = bytes[i * dim + j] / 255.0; norm += v[j] * v[j]; }
            norm = Math.Sqrt(norm);
            for (int j = 0; j < dim; j++) v[j] /= norm;
            unit[i] = v;
        }
        var labels = data.Labels!;
        int correct = 0;
        var perClass = new int[10];
        for (int t = 0; t < testCount; t++)
        {
            var sims = new (double Sim, int Label)[trainCount];
            for (int r = 0; r < trainCount; r++)
            {
                double dot = 0;
                for (int j = 0; j < dim; j++) dot += unit[t][j] * unit[r][j];
                sims[r] = (dot, labels[r]);
            }
            var votes = new double[10];
            foreach (var (sim, label) in sims.OrderByDescending(s => s.Sim).Take(k)) votes[label] += Math.Exp(sim / temperature);
            int best = 0;
            for (int c = 1; c < 10; c++) if (votes[c] > votes[best]) best = c;
            if (best == labels[t]) { correct++; perClass[best]++; }
        }
        return ((double)correct / testCount, perClass);
    }

    /// <summary>The first 400 embedded images and labels as an IDX pair in <paramref name="dir"/> (a short test split).</summary>
    private static string SmallTestSplit(string dir)
    {
        var images = Path.Combine(dir, "t10k-images-idx3-ubyte");
        if (File.Exists(images)) return images;
        using var data = DatasetLoader.LoadEmbedded(400);
        File.WriteAllBytes(images, IdxBytes.Images(400, 28, 28, data.Images.data<byte>().ToArray()));
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), IdxBytes.Labels(data.Labels!.Select(l => (byte)l).ToArray()));
        return images;
    }

    private static JsonObject Row(Func<string, double> lowShot, double other, double ami)
    {
        var results = new JsonObject();
        foreach (var k in Ks) results[k] = new JsonObject { ["accuracy_mean"] = lowShot(k), ["accuracy_std"] = 0.0, ["map_mean"] = lowShot(k), ["map_std"] = 0.0 };
        return new JsonObject
        {
            ["lowshot"] = new JsonObject { ["results"] = results },
            ["linear"] = new JsonObject { ["accuracy"] = other },
            ["knn"] = new JsonObject { ["accuracy"] = other },
            ["cluster"] = new JsonObject { ["ami"] = ami },
        };
    }

    private sealed class MessageLog : ITrainingObserver
    {
        public List<string> Lines { get; } = [];
        public void Progress(string stage, long done, long total, string? detail = null) { }
        public void EpochFinished(EpochMetrics metrics) { }
        public void Message(string text) => Lines.Add(text);
    }
}
