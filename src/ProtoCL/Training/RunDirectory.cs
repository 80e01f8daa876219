namespace ProtoCL.Training;

/// <summary>
/// The files of a training run folder: config.json (every setting, resolved), metrics.jsonl (one object per
/// finished epoch), checkpoint.pcl (latest state, written atomically) and clusters/epoch-NNN/ (each E-step's result).
/// </summary>
public sealed class RunDirectory(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string Config => System.IO.Path.Combine(Path, "config.json");
    public string Metrics => System.IO.Path.Combine(Path, "metrics.jsonl");
    public string Checkpoint => System.IO.Path.Combine(Path, "checkpoint.pcl");
    public string ClustersRoot => System.IO.Path.Combine(Path, "clusters");

    /// <summary>Folder of the E-step result computed at the start of the 1-based <paramref name="epoch"/>.</summary>
    public string ClustersOfEpoch(int epoch) => System.IO.Path.Combine(ClustersRoot, $"epoch-{epoch:D4}");

    public bool HasCheckpoint => File.Exists(Checkpoint);

    /// <summary>True when the folder holds anything a run wrote (so a new run must not start there silently).</summary>
    public bool HasRunFiles => File.Exists(Config) || File.Exists(Metrics) || File.Exists(Checkpoint) || Directory.Exists(ClustersRoot);
}
