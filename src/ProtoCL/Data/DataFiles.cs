namespace ProtoCL.Data;

/// <summary>
/// The single place where the dataset readers open files, so tests can simulate failures that cannot be
/// produced for real when they run as root (permission denied) or that are hard to stage (I/O errors).
/// </summary>
public static class DataFiles
{
    /// <summary>Whether two paths name the same file or folder: compared as their real paths, every symbolic link in them
    /// resolved (a link to a run's data folder is that folder); as absolute paths where a link is broken.</summary>
    public static bool SamePath(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        static string Real(string p)
        {
            try { return Path.TrimEndingDirectorySeparator(ImageFolderScanner.RealPath(p, 0) ?? Path.GetFullPath(p)); }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or IOException or UnauthorizedAccessException) { return p; } // not a usable path: as given
        }
        return Real(a) == Real(b);
    }

    /// <summary>The real implementation: a read-only, seekable <see cref="FileStream"/>.</summary>
    public static readonly Func<string, Stream> DefaultOpenRead =
        path => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);

    /// <summary>Test seam: opens a file for reading; the stream must be seekable. Tests restore <see cref="DefaultOpenRead"/> afterwards.</summary>
    public static Func<string, Stream> OpenRead { get; set; } = DefaultOpenRead;

    /// <summary>The real implementation: the folder's entries (files, folders, links), unsorted.</summary>
    public static readonly Func<string, EnumerationOptions, IEnumerable<FileSystemInfo>> DefaultListFolder =
        (folder, options) => new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options);

    /// <summary>Test seam: lists a folder (an unreadable folder cannot be staged as root). Tests restore <see cref="DefaultListFolder"/> afterwards.</summary>
    public static Func<string, EnumerationOptions, IEnumerable<FileSystemInfo>> ListFolder { get; set; } = DefaultListFolder;

    /// <summary>Opens <paramref name="path"/> through <see cref="OpenRead"/>, turning the file system's errors into <see cref="DataException"/>.</summary>
    internal static Stream OpenOrThrow(string path)
    {
        try
        {
            return OpenRead(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataException($"no such file or folder: {path}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataException($"cannot read {path}: permission denied; check the file's permissions", e);
        }
        catch (IOException e)
        {
            throw new DataException($"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>Runs a folder listing, turning the file system's errors into <see cref="DataException"/> naming the folder.</summary>
    internal static T ListOrThrow<T>(string folder, Func<T> list)
    {
        try
        {
            return list();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataException($"cannot list folder {folder}: permission denied; check its permissions or move it out of the dataset", e);
        }
        catch (IOException e)
        {
            throw new DataException($"cannot list folder {folder}: {e.Message}; check the folder or move it out of the dataset", e);
        }
    }
}
