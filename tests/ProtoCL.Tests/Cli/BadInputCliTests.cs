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
        { "--warmup-epochs", ["train", "--limit", "100", "--epochs", "2", "--warmup-epochs", "5", "--out", "OUT"] },
        { "--batch-size", ["train", "--limit", "100", "--batch-size", "512", "--clusters", "10", "--out", "OUT"] },
        { "--lr", ["train", "--limit", "100", "--lr", "-1", "--out", "OUT"] },
        { "--method", ["train", "--method", "byol", "--out", "OUT"] },
        { "--clusters", ["train", "--clusters", "10,abc", "--out", "OUT"] },
        { "--temperature", ["train", "--temperature", "0", "--out", "OUT"] },
        { "checkpoint", ["eval", "knn", "--checkpoint", "/nonexistent-run", "--train-data", "embedded", "--test-data", "embedded", "--limit", "100"] },
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
}
