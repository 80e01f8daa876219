using ProtoCL.Data;
using ProtoCL.Model;
using ProtoCL.Training;

namespace ProtoCL.Tests.Training;

/// <summary>A tiny but complete configuration: a few hundred embedded images, width-4 ResNet-18, two levels.</summary>
internal static class TinyRun
{
    public static TrainingOptions Options(int epochs = 2, int warmup = 1, Method method = Method.Pcl) => new()
    {
        Method = method,
        Epochs = epochs,
        WarmupEpochs = warmup,
        BatchSize = 64,
        LearningRate = 0.03,
        QueueSize = 128,
        Clusters = [8, 16],
        KMeansRestarts = 2,
        KMeansIterations = 5,
        Threads = 2,
        Seed = 11,
        Encoder = new EncoderOptions { Arch = Architecture.ResNet18, Width = 4, BnGroups = 4 },
    };

    public static ImageDataset Data(int n = 320) => DatasetLoader.LoadEmbedded(n);

    /// <summary>The "loss" of every epoch in a run folder's metrics.jsonl, read independently of the trainer's own types.</summary>
    public static double[] Losses(string runDir) =>
        File.ReadAllLines(Path.Combine(runDir, "metrics.jsonl"))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("loss").GetDouble()).ToArray();

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "protocl-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
