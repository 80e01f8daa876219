using System.Text.Json.Nodes;
using ProtoCL.Reporting;
using ProtoCL.Tests.Data;
using ProtoCL.Tests.Training;

namespace ProtoCL.Tests.Cli;

/// <summary><c>protocl eval all</c> through the real command.</summary>
[Collection("torch")]
public class EvalCliTests
{
    [Fact]
    public void Should_WriteOneJsonPerProtocolEqualToTheSingleCommands_When_EvaluatingAll()
    {
        var dir = TinyRun.TempDir();
        string[] data = ["--train-data", "embedded", "--test-data", "embedded", "--limit", "300", "--seed", "2"];
        var r = CliProcess.Run(300, ["eval", "all", "--checkpoint", "raw", .. data, "--json-dir", Path.Combine(dir, "all")]);
        Assert.True(r.Code == 0, r.Output);
        Assert.Equal(["cluster.json", "knn.json", "linear.json", "lowshot.json"], Directory.GetFiles(Path.Combine(dir, "all")).Select(f => Path.GetFileName(f)).Order().ToArray());
        foreach (var protocol in EvaluationFile.Protocols.Where(p => p != "finetune"))   // fine-tuning trains: not part of eval all
        {
            var file = EvaluationFile.Read(Path.Combine(dir, "all", protocol + ".json")); // what `report --eval` reads
            Assert.Equal(protocol, file.Protocol);
            Assert.Equal(2, file.Json["seed"]!.GetValue<int>());
            Assert.Equal(300, file.Json["train_images"]!.GetValue<int>());
        }
        // The same numbers as `eval knn` and `eval cluster` on their own (each extracts the features itself).
        foreach (var protocol in new[] { "knn", "cluster" })
        {
            var single = Path.Combine(dir, protocol + "-single.json");
            var s = CliProcess.Run(300, ["eval", protocol, "--checkpoint", "raw", .. data, "--json", single]);
            Assert.True(s.Code == 0, s.Output);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(single)), JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "all", protocol + ".json")))), protocol);
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_WriteTheProtocolsThatCanRunAndNameTheOneThatCannot_When_AClassIsTooSmallForTheLowShotDraws()
    {
        // Three images per class: low-shot's default k = 16 cannot be drawn; kNN, linear and cluster still run and are written.
        using var folder = new TempFolder();
        for (int i = 0; i < 6; i++)
            folder.Write($"{(i < 3 ? "ants" : "bees")}/{i}.png", SkiaImages.GrayPng(8, 8, (x, y) => (byte)(i < 3 ? 20 + x + i : 220 - y - i)));
        var dir = TinyRun.TempDir();
        string[] data = ["--checkpoint", "raw", "--train-data", folder.Path, "--test-data", folder.Path];

        var all = CliProcess.Run(300, ["eval", "all", .. data, "--json-dir", Path.Combine(dir, "all")]);
        Assert.Equal(2, all.Code);
        Assert.Contains("error: lowshot: the training class 'ants' has 3 labelled image(s), fewer than the 16 per class the low-shot protocol draws (k = 1, 2, 4, 8, 16); ask for fewer (--shots, e.g. 1,2)", all.Output);
        Assert.Contains("(3 of 4 protocols done and written)", all.Output);
        Assert.Equal(["cluster.json", "knn.json", "linear.json"], Directory.GetFiles(Path.Combine(dir, "all")).Select(f => Path.GetFileName(f)!).Order().ToArray());

        // --shots 1,2: the results are keyed by those k only; two classes far apart in pixels, so every draw is right.
        var lowshot = CliProcess.Run(300, ["eval", "lowshot", .. data, "--shots", "1,2", "--json", Path.Combine(dir, "lowshot.json")]);
        Assert.True(lowshot.Code == 0, lowshot.Output);
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "lowshot.json")))!["results"]!.AsObject();
        Assert.Equal(["1", "2"], results.Select(r => r.Key).ToArray());
        Assert.Contains("low-shot accuracy (k=1,2): ", lowshot.Output);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Should_PrintOnlyTheJsonOnStandardOutput_When_NoJsonFileIsGiven()
    {
        // Progress and the summary go to stderr, so `protocl eval knn ... > result.json` gives a JSON file.
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliProcess.Dll, "eval", "knn", "--checkpoint", "raw", "--train-data", "embedded", "--test-data", "embedded", "--limit", "200", "--neighbours", "5" })
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);
        var json = JsonNode.Parse(stdout)!;                                   // nothing but the JSON
        Assert.Equal("knn", json["protocol"]!.GetValue<string>());
        Assert.Equal(5, json["k"]!.GetValue<int>());                          // --neighbours, the other commands' spelling, is -k
        Assert.Contains("knn accuracy", await stderr);
    }

    [Fact]
    public void Should_WarnAndRecordIt_When_TheRunWasTrainedOnTheTestImages()
    {
        // train's default data is the embedded Fashion-MNIST test split; scoring the run on that split is not held out.
        var dir = TinyRun.TempDir();
        var run = Path.Combine(dir, "run");
        var train = CliProcess.Run(300, "train", "--limit", "64", "--width", "2", "--arch", "resnet18", "--batch-size", "32", "--bn-groups", "2",
            "--queue", "32", "--epochs", "1", "--warmup-epochs", "1", "--method", "moco", "--threads", "2", "--out", run);
        Assert.True(train.Code == 0, train.Output);
        var seen = CliProcess.Run(300, "eval", "knn", "--checkpoint", run, "--train-data", "embedded", "--test-data", "embedded", "--limit", "100", "-k", "5",
            "--json", Path.Combine(dir, "seen.json"));
        Assert.True(seen.Code == 0, seen.Output);
        Assert.Contains("warning: the run was trained on the first 64 of these 10,000 test images", seen.Output);
        Assert.Contains("the first 64 of these 10,000 test images", JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "seen.json")))!["test_note"]!.GetValue<string>());
        // Without --data, embed reads the run's own 64 training images; raw reads the embedded set (10,000 images, --limit 100 here).
        var own = CliProcess.Run(300, "embed", "--checkpoint", run, "--out", Path.Combine(dir, "own.npy"));
        Assert.True(own.Code == 0, own.Output);
        Assert.Contains("note: no --data: reading the 64 images the run trained on from embedded:fashion-mnist-test", own.Output);
        Assert.Contains("64 x 16 float32", own.Output);                           // width 2: 16 backbone features
        var rawDefault = CliProcess.Run(300, "embed", "--checkpoint", "raw", "--limit", "100", "--out", Path.Combine(dir, "raw.npy"));
        Assert.True(rawDefault.Code == 0, rawDefault.Output);
        Assert.Contains("100 x 784 float32", rawDefault.Output);

        // raw pixels and the run's architecture at random initialisation have no training images
        foreach (var (checkpoint, name) in new[] { ("raw", "raw.json"), ("random:" + run, "random.json") })
        {
            var baseline = CliProcess.Run(300, "eval", "knn", "--checkpoint", checkpoint, "--train-data", "embedded", "--test-data", "embedded", "--limit", "100", "-k", "5",
                "--json", Path.Combine(dir, name));
            Assert.True(baseline.Code == 0, baseline.Output);
            Assert.DoesNotContain("warning:", baseline.Output);
            Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(dir, name)))!["test_note"]);
        }
        Directory.Delete(dir, true);
    }
}
