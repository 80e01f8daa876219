using System.Text.Json.Nodes;
namespace ProtoCL.Tests.Cli;

/// <summary>SIGKILL a real training process at several moments, resume, and compare with an uninterrupted run.</summary>
[Collection("torch")]
public class KillResumeTests
{
    private static readonly string[] Args =
        ["train", "--limit", "1280", "--width", "16", "--arch", "resnet18", "--batch-size", "64", "--queue", "128", "--epochs", "4",
         "--warmup-epochs", "1", "--clusters", "10,20", "--seed", "5", "--threads", "2"];

    /// <summary>Kills survived by <see cref="Should_MatchUninterruptedRun_When_KilledRepeatedlyAndResumed"/> (docs/reliability.md cites it).</summary>
    public const int Kills = 4;

    private static double[] Losses(string dir) => Training.TinyRun.Losses(dir);

    /// <summary>A temp root with an uninterrupted reference run of <see cref="Args"/> in ref/, and the path cut/ for the interrupted one.</summary>
    private static (string Root, string Reference, string Cut) WithReferenceRun()
    {
        var root = Training.TinyRun.TempDir();
        string reference = Path.Combine(root, "ref"), cut = Path.Combine(root, "cut");
        var r = CliProcess.Run(600, [.. Args, "--out", reference]);
        Assert.True(r.Code == 0, r.Output);
        return (root, reference, cut);
    }

    [Fact]
    public void Should_MatchUninterruptedRun_When_KilledRepeatedlyAndResumed()
    {
        var (root, reference, cut) = WithReferenceRun();

        // Kill moments spread over start-up, the first epochs, E-steps and checkpoint writes (seconds after start).
        var rng = new Random(7);
        int kills = 0;
        for (int i = 0; i < Kills; i++)
        {
            bool resume = File.Exists(Path.Combine(cut, "config.json"));
            using var p = CliProcess.Start([.. Args, "--out", cut, .. (resume ? new[] { "--resume" } : [])]);
            Thread.Sleep(TimeSpan.FromSeconds(2 + rng.NextDouble() * 6));
            if (!p.HasExited) { p.Kill(entireProcessTree: true); kills++; }
            p.WaitForExit();
            // The checkpoint, where one exists, is always complete and readable.
            var ckpt = Path.Combine(cut, "checkpoint.pcl");
            if (File.Exists(ckpt)) Assert.InRange(ProtoCL.Training.Checkpoint.ReadMeta(ckpt).Epoch, 1, 4);
        }
        var last = CliProcess.Run(600, [.. Args, "--out", cut, "--resume"]);
        Assert.True(last.Code == 0, last.Output);
        Assert.True(kills >= 1, "no process was killed: the runs finished too fast for the test to mean anything");
        Assert.Equal(Losses(reference), Losses(cut));
        Directory.Delete(root, true);
    }

    /// <summary>Attempts at landing a SIGKILL inside a checkpoint write in <see cref="Should_MatchUninterruptedRun_When_KilledDuringEStepAndDuringCheckpointWrite"/>.</summary>
    public const int CheckpointWriteAttempts = 3;

    [Fact]
    public void Should_MatchUninterruptedRun_When_KilledDuringEStepAndDuringCheckpointWrite()
    {
        var (root, reference, cut) = WithReferenceRun();
        var ckpt = Path.Combine(cut, "checkpoint.pcl");

        // 1. During an E-step: the first progress line of epoch 2's E-step is printed after its first feature batch,
        //    with the rest of the features and k-means still to run.
        using (var p = CliProcess.Start([.. Args, "--out", cut]))
        {
            p.BeginErrorReadLine();
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null && !line.StartsWith("epoch 2/4 E-step", StringComparison.Ordinal)) { }
            Assert.NotNull(line);
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            Assert.Equal(1, ProtoCL.Training.Checkpoint.ReadMeta(ckpt).Epoch); // epoch 1's checkpoint, whole
        }

        // 2. During a checkpoint write: inotify reports the temporary file as soon as it is created, and the kill
        //    follows within milliseconds, while the ~10 MB checkpoint is still being written and flushed. A kill
        //    that lands there leaves the temporary file behind (the write never reached its rename).
        int midWrite = 0;
        for (int attempt = 0; attempt < CheckpointWriteAttempts && midWrite == 0; attempt++)
        {
            int before = ProtoCL.Training.Checkpoint.ReadMeta(ckpt).Epoch;
            using var created = new ManualResetEventSlim();
            using var watcher = new FileSystemWatcher(cut, ".checkpoint.pcl.*.tmp") { EnableRaisingEvents = true };
            watcher.Created += (_, _) => created.Set();
            using var p = CliProcess.Start([.. Args, "--out", cut, "--resume"]);
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            while (!created.Wait(20) && !p.HasExited) { }
            if (p.HasExited) break; // the run finished: no checkpoint write left to hit
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            if (Directory.GetFiles(cut, ".checkpoint.pcl.*.tmp").Length > 0)
            {
                midWrite++;
                Assert.Equal(before, ProtoCL.Training.Checkpoint.ReadMeta(ckpt).Epoch); // the previous checkpoint, untouched
            }
            else
            {
                Assert.InRange(ProtoCL.Training.Checkpoint.ReadMeta(ckpt).Epoch, before, before + 1);
            }
        }
        Assert.True(midWrite >= 1, "no kill landed inside a checkpoint write");

