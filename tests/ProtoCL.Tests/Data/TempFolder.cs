namespace ProtoCL.Tests.Data;

/// <summary>A fresh folder under the system temp folder, deleted (links included, never followed) on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "protocl-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The full path of <paramref name="relative"/> inside the folder, creating its parent folders.</summary>
    public string File(string relative)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return full;
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="relative"/> and returns its full path.</summary>
    public string Write(string relative, byte[] bytes)
    {
        var full = File(relative);
        System.IO.File.WriteAllBytes(full, bytes);
        return full;
    }

    public void Dispose()
    {
        // Directory.Delete removes symlinks without following them, so loops in the tree are safe to delete.
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
