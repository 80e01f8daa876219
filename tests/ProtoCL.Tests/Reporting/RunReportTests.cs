using ProtoCL.Data;
using ProtoCL.Reporting;
using ProtoCL.Tests.Training;
using ProtoCL.Training;

namespace ProtoCL.Tests.Reporting;

/// <summary><see cref="RunReport"/> through the library call, on tiny runs trained on the embedded images or an IDX file.</summary>
[Collection("torch")]
public class RunReportTests
{
    [Fact]
    public void Should_LeaveThePrototypeGridsOutAndSayWhy_When_TheTrainingFileNowHoldsOtherPixels()
    {
        var dir = TinyRun.TempDir();
        var file = Path.Combine(dir, "images-idx3-ubyte");
        using (var embedded = DatasetLoader.LoadEmbedded(320))
        {
            var pixels = embedded.Images.data<byte>().ToArray();
            File.WriteAllBytes(file, Data.IdxBytes.Images(320, 28, 28, pixels));
            var run = Path.Combine(dir, "run");
            using (var data = DatasetLoader.Load(file))
            using (var t = new Trainer(TinyRun.Options(), data, new RunDirectory(run))) t.Run(); // warm-up, then one PCL epoch (K = 8, 16)

            RunReport.Write(run, null, new RunReportOptions());
            Assert.True(File.Exists(Path.Combine(run, "prototypes-k8.png")));
            Assert.True(File.Exists(Path.Combine(run, "prototypes-k16.png")));

            // The same file, as many images, one pixel rewritten: the grids would show other pictures than the E-step placed.
            pixels[5 * 784 + 300] ^= 0xFF;
            File.WriteAllBytes(file, Data.IdxBytes.Images(320, 28, 28, pixels));
            var lines = new List<string>();
            var html = File.ReadAllText(RunReport.Write(run, null, new RunReportOptions(), lines.Add));

            Assert.Contains("The training images have changed since the run", html);
            Assert.Contains("not the same pixels in the same order", html);
            // The first report's grids, which would show the old E-step on other images, are removed with a line saying so.
            Assert.False(File.Exists(Path.Combine(run, "prototypes-k8.png")));
            Assert.False(File.Exists(Path.Combine(run, "prototypes-k16.png")));
            Assert.Contains(lines, l => l.StartsWith("removed prototypes-k8.png, prototypes-k16.png from ", StringComparison.Ordinal));
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_ShowUnitsAndPutEachFigureByItsNumbers_When_ReportingAPclRunWithEvaluations()
    {
        var dir = TinyRun.TempDir();
        var run = Path.Combine(dir, "run <1> & \"x\"");
        using (var data = TinyRun.Data())
        using (var t = new Trainer(TinyRun.Options(), data, new RunDirectory(run))) t.Run(); // warm-up, then one PCL epoch (K = 8, 16)
        // Hand-written epochs in place of the trainer's, so that every number the page shows is known here.
        File.WriteAllText(Path.Combine(run, "metrics.jsonl"), """
            {"epoch": 1, "loss": 6.1672, "loss_instance": 6.1672, "loss_proto": null, "acc_instance": 0.05231, "acc_proto": null, "lr": 0.03, "images_per_second": 120.5, "seconds_train": 2.5, "seconds_estep": 0}
            {"epoch": 2, "loss": 9.5, "loss_instance": 6.25, "loss_proto": 3.25, "acc_instance": 0.0712, "acc_proto": 0.4567, "lr": 0.015, "images_per_second": 130, "seconds_train": 2.25, "seconds_estep": 0.5}

            """);
        var lowShot = Path.Combine(dir, "low<shot>&\"1\".json");
        File.WriteAllText(lowShot, """
            {"protocol": "lowshot", "checkpoint": "tiny", "test_images": 400, "draws": 5, "results": {
              "1": {"accuracy_mean": 0.4126, "accuracy_std": 0.0312, "map_mean": 0.4401, "map_std": 0.0204},
              "2": {"accuracy_mean": 0.5, "accuracy_std": 0.02, "map_mean": 0.5512, "map_std": 0.0101}}}
            """);
        var knn = Path.Combine(dir, "knn.json");
        File.WriteAllText(knn, """
            {"protocol": "knn", "checkpoint": "tiny", "test_images": 10000, "accuracy": 0.8193, "k": 200,
             "test_note": "the run was trained on these <test> images"}
            """);
        var cluster = Path.Combine(dir, "cluster.json");
        File.WriteAllText(cluster, """
            {"protocol": "cluster", "checkpoint": "tiny", "test_images": 400, "accuracy": 0.6789, "ami": 0.6536, "nmi": 0.6541, "k": 10,
             "levels": [{"k": 8, "ami": 0.4961, "nmi": 0.5}, {"k": 16, "ami": 0.6039, "nmi": 0.61}],
             "test_note": "the run was trained on these <test> images"}
            """);
        var fineTune = Path.Combine(dir, "finetune.json");
        File.WriteAllText(fineTune, """
            {"protocol": "finetune", "checkpoint": "tiny", "test_images": 10000, "results": {
              "10": {"accuracy": 0.8479, "top5_accuracy": 0.9962, "labelled_images": 6000},
              "1": {"accuracy": 0.8113, "top5_accuracy": 0.9921, "labelled_images": 600}}}
            """);
        var lines = new List<string>();

        var html = File.ReadAllText(RunReport.Write(run, null, new RunReportOptions { Evaluations = [lowShot, knn, cluster, fineTune] }, lines.Add));

        // Epochs: accuracies as percentages under headers that name them; losses named as losses; warm-up marked.
        Assert.Contains("<th>epoch</th><th>total loss</th><th>instance loss (InfoNCE)</th><th>prototype loss (ProtoNCE)</th>" +
                        "<th>instance-discrimination top-1 accuracy %</th><th>prototype accuracy %</th><th>learning rate</th>", html);
        Assert.Contains("<tr><td class=\"num\">1</td><td class=\"num\">6.167</td><td class=\"num\">6.167</td><td>warm-up</td><td class=\"num\">5.2</td><td>warm-up</td>", html);
        Assert.Contains("<tr><td class=\"num\">2</td><td class=\"num\">9.5</td><td class=\"num\">6.25</td><td class=\"num\">3.25</td><td class=\"num\">7.1</td><td class=\"num\">45.7</td>", html);
        Assert.Contains("chance: 1 in queue + 1 = 129", html);                                      // TinyRun's queue of 128
        // Evaluations: accuracy in %, AMI and each PCL level's AMI; the note once for both files that carry it, escaped.
        Assert.Contains("<th>accuracy %</th><th>AMI</th><th>NMI</th><th>AMI of the run&#39;s PCL levels (training images)</th>", html);
        Assert.Contains("<tr><td>kNN (k = 200)</td><td>tiny</td><td class=\"num\">10,000</td><td class=\"num\">81.9</td>", html);
        Assert.Contains("<tr><td>k-means (K = 10)</td><td>tiny</td><td class=\"num\">400</td><td class=\"num\">67.9</td><td class=\"num\">0.654</td><td class=\"num\">0.654</td><td>K = 8: 0.496, K = 16: 0.604</td>", html);
        Assert.Contains("<p class=\"note\">knn.json, cluster.json: the run was trained on these &lt;test&gt; images.</p>", html);
        // Low-shot: accuracy and mAP in tables of their own, each column saying which it is.
        Assert.Contains("<th>checkpoint</th><th>k = 1: accuracy %</th><th>k = 2: accuracy %</th><th>test images</th><th>draws</th><th>file</th>", html);
        Assert.Contains("<td class=\"num\">41.3 &#177; 3.1</td><td class=\"num\">50.0 &#177; 2.0</td><td class=\"num\">400</td><td class=\"num\">5</td>", html);
        Assert.Contains("<th>checkpoint</th><th>k = 1: mAP %</th><th>k = 2: mAP %</th>", html);
        Assert.Contains("<tr><td>tiny</td><td class=\"num\">44.0 &#177; 2.0</td><td class=\"num\">55.1 &#177; 1.0</td></tr>", html);
        Assert.DoesNotContain("(44.0)", html);
        // Fine-tuning: a row per file, the percentages in ascending order, top-1 and top-5 in %.
        Assert.Contains("<th>checkpoint</th><th>1 % labels: top-1 %</th><th>1 %: top-5 %</th><th>10 % labels: top-1 %</th><th>10 %: top-5 %</th><th>labelled images</th>", html);
        Assert.Contains("<tr><td>tiny</td><td class=\"num\">81.1</td><td class=\"num\">99.2</td><td class=\"num\">84.8</td><td class=\"num\">99.6</td><td>600 / 6,000</td>", html);
        // Each figure in the section of its numbers, in page order; the settings last, as a table.
        string[] order =
        [
            "<h2>Training, epoch by epoch</h2>", "instance-discrimination top-1 accuracy %", "src=\"curves.png\"",
            "<h2>Evaluations</h2>", "K = 8: 0.496",
            "<h2>Semi-supervised fine-tuning</h2>", "10 %: top-5 %",
            "<h2>Low-shot classification</h2>", "k = 1: mAP %", "src=\"lowshot.png\"",
            "<h2>Prototypes</h2>", "src=\"prototypes-k8.png\"", "src=\"prototypes-k16.png\"",
            "<h2>Settings</h2>", "<tr><td>encoder.width</td><td>4</td></tr>",
        ];
        var at = order.Select(s => html.IndexOf(s, StringComparison.Ordinal)).ToArray();
        Assert.All(at, i => Assert.True(i >= 0));
        Assert.Equal(at.Order(), at);
        Assert.Equal(6, html.Split("<h2>").Length - 1);                                            // the six above, no other
        Assert.DoesNotContain("<h2>Figures</h2>", html);
        Assert.DoesNotContain("<pre>", html);
        Assert.Contains("<tr><td>images</td><td>320</td></tr>", html);
        Assert.Contains("<tr><td>clusters</td><td>8, 16</td></tr>", html);
        // Names with < & " are escaped wherever they appear.
        Assert.Contains("<title>ProtoCL run run &lt;1&gt; &amp; &quot;x&quot;</title>", html);
        Assert.Contains("low&lt;shot&gt;&amp;&quot;1&quot;.json</td>", html);
        Assert.DoesNotContain("low<shot>", html);
        Assert.DoesNotContain("run <1>", html);
        // The console says what each step is for.
        Assert.Contains("reading the run's 320 training images from embedded:fashion-mnist-test for the prototype grids", lines);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_MarkTheNeighbourNumberAsATrainingSetOne_When_TheReportImagesAreTheRunsTrainingImages()
    {
        var dir = TinyRun.TempDir();
        using (var data = TinyRun.Data()) // the first 320 embedded images
        using (var t = new Trainer(TinyRun.Options(epochs: 1, warmup: 0, method: Method.Moco), data, new RunDirectory(dir))) t.Run();
        string Report(ImageDataset images, List<string>? lines = null)
        {
            using (images) return File.ReadAllText(RunReport.Write(dir, images, new RunReportOptions { Neighbours = 3 }, lines is null ? null : lines.Add));
        }

        // More images than the run trained on, beginning with them.
        var more = Report(DatasetLoader.LoadEmbedded(400));
        Assert.Contains("<p class=\"note\"><b>A training-set number</b>: the first 320 of these 400 images are the images the run trained on (without their labels)", more);
        var (number, note, picture) = (more.IndexOf("</b> share its label", StringComparison.Ordinal),
            more.IndexOf("A training-set number", StringComparison.Ordinal), more.IndexOf("src=\"neighbours.png\"", StringComparison.Ordinal));
        Assert.True(number > 0 && number < note && note < picture, "the note follows the number, the picture the note");
        Assert.DoesNotContain("<h2>Prototypes</h2>", more);                                          // MoCo has none

        // Fewer: the first 200 of the training images, which only the training images themselves can tell.
        var lines = new List<string>();
        var fewer = Report(DatasetLoader.LoadEmbedded(200), lines);
        Assert.Contains("<b>A training-set number</b>: these 200 images are the first 200 of the 320 images the run trained on (without their labels)", fewer);
        Assert.Contains("reading the first 200 of the run's 320 training images from embedded:fashion-mnist-test to tell whether the report's images are among them", lines);

        // Other images of the same set: nothing to say.
        using (var all = DatasetLoader.LoadEmbedded(640))
        {
            var other = Report(all.Slice(320, 320));
            Assert.Contains("</b> share its label", other);
            Assert.DoesNotContain("trained on", other);
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_RemoveOnlyThePicturesAnEarlierReportDrewAndThisOneDoesNot_When_ReportingAgain()
    {
        var dir = TinyRun.TempDir();
        var run = Path.Combine(dir, "run");
        using (var data = TinyRun.Data())
        using (var t = new Trainer(TinyRun.Options(epochs: 1, warmup: 0, method: Method.Moco), data, new RunDirectory(run))) t.Run();
        var lowShot = Path.Combine(dir, "lowshot.json");
        File.WriteAllText(lowShot, """{"protocol": "lowshot", "checkpoint": "tiny", "results": {"1": {"accuracy_mean": 0.4, "accuracy_std": 0.1}}}""");
        foreach (var mine in new[] { "mine.png", "notes.txt", "lowshot-old.png" }) File.WriteAllText(Path.Combine(run, mine), "the user's");
        string P(string name) => Path.Combine(run, name);

        using (var images = DatasetLoader.LoadEmbedded(100))
            RunReport.Write(run, images, new RunReportOptions { Evaluations = [lowShot], Neighbours = 3 });
        foreach (var drawn in new[] { "curves.png", "lowshot.png", "neighbours.png", "pca.png" }) Assert.True(File.Exists(P(drawn)), drawn);

        // Again without --eval and --data: its pictures of those are stale; the user's files are not the report's.
        var lines = new List<string>();
        var html = File.ReadAllText(RunReport.Write(run, null, new RunReportOptions(), lines.Add));
        foreach (var stale in new[] { "lowshot.png", "neighbours.png", "pca.png" }) Assert.False(File.Exists(P(stale)), stale);
        foreach (var kept in new[] { "curves.png", "mine.png", "notes.txt", "lowshot-old.png", "checkpoint.pcl", "index.html" }) Assert.True(File.Exists(P(kept)), kept);
        var removed = Assert.Single(lines, l => l.StartsWith("removed ", StringComparison.Ordinal));
        foreach (var stale in new[] { "lowshot.png", "neighbours.png", "pca.png" }) Assert.Contains(stale, removed);
        Assert.DoesNotContain("lowshot.png", html);

        // An edited list cannot have the report remove anything but a picture a report draws, in the run folder itself.
        File.WriteAllText(Path.Combine(dir, "tsne.png"), "outside");
        Directory.CreateDirectory(P("sub"));
        File.WriteAllText(P("sub/tsne.png"), "below");
        File.WriteAllText(P(RunReport.ManifestFile), """{"files": ["checkpoint.pcl", "config.json", "mine.png", "../tsne.png", "sub/tsne.png", "curves.png"]}""");
        lines.Clear();
        RunReport.Write(run, null, new RunReportOptions(), lines.Add);
        foreach (var kept in new[] { "checkpoint.pcl", "config.json", "mine.png", "sub/tsne.png", "../tsne.png", "curves.png" }) Assert.True(File.Exists(P(kept)), kept);
        Assert.DoesNotContain(lines, l => l.StartsWith("removed ", StringComparison.Ordinal));

        // A report older than the list: the pictures its index.html links, among the names a report draws, are its own.
        File.Delete(P(RunReport.ManifestFile));
        File.WriteAllText(P("index.html"), "<img src=\"curves.png\" alt=\"\"><img src=\"tsne.png\" alt=\"\"><img src=\"mine.png\" alt=\"\"><img src=\"prototypes-k7.png\" alt=\"\">");
        File.WriteAllText(P("tsne.png"), "old report's");
        File.WriteAllText(P("prototypes-k7.png"), "old report's");
        lines.Clear();
        RunReport.Write(run, null, new RunReportOptions(), lines.Add);
        Assert.False(File.Exists(P("tsne.png")));
        Assert.False(File.Exists(P("prototypes-k7.png")));
        Assert.True(File.Exists(P("mine.png")));
        Assert.Contains(lines, l => l.StartsWith("removed tsne.png, prototypes-k7.png from ", StringComparison.Ordinal));
        Directory.Delete(dir, true);
    }
}
