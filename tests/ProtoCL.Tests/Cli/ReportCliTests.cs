using System.Text.RegularExpressions;
using ProtoCL.Tests.Training;
using ProtoCL.Training;

namespace ProtoCL.Tests.Cli;

/// <summary><c>protocl report</c> through the real command, on a tiny PCL run.</summary>
[Collection("torch")]
public class ReportCliTests
{
    [Fact]
    public void Should_WritePicturesAndShowTheEvaluations_When_ReportingAPclRun()
    {
        var dir = TinyRun.TempDir();
        using (var data = TinyRun.Data())
        using (var t = new Trainer(TinyRun.Options(), data, new RunDirectory(dir))) t.Run(); // warm-up, then one PCL epoch (K = 8, 16)
        var lowshot = Path.Combine(dir, "lowshot-eval.json");
        File.WriteAllText(lowshot, """
            {"protocol": "lowshot", "checkpoint": "tiny", "results": {
              "1": {"accuracy_mean": 0.4126, "accuracy_std": 0.0312, "map_mean": 0.4401, "map_std": 0.02},
              "2": {"accuracy_mean": 0.5, "accuracy_std": 0.02, "map_mean": 0.51, "map_std": 0.02}}}
            """);
        var knn = Path.Combine(dir, "knn-eval.json");
        File.WriteAllText(knn, """{"protocol": "knn", "checkpoint": "tiny", "test_images": 10000, "accuracy": 0.8193}""");
        var notEval = Path.Combine(dir, "settings.json");
        File.WriteAllText(notEval, """{"lr": 0.1}""");

        var refused = CliProcess.Run(120, "report", "--run", dir, "--eval", notEval);
        Assert.True(refused.Code == 2, refused.Output);
        Assert.Contains("not a protocl eval JSON", refused.Output);
        Assert.False(File.Exists(Path.Combine(dir, "index.html")));                  // refused before anything is written

        var r = CliProcess.Run(240, "report", "--run", dir, "--eval", lowshot, "--eval", knn, "--neighbours", "5");

        Assert.True(r.Code == 0, r.Output);
        foreach (var png in new[] { "curves.png", "pca.png", "neighbours.png", "lowshot.png", "prototypes-k8.png", "prototypes-k16.png" })
        {
            Assert.True(File.Exists(Path.Combine(dir, png)), $"{png} missing");
            using var _ = Reporting.PngAssert.Valid(Path.Combine(dir, png));
        }
        var html = File.ReadAllText(Path.Combine(dir, "index.html"));
        Assert.Contains("<td class=\"num\">41.3 &#177; 3.1</td>", html);             // 0.4126 ± 0.0312 as percentages
        Assert.Contains("<td class=\"num\">44.0 &#177; 2.0</td>", html);             // its mAP, 0.4401 ± 0.02, in the mAP table
        Assert.Contains("<th>k = 1: mAP %</th>", html);
        Assert.Contains("\"num\">81.9</td>", html);                                  // kNN accuracy 0.8193 as a percentage
        Assert.Contains("<th>accuracy %</th>", html);
        Assert.Contains("10,000", html);
        Assert.Matches(new Regex(@"5 nearest images among the 5,000 labelled images of embedded:fashion-mnist-test .*<b>\d+\.\d %</b> share its label"), html);
        // train's data was the first 320 embedded images, report's default --data (the run's own images) the first 5,000 of the same set.
        Assert.Contains("<b>A training-set number</b>: the first 320 of these 5,000 images are the images the run trained on", html);
        // The console says what each step reads or draws, and for what.
        Assert.Contains("note: no --data: reading up to 5,000 of the images the run trained on, from embedded:fashion-mnist-test, for the nearest-neighbour picture and the feature map", r.Output);
        Assert.Contains("reading the run's 320 training images from embedded:fashion-mnist-test for the prototype grids", r.Output);
        Assert.Contains("computing the backbone features of the 5,000 images of embedded:fashion-mnist-test", r.Output);
        foreach (var src in new[] { "neighbours.png", "lowshot.png", "prototypes-k16.png" }) Assert.Contains($"src=\"{src}\"", html);

        // Again without --eval: the low-shot plot of the first report goes, and the console says so.
        var again = CliProcess.Run(240, "report", "--run", dir, "--neighbours", "5");
        Assert.True(again.Code == 0, again.Output);
        Assert.False(File.Exists(Path.Combine(dir, "lowshot.png")));
        Assert.Contains($"removed lowshot.png from {dir}: an earlier report drew it and this one does not", again.Output);
        Directory.Delete(dir, true);
    }
}
