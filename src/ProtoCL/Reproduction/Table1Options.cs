using ProtoCL.Data;
using ProtoCL.Training;

namespace ProtoCL.Reproduction;

/// <summary>Settings of the Table 1 reproduction: one shared training budget for every method, every protocol on the test split.</summary>
public sealed record Table1Options
{
    /// <summary>Unlabelled training data for the encoders, labelled data for the protocols (Debian's Fashion-MNIST train split).</summary>
    public string TrainData { get; init; } = DatasetLoader.FashionMnistTrainPath;

    /// <summary>Test split every protocol is scored on.</summary>
    public string TestData { get; init; } = DatasetLoader.FashionMnistTestPath;

    /// <summary>Where the runs (checkpoints) go; they are large and not committed.</summary>
    public string RunsDir { get; init; } = Path.Combine("runs", "table1");

    /// <summary>Where table1.md, table1.json, the evaluation JSON and the pictures go.</summary>
    public string OutDir { get; init; } = Path.Combine("results", "table1");

    /// <summary>The shared budget; the method is set per row.</summary>
    public TrainingOptions Budget { get; init; } = Presets.Small;

    /// <summary>Learned rows, in the paper's order.</summary>
    public Method[] Methods { get; init; } = [Method.Moco, Method.Pcl, Method.Simclr, Method.PclSimclr];

    /// <summary>Seed of the evaluations (draws, k-means, probe).</summary>
    public int Seed { get; init; }

    /// <summary>The command line that produced the run, recorded in table1.md.</summary>
    public string Command { get; init; } = "";
}
