namespace ProtoCL.Training;

/// <summary>
/// The files of a training run folder: config.json (every setting, resolved), metrics.jsonl (one object per
/// finished epoch), checkpoint.pcl (latest state, written atomically) and clusters/epoch-NNNN/ (each E-step's result).
/// </summary>
public sealed class RunDirectory(string path)
{
    /// <summary>Absolute path of the run folder: the constructor's path resolved against the current directory.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);
    /// <summary>Path of config.json: every setting, resolved, plus what the data was (<see cref="RunConfig"/>).</summary>
    public string Config => System.IO.Path.Combine(Path, "config.json");
    /// <summary>Path of metrics.jsonl: one <see cref="EpochMetrics"/> JSON object per finished epoch.</summary>
    public string Metrics => System.IO.Path.Combine(Path, "metrics.jsonl");
    /// <summary>Path of checkpoint.pcl, the latest training state, written by <see cref="ProtoCL.Training.Checkpoint.Save"/>.</summary>
    public string Checkpoint => System.IO.Path.Combine(Path, "checkpoint.pcl");
    /// <summary>Path of the clusters folder, which holds one epoch-NNNN folder per E-step (<see cref="ClustersOfEpoch"/>).</summary>
    public string ClustersRoot => System.IO.Path.Combine(Path, "clusters");

    /// <summary>Folder of the E-step result computed at the start of the 1-based <paramref name="epoch"/>.</summary>
    public string ClustersOfEpoch(int epoch) => System.IO.Path.Combine(ClustersRoot, $"epoch-{epoch:D4}");

    /// <summary>True when checkpoint.pcl exists; its content is not checked.</summary>
    public bool HasCheckpoint => File.Exists(Checkpoint);

    /// <summary>True when the folder holds anything a run wrote (so a new run must not start there silently).</summary>
    public bool HasRunFiles => File.Exists(Config) || File.Exists(Metrics) || File.Exists(Checkpoint) || Directory.Exists(ClustersRoot);
}
