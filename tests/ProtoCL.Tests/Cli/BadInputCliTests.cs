namespace ProtoCL.Tests.Cli;

/// <summary>Bad input and impossible settings through the real command: one clear line, non-zero exit, no stack trace, nothing overwritten.</summary>
[Collection("torch")]
public class BadInputCliTests
{
    private static void AssertCleanFailure((int Code, string Output) r, string expectedFragment)
    {
        Assert.Equal(2, r.Code); // bad input or settings (ErrorReporting.BadInput), by the documented contract
        Assert.DoesNotContain("   at ", r.Output);
        Assert.DoesNotContain("Unhandled exception", r.Output);
        Assert.Contains(expectedFragment, r.Output, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string, string[]> Cases => new()
    {
        { "no such file", ["train", "--data", "/nonexistent/x-images-idx3-ubyte.gz", "--out", "OUT"] },
        { "K = 500", ["train", "--limit", "100", "--batch-size", "32", "--clusters", "500", "--epochs", "2", "--warmup-epochs", "1", "--out", "OUT"] },
        { "--epochs", ["train", "--limit", "100", "--epochs", "-3", "--out", "OUT"] },
        { "K = 25000, 50000, 100000 in --clusters must be smaller than the number of images (100)", ["train", "--limit", "100", "--out", "OUT"] },
        { "(no --preset was given, so these are the paper's ImageNet settings; --preset small suits", ["train", "--limit", "100", "--out", "OUT"] },
        { "--warmup-epochs", ["train", "--limit", "100", "--epochs", "2", "--warmup-epochs", "5", "--out", "OUT"] },
        { "--batch-size", ["train", "--limit", "100", "--batch-size", "512", "--clusters", "10", "--out", "OUT"] },
        { "--lr", ["train", "--limit", "100", "--lr", "-1", "--out", "OUT"] },
        { "--method", ["train", "--method", "byol", "--out", "OUT"] },
        { "--clusters", ["train", "--clusters", "10,abc", "--out", "OUT"] },
        { "--temperature", ["train", "--temperature", "0", "--out", "OUT"] },
        { "--bn-groups must be at least 1", ["train", "--limit", "100", "--bn-groups", "0", "--out", "OUT"] },
        { "multiple of the BatchNorm groups (--bn-groups 3)", ["train", "--limit", "100", "--batch-size", "32", "--bn-groups", "3", "--out", "OUT"] },
        { "--view-bn must be same or shuffled", ["train", "--limit", "100", "--view-bn", "global", "--out", "OUT"] },
        { "--weight-decay must be 0 or more", ["train", "--limit", "100", "--weight-decay", "-0.1", "--out", "OUT"] },
        { "--on-bad-image must be fail or skip", ["train", "--limit", "100", "--on-bad-image", "ignore", "--out", "OUT"] },
        { "--image-size must be between 8 and 4096 pixels (got 4)", ["train", "--limit", "100", "--image-size", "4", "--out", "OUT"] },
        { "--image-size 32 brings the images of a folder to one size; embedded holds 28x28 images", ["train", "--preset", "small", "--limit", "100", "--image-size", "32", "--out", "OUT"] },
        { "--image-size must be between 8 and 4096 pixels (got 0)", ["embed", "--checkpoint", "raw", "--image-size", "0", "--out", "OUT"] },
        { "--image-size must be between 8 and 4096 pixels (got 5000)", ["eval", "knn", "--checkpoint", "raw", "--image-size", "5000"] },
        { "--image-size must be between 8 and 4096 pixels (got 7)", ["report", "--run", "OUT", "--image-size", "7"] },
        { "--limit must be at least 1", ["reproduce", "table1", "--limit", "0", "--runs", "OUT"] },
        { "--schedule must be step or cosine", ["reproduce", "table1", "--schedule", "linear", "--runs", "OUT"] },
        { "--bn-groups must be at least 1", ["reproduce", "table1", "--bn-groups", "0", "--runs", "OUT"] },
        { "checkpoint", ["eval", "knn", "--checkpoint", "/nonexistent-run", "--train-data", "embedded", "--test-data", "embedded", "--limit", "100"] },
        { "use --json-dir DIR instead of --json", ["eval", "all", "--checkpoint", "raw", "--json", "OUT"] },
        { "no such run folder: /nonexistent-run", ["assign", "--checkpoint", "/nonexistent-run", "--limit", "100", "--csv", "OUT"] },
        { "--epoch must be at least 1", ["assign", "--checkpoint", "/nonexistent-run", "--epoch", "0", "--csv", "OUT"] },
        { "--query is required", ["neighbours", "--checkpoint", "raw", "--limit", "100"] },
        { "--neighbours must be at least 1", ["neighbours", "--checkpoint", "raw", "--query", "1", "-k", "0"] },
        { "image 100 does not exist", ["neighbours", "--checkpoint", "raw", "--limit", "100", "--query", "100"] },
        { "needs a run folder: raw has no projection head", ["neighbours", "--checkpoint", "raw", "--kind", "embedding", "--limit", "100", "--query", "1"] },
        { "holds no checkpoint.pcl", ["report", "--run", "OUT"] },
        { "Unknown option 'image-sise' (--help lists the options)", ["train", "--limit", "100", "--image-sise", "32", "--out", "OUT"] },
        { "Unknown option 'bogus'", ["eval", "knn", "--checkpoint", "raw", "--bogus"] },
        { "'abc' is not a number, which that option takes", ["train", "--image-size", "abc", "--out", "OUT"] },
        { "--clusters must be a comma-separated list of integers such as 100,200,400 (got '3,,6')", ["train", "--clusters", "3,,6", "--out", "OUT"] },
        { "--shots must be distinct positive integers separated by commas, such as 1,2,4 (got '1,0')", ["eval", "lowshot", "--checkpoint", "raw", "--shots", "1,0"] },
        { "--on-bad-image must be fail or skip", ["eval", "knn", "--checkpoint", "raw", "--on-bad-image", "drop"] },
        { "--on-bad-image must be fail or skip", ["report", "--run", "OUT", "--on-bad-image", "drop"] },
        { "no such checkpoint: /nonexistent-run (give a run folder, raw or random)", ["embed", "--checkpoint", "random:/nonexistent-run", "--limit", "10", "--out", "OUT"] },
        { "--epochs must be more than the demo's 2 warm-up epochs, so that PCL's E-step runs (got 1)", ["demo", "--epochs", "1", "--out", "OUT"] },
        { "--shots is lowshot's option (eval lowshot, eval all); this protocol does not read it", ["eval", "knn", "--checkpoint", "raw", "--shots", "1"] },
        { "-k / --neighbours and --temperature are knn's options (eval knn, eval all); this protocol does not read them", ["eval", "cluster", "--checkpoint", "raw", "-k", "5"] },
        { "fine-tuning trains a network and raw pixels have none; --checkpoint random gives the supervised baseline", ["eval", "finetune", "--checkpoint", "raw"] },
        { "--percent must be distinct percentages in (0, 100] separated by commas, such as 1,10 (got '0,10')", ["eval", "finetune", "--checkpoint", "random", "--percent", "0,10"] },
        { "--lr-head must be positive (got 0)", ["eval", "finetune", "--checkpoint", "random", "--lr-head", "0"] },
        { "no such checkpoint: /nonexistent-run", ["eval", "finetune", "--checkpoint", "/nonexistent-run", "--train-data", "embedded", "--test-data", "embedded", "--limit", "100"] },
        { "--min-steps must be 0 or more (got -1)", ["eval", "finetune", "--checkpoint", "random", "--min-steps", "-1"] },
        { "--batch-size must be at least 2, as BatchNorm needs (got 1)", ["eval", "finetune", "--checkpoint", "random", "--batch-size", "1"] },
        // ResNet-50 (random's default) at 28 x 28 holds tens of MB per image in a fine-tuning step: 10,000 labelled images
        // in one step need hundreds of GB, refused before a network is built.
        { "fine-tuning needs about ", ["eval", "finetune", "--checkpoint", "random", "--train-data", "embedded", "--test-data", "embedded", "--batch-size", "10000", "--percent", "100"] },
        { "--precision must be fp32 or bf16 (got 'fp16')", ["eval", "finetune", "--checkpoint", "random", "--precision", "fp16"] },
        { "--shots is lowshot's option (eval lowshot, eval all); this protocol does not read it", ["eval", "finetune", "--checkpoint", "random", "--shots", "1"] },
        { "--methods must be pcl, moco, simclr or pcl-simclr (got 'bogus')", ["reproduce", "table1", "--methods", "moco,bogus", "--runs", "OUT"] },
        { "--methods must be pcl, moco, simclr or pcl-simclr (got '')", ["reproduce", "table1", "--methods", "", "--runs", "OUT"] },
        { "--method must be pcl or pcl-simclr (got 'moco')", ["bench", "--method", "moco"] },
        { "K = 400 in --clusters must be smaller than the number of images (300)", ["bench", "--width", "4", "--limit", "300", "--steps", "1", "--repeats", "1"] },
        { "holds no run to resume, so --resume starts a new one", ["train", "--limit", "100", "--out", "OUT", "--resume"] },
        { "must not exceed the number of images (100); use --batch-size 96 or fewer; K = 100, 200, 400", ["train", "--preset", "demo", "--limit", "100", "--out", "OUT"] },
        { "--neighbours must be at least 1", ["report", "--run", "OUT", "--neighbours", "0"] },
        { "--run takes a run folder; /etc/hostname is a file (give the folder that holds it)", ["report", "--run", "/etc/hostname"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_FailWithOneClearLine_When_InputIsBad(string expected, string[] args)
    {
        var dir = Training.TinyRun.TempDir();
        var resolved = args.Select(a => a == "OUT" ? Path.Combine(dir, "run") : a).ToArray();
        AssertCleanFailure(CliProcess.Run(120, resolved), expected);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_RefuseAndKeepFiles_When_OutHoldsARunWithoutResumeOrForce()
    {
        var dir = Training.TinyRun.TempDir();
        File.WriteAllText(Path.Combine(dir, "metrics.jsonl"), "precious\n");
        AssertCleanFailure(CliProcess.Run(120, "train", "--limit", "200", "--out", dir), "--resume");
        Assert.Equal("precious\n", File.ReadAllText(Path.Combine(dir, "metrics.jsonl")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_RefuseAndKeepFiles_When_ResumingARunWhoseConfigIsCorrupt()
    {
        var dir = Training.TinyRun.TempDir();
        File.WriteAllText(Path.Combine(dir, "config.json"), "{ \"method\": ");
        File.WriteAllText(Path.Combine(dir, "metrics.jsonl"), "precious\n");
        AssertCleanFailure(CliProcess.Run(120, "train", "--limit", "200", "--out", dir, "--resume"), "not a readable ProtoCL config");
        Assert.Equal("{ \"method\": ", File.ReadAllText(Path.Combine(dir, "config.json")));
        Assert.Equal("precious\n", File.ReadAllText(Path.Combine(dir, "metrics.jsonl")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_RefuseAndKeepFiles_When_AnOutputPathIsTakenOrAFolder()
    {
        var dir = Training.TinyRun.TempDir();
        var taken = Path.Combine(dir, "taken.json");
        File.WriteAllText(taken, "precious");
        // Each refused before any image is read, naming the path; nothing is replaced.
        AssertCleanFailure(CliProcess.Run(120, "eval", "knn", "--checkpoint", "raw", "--limit", "100", "--json", taken), $"{taken} exists; pass --force to replace it");
        Directory.CreateDirectory(Path.Combine(dir, "all"));
        File.WriteAllText(Path.Combine(dir, "all", "knn.json"), "precious");
        AssertCleanFailure(CliProcess.Run(120, "eval", "all", "--checkpoint", "raw", "--limit", "100", "--json-dir", Path.Combine(dir, "all")), "knn.json exists; pass --force");
        AssertCleanFailure(CliProcess.Run(120, "embed", "--checkpoint", "raw", "--limit", "10", "--out", dir), $"{dir} is a folder; give a file name for the output");
        AssertCleanFailure(CliProcess.Run(120, "neighbours", "--checkpoint", "raw", "--limit", "20", "--query", "1", "--csv", Path.Combine(dir, "n.csv"), "--png", dir), "is a folder");
        Assert.False(File.Exists(Path.Combine(dir, "n.csv")));                // nothing half-written before the refusal
        AssertCleanFailure(CliProcess.Run(120, "train", "--limit", "100", "--out", taken), "is a file; a run needs a folder");
        AssertCleanFailure(CliProcess.Run(120, "bench", "--width", "4", "--limit", "300", "--clusters", "5", "--json", taken), $"{taken} exists; pass --force");
        File.WriteAllText(Path.Combine(dir, "table1.md"), "precious");
        AssertCleanFailure(CliProcess.Run(120, "reproduce", "table1", "--methods", "moco", "--limit", "100", "--out", dir, "--runs", Path.Combine(dir, "runs")),
            $"{dir} already holds a Table 1 (table1.md); pass --force to replace it");
        Assert.Equal("precious", File.ReadAllText(Path.Combine(dir, "table1.md")));
        Assert.False(Directory.Exists(Path.Combine(dir, "runs")));          // nothing trained
        Assert.Equal("precious", File.ReadAllText(taken));
        Assert.Equal("precious", File.ReadAllText(Path.Combine(dir, "all", "knn.json")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_RefuseAndKeepFiles_When_ResumingARunWhoseConfigIsAnotherJson()
    {
        // An eval result written over config.json is valid JSON but no run config.
        var dir = Training.TinyRun.TempDir();
        File.WriteAllText(Path.Combine(dir, "config.json"), "{ \"protocol\": \"knn\", \"accuracy\": 0.5 }");
        AssertCleanFailure(CliProcess.Run(120, "train", "--limit", "200", "--out", dir, "--resume"), "is not a ProtoCL run config");
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_KeepTheOldRun_When_ForceIsGivenButTheDataCannotBeLoaded()
    {
        // --force replaces a run only once the new data and settings have passed their checks.
        var dir = Training.TinyRun.TempDir();
        File.WriteAllText(Path.Combine(dir, "metrics.jsonl"), "precious\n");
        AssertCleanFailure(CliProcess.Run(120, "train", "--data", "/nonexistent/x-images-idx3-ubyte.gz", "--out", dir, "--force"), "no such file");
        AssertCleanFailure(CliProcess.Run(120, "train", "--limit", "100", "--epochs", "-3", "--out", dir, "--force"), "--epochs");
        // A run that cannot fit in memory (about 1 TB: ResNet-50 at width 1024, 1,024 images a step) is refused before --force clears anything.
        AssertCleanFailure(CliProcess.Run(120, "train", "--preset", "small", "--method", "moco", "--arch", "resnet50", "--width", "1024", "--limit", "1024",
            "--batch-size", "1024", "--out", dir, "--force"), "GB of memory (a training step of 1024 images: 961.8 GB), more than this machine's");
        Assert.Equal("precious\n", File.ReadAllText(Path.Combine(dir, "metrics.jsonl")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_WarnWithTheCount_When_SkippingUnreadableImages()
    {
        var dir = Training.TinyRun.TempDir();
        for (int i = 0; i < 40; i++)
            File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(dir, "data", i % 2 == 0 ? "a" : "b")).FullName, $"{i:D2}.png"),
                Data.SkiaImages.GrayPng(8, 8, (x, y) => (byte)(x * 16 + i)));
        File.WriteAllText(Path.Combine(dir, "data", "a", "broken.png"), "not a png");
        File.WriteAllBytes(Path.Combine(dir, "data", "b", "empty.jpg"), []);
        var r = CliProcess.Run(300, "train", "--data", Path.Combine(dir, "data"), "--on-bad-image", "skip", "--width", "4", "--arch", "resnet18",
            "--batch-size", "16", "--queue", "16", "--epochs", "1", "--warmup-epochs", "1", "--method", "moco", "--threads", "2", "--out", Path.Combine(dir, "run"));
        Assert.True(r.Code == 0, r.Output);
        Assert.Contains("warning: skipped 2 unreadable image(s)", r.Output);
        Assert.Contains("on 40 images", r.Output);
        Assert.Contains("checkpoint.pcl)", r.Output);                          // a moco run writes no clusters/, so the last line names none
        Assert.DoesNotContain("clusters/", r.Output);

        // The run records what it left out, so a resume and later commands read the folder as training did, without the flag.
        string data = Path.Combine(dir, "data"), run = Path.Combine(dir, "run");
        Assert.Contains("\"skipped_images\": 2", File.ReadAllText(Path.Combine(run, "config.json")));
        var resumed = CliProcess.Run(300, "train", "--resume", "--epochs", "2", "--out", run);
        Assert.True(resumed.Code == 0, resumed.Output);
        Assert.Contains("note: the run left out 2 unreadable image(s) of its data (--on-bad-image skip); reading it the same way", resumed.Output);
        Assert.Contains("on 40 images", resumed.Output);
        var embedded = CliProcess.Run(300, "embed", "--checkpoint", run, "--data", data, "--out", Path.Combine(dir, "f.npy"));
        Assert.True(embedded.Code == 0, embedded.Output);
        Assert.Contains($"note: the run left out 2 unreadable image(s) of {data}", embedded.Output);
        using (var features = ProtoCL.IO.Npy.Read(Path.Combine(dir, "f.npy"))) Assert.Equal(40, features.shape[0]);
        // An explicit policy wins; other images than the run's are read strictly.
        AssertCleanFailure(CliProcess.Run(300, "embed", "--checkpoint", run, "--data", data, "--on-bad-image", "fail", "--out", Path.Combine(dir, "g.npy")), "use --on-bad-image skip");
        Directory.Delete(dir, true);
    }
}
