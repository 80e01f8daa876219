using System.Text.Json;
using ProtoCL.IO;
using static TorchSharp.torch;

namespace ProtoCL.Clustering;

/// <summary>
/// The E-step's output for all levels (run_kmeans's im2cluster / centroids / density lists in salesforce/PCL
/// main_pcl.py), which the reference never saves; here it can be saved beside a checkpoint and loaded back.
/// Owns its levels.
/// </summary>
public sealed class ClusterResult : IDisposable
{
    private const string ManifestName = "clusters.json";
    private const int FormatVersion = 1;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    internal ClusterResult(IReadOnlyList<ClusterLevel> levels) => Levels = levels;

    /// <summary>Levels in the order of the K list given to <see cref="EStep.Cluster"/>.</summary>
    public IReadOnlyList<ClusterLevel> Levels { get; }

    /// <summary>True when any level looks collapsed.</summary>
    public bool LooksCollapsed => Levels.Any(l => l.LooksCollapsed);

    /// <summary>The first collapsed level's reason, prefixed with its index, or null.</summary>
    public string? CollapseReason =>
        Levels.Select((l, m) => l.CollapseReason is null ? null : $"level {m} (K = {l.K}): {l.CollapseReason}").FirstOrDefault(r => r is not null);

    /// <summary>
    /// Writes, per level m, <c>level{m}-k{K}-centroids.npy</c>, <c>-phi.npy</c> and <c>-assignments.npy</c>, then
    /// <c>clusters.json</c> (K, objective, timings, empty splits, warnings per level). Every file is written
    /// atomically and the manifest last, so a folder with a manifest is complete.
    /// </summary>
    public void Save(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        Directory.CreateDirectory(dir);
        var entries = new List<LevelEntry>();
        for (int m = 0; m < Levels.Count; m++)
        {
            var level = Levels[m];
            var stem = $"level{m}-k{level.K}";
            var entry = new LevelEntry(m, level.K, level.Objective, level.KMeansSeconds, level.PhiSeconds, level.EmptyClusterSplits,
                level.Warnings.ToList(), level.FeatureSpread, level.CollapseReason,
                stem + "-centroids.npy", stem + "-phi.npy", stem + "-assignments.npy");
            Npy.Write(Path.Combine(dir, entry.Centroids), level.Centroids);
            Npy.Write(Path.Combine(dir, entry.Phi), level.Phi);
            Npy.Write(Path.Combine(dir, entry.Assignments), level.Assignments);
            entries.Add(entry);
        }
        AtomicFile.WriteAllText(Path.Combine(dir, ManifestName), JsonSerializer.Serialize(new Manifest(FormatVersion, entries), Json));
    }

    /// <summary>True when <paramref name="dir"/> holds a complete result (its manifest is written last).</summary>
    public static bool IsSaved(string dir) => File.Exists(Path.Combine(dir, ManifestName));

    /// <summary>Reads a folder written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">no clusters.json, or a file it names is missing</exception>
    /// <exception cref="InvalidDataException">the manifest is unreadable or disagrees with the arrays</exception>
    public static ClusterResult Load(string dir)
    {
        var manifestPath = Path.Combine(dir, ManifestName);
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException($"No {ManifestName} in {dir}; save cluster results with ClusterResult.Save first.", manifestPath);
        var manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath), Json)
            ?? throw new InvalidDataException($"{manifestPath} is empty.");
        if (manifest.Format != FormatVersion)
            throw new InvalidDataException($"{manifestPath} has format {manifest.Format}; this version of ProtoCL reads format {FormatVersion}.");
        var levels = new List<ClusterLevel>();
        try
        {
            foreach (var e in manifest.Levels) levels.Add(LoadLevel(dir, e));
        }
        catch
        {
            foreach (var l in levels) l.Dispose();
            throw;
        }
        return new ClusterResult(levels);
    }

    private static ClusterLevel LoadLevel(string dir, LevelEntry e)
    {
        Tensor? centroids = null, phi = null, assignments = null;
        try
        {
            centroids = Npy.Read(Path.Combine(dir, e.Centroids));      // [K, D]
            phi = Npy.Read(Path.Combine(dir, e.Phi));                  // [K]
            assignments = Npy.Read(Path.Combine(dir, e.Assignments));  // [N]
            if (centroids.dim() != 2 || centroids.shape[0] != e.K || phi.dim() != 1 || phi.shape[0] != e.K
                || assignments.dim() != 1 || assignments.dtype != ScalarType.Int64)
                throw new InvalidDataException($"{dir}: the arrays of level {e.Level} do not match K = {e.K} (centroids [K, D], phi [K], int64 assignments [N]).");
            return new ClusterLevel(e.K, centroids, phi, assignments, e.Objective, e.EmptyClusterSplits, e.Warnings,
                e.KMeansSeconds, e.PhiSeconds, e.FeatureSpread);
        }
        catch
        {
            centroids?.Dispose();
            phi?.Dispose();
            assignments?.Dispose();
            throw;
        }
    }

    /// <summary>Frees the tensors of every level.</summary>
    public void Dispose()
    {
        foreach (var level in Levels) level.Dispose();
    }

    private sealed record Manifest(int Format, List<LevelEntry> Levels);

    private sealed record LevelEntry(int Level, int K, double Objective, double KMeansSeconds, double PhiSeconds, int EmptyClusterSplits,
        List<string> Warnings, double FeatureSpread, string? CollapseReason, string Centroids, string Phi, string Assignments);
}