        var last = CliProcess.Run(600, [.. Args, "--out", cut, "--resume"]);
        Assert.True(last.Code == 0, last.Output);
        Assert.Contains("unfinished temporary file", last.Output);
        Assert.Empty(Directory.GetFiles(cut, "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(Losses(reference), Losses(cut));
        Directory.Delete(root, true);
    }

    [Fact]
    public void Should_WriteMidEpochCheckpointAndResumeExactly_When_Interrupted()
    {
        var root = Training.TinyRun.TempDir();
        string reference = Path.Combine(root, "ref"), cut = Path.Combine(root, "cut");
        string[] args = ["train", "--limit", "6400", "--width", "16", "--arch", "resnet18", "--batch-size", "64", "--queue", "128", "--epochs", "2",
                         "--warmup-epochs", "1", "--clusters", "10,20", "--seed", "9", "--threads", "2"];
        Assert.Equal(0, CliProcess.Run(600, [.. args, "--out", reference]).Code);

        using var p = CliProcess.Start([.. args, "--out", cut]);
        var output = new System.Text.StringBuilder();
        p.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        // Wait until the second epoch's training has started (its E-step is done), then press Ctrl-C;
        // the epoch's 100 minibatches at width 16 leave about ten seconds for the signal to land.
        string? line;
        while ((line = p.StandardOutput.ReadLine()) is not null && !line.StartsWith("epoch 2/2 train", StringComparison.Ordinal)) { }
        Assert.NotNull(line);
        // A test host started in the background by a non-interactive shell ignores SIGINT, and the child inherits
        // that (POSIX); .NET then keeps ignoring it, as shells expect. There, SIGTERM takes the same path
        // (TrainCommand cancels the same token for both).
        string signal = SigIntIgnored() ? "-TERM" : "-INT";
        using (var kill = System.Diagnostics.Process.Start("kill", [signal, p.Id.ToString()])) kill.WaitForExit();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(3, p.ExitCode);
        lock (output) Assert.Contains("interrupted in epoch 2", output.ToString());
        var meta = ProtoCL.Training.Checkpoint.ReadMeta(Path.Combine(cut, "checkpoint.pcl"));
        Assert.NotNull(meta.Partial);
        Assert.Equal(1, meta.Partial!.Epoch);

        Assert.Equal(0, CliProcess.Run(600, [.. args, "--out", cut, "--resume"]).Code);
        Assert.Equal(Losses(reference), Losses(cut));
        Directory.Delete(root, true);
    }

    /// <summary>True when this process ignores SIGINT (bit 1 of SigIgn in /proc/self/status).</summary>
    private static bool SigIntIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line[7..].Trim(), 16) & 0x2) != 0;
    }

    [Fact]
    public void Should_ResumeFromAnyFolderAndAcceptMovedImages_When_TheyAreTheSameImages()
    {
        var root = Training.TinyRun.TempDir();
        void Folder(string name, int shift)
        {
            for (int i = 0; i < 16; i++)
            {
                var path = Path.Combine(root, name, i < 8 ? "a" : "b", $"{i:D2}.png");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, Data.SkiaImages.GrayPng(8, 8, (x, y) => (byte)(i * 9 + x * 3 + y + shift)));
            }
        }
        Folder("photos", 0);
        Folder("other", 1);                                                    // as many images, other pixels
        string[] args = ["train", "--width", "2", "--arch", "resnet18", "--batch-size", "8", "--bn-groups", "2", "--queue", "16",
            "--clusters", "2,4", "--warmup-epochs", "1", "--threads", "2"];

        // Started from root with a relative --data: the run records the images' absolute path.
        var first = CliProcess.RunIn(root, 300, [.. args, "--data", "photos", "--epochs", "1", "--out", "run"]);
        Assert.True(first.Code == 0, first.Output);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "run", "config.json")))!;
        Assert.Equal(Path.Combine(root, "photos"), config["data"]!.GetValue<string>());
        // So a resume from another folder finds them.
        var run = Path.Combine(root, "run");
        var second = CliProcess.Run(300, [.. args, "--epochs", "2", "--out", run, "--resume"]);
        Assert.True(second.Code == 0, second.Output);

        // Moved: without --data the run says where it looked; with it, the same pixels are accepted, and other pixels refused.
        Directory.Move(Path.Combine(root, "photos"), Path.Combine(root, "moved"));
        var lost = CliProcess.Run(120, [.. args, "--epochs", "3", "--out", run, "--resume"]);
        Assert.Equal(2, lost.Code);
        Assert.Contains($"the run's images ({Path.Combine(root, "photos")}) are not found from", lost.Output);
        var other = CliProcess.Run(120, [.. args, "--data", Path.Combine(root, "other"), "--epochs", "3", "--out", run, "--resume"]);
        Assert.Equal(2, other.Code);
        Assert.Contains("not the same pixels", other.Output);
        var moved = CliProcess.Run(300, [.. args, "--data", Path.Combine(root, "moved"), "--epochs", "3", "--out", run, "--resume"]);
        Assert.True(moved.Code == 0, moved.Output);
        Assert.Contains("note: reading the run's images from", moved.Output);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Count(l => l.Trim().Length > 0));
        // Fewer epochs than it has trained: refused, the run kept.
        var fewer = CliProcess.Run(120, [.. args, "--data", Path.Combine(root, "moved"), "--epochs", "2", "--out", run, "--resume"]);
        Assert.Equal(2, fewer.Code);
        Assert.Contains("has trained 3 epochs already; --epochs 2 would end before them", fewer.Output);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Count(l => l.Trim().Length > 0));
        Assert.Equal(Path.Combine(root, "moved"), JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["data"]!.GetValue<string>());
        Directory.Delete(root, true);
    }

    [Fact]
    public void Should_StartFromTheBeginningAndSaySo_When_ResumingAFolderWithoutCheckpoint()
    {
        var dir = Training.TinyRun.TempDir();
        var r = CliProcess.Run(600, "train", "--limit", "200", "--width", "4", "--arch", "resnet18", "--batch-size", "64", "--queue", "64", "--epochs", "1",
            "--warmup-epochs", "1", "--clusters", "10,20", "--threads", "2", "--out", dir, "--resume");
        Assert.True(r.Code == 0, r.Output);
        Assert.Contains("starting from the beginning", r.Output);
        Assert.Contains("note: --epochs 1 ends within the 1 warm-up epoch(s), so this pcl run has no E-step and learns no prototypes", r.Output);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_RefuseAndKeepTheCheckpoint_When_TheDataFileChangedBeforeTheResume()
    {
        // The same path and image count, one pixel rewritten: the run's E-step assignments would index other pictures.
        var dir = Training.TinyRun.TempDir();
        var file = Path.Combine(dir, "images-idx3-ubyte");
        using var embedded = ProtoCL.Data.DatasetLoader.LoadEmbedded(200);
        var pixels = embedded.Images.data<byte>().ToArray();
        File.WriteAllBytes(file, Data.IdxBytes.Images(200, 28, 28, pixels));
        var run = Path.Combine(dir, "run");
        var args = new[] { "train", "--data", file, "--width", "4", "--arch", "resnet18", "--batch-size", "64", "--queue", "64", "--epochs", "1", "--warmup-epochs", "1", "--clusters", "10,20", "--threads", "2", "--out", run };
        Assert.Equal(0, CliProcess.Run(600, args).Code);
        var checkpoint = File.ReadAllBytes(Path.Combine(run, "checkpoint.pcl"));

        pixels[199 * 784 + 400] ^= 0xFF;
        File.WriteAllBytes(file, Data.IdxBytes.Images(200, 28, 28, pixels));
        var r = CliProcess.Run(120, [.. args, "--resume", "--epochs", "2"]);

        Assert.Equal(2, r.Code);
        Assert.Contains("not the same pixels", r.Output);
        Assert.DoesNotContain("   at ", r.Output);
        Assert.Equal(checkpoint, File.ReadAllBytes(Path.Combine(run, "checkpoint.pcl")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_ListDifferences_When_ResumingWithOtherSettings()
    {
        var dir = Training.TinyRun.TempDir();
        var args = new[] { "train", "--limit", "200", "--width", "4", "--arch", "resnet18", "--batch-size", "64", "--queue", "64", "--epochs", "1", "--warmup-epochs", "1", "--clusters", "10,20", "--threads", "2", "--out", dir };
        Assert.Equal(0, CliProcess.Run(600, args).Code);
        var r = CliProcess.Run(120, [.. args, "--resume", "--lr", "0.5", "--queue", "32", "--epochs", "2"]);
        Assert.NotEqual(0, r.Code);
        Assert.Contains("learning_rate", r.Output);
        Assert.Contains("queue_size", r.Output);
        Assert.DoesNotContain("epochs: ", r.Output);
        Directory.Delete(dir, true);
    }
}
