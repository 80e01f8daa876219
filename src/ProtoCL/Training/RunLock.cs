namespace ProtoCL.Training;

/// <summary>
/// One training process per run folder: an exclusive lock on <c>DIR/.lock</c> (flock on Linux), held while a run is
/// trained and released when the process ends, however it ends (the empty file stays; it holds no state).
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _stream;

    private RunLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock of <paramref name="runFolder"/> (created if missing); throws <see cref="IOException"/> saying so
    /// when another process holds it.</summary>
    public static RunLock Acquire(string runFolder)
    {
        ArgumentNullException.ThrowIfNull(runFolder);
        Directory.CreateDirectory(runFolder);
        var path = Path.Combine(runFolder, ".lock");
        try
        {
            return new RunLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException($"{runFolder} is being trained by another process (which holds {path}); wait for it to finish, or train into another --out", e);
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();
}
