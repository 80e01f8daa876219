namespace ProtoCL.Data;

/// <summary>An image file found by <see cref="ImageFolderScanner"/> and its class index (<see cref="ImageDataset.Unlabelled"/> for root files).</summary>
internal sealed record ImageFile(string Path, int Label);

/// <summary>The files of an image folder in a fixed order, and the class names their labels index.</summary>
internal sealed record FolderScan(IReadOnlyList<ImageFile> Files, IReadOnlyList<string> ClassNames)
{
    /// <summary>True when the root has class sub-folders, i.e. the images are labelled.</summary>
    public bool Labelled => ClassNames.Count > 0;
}

/// <summary>
/// Lists an image folder the way torchvision's ImageFolder does: each sub-folder of the root is a class (ordinal
/// name order), every image below it, at any depth, belongs to that class; files directly in the root are unlabelled.
/// Directory symlinks are followed, but each real folder is entered once, so a link back up the tree cannot loop.
/// A ProtoCL run folder inside the tree (one holding checkpoint.pcl or metrics.jsonl, e.g. <c>--data . --out runs/x</c>) is
/// not entered, so a run's own pictures never become its images; a class folder that held only run folders is no class.
/// </summary>
internal static class ImageFolderScanner
{
    /// <summary>File extensions taken for images (case-insensitive): what SkiaSharp decodes on every platform.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>Backstop against pathological trees (or links that defeat <see cref="RealPath"/>): deeper folders are not entered.</summary>
    private const int MaxDepth = 64;

    /// <summary>The kernel's own limit on symlinks followed while resolving one path (Linux MAXSYMLINKS is 40).</summary>
    private const int MaxLinkHops = 40;

    private static readonly EnumerationOptions ListOptions = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        // Hidden entries are skipped by name below, so the platform's own notion of hidden/system is not used.
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Scans <paramref name="root"/>; throws <see cref="DataException"/> when a folder cannot be listed.</summary>
    public static FolderScan Scan(string root)
    {
        var rootFull = Path.GetFullPath(root);
        var visited = new HashSet<string>(StringComparer.Ordinal) { RealPath(rootFull, 0) ?? rootFull };
        var files = new List<ImageFile>();
        var classNames = new List<string>();
        var classFolders = new List<(string Path, string RealPath)>();
        foreach (var entry in List(rootFull))
        {
            if (IsDirectory(entry))
            {
                if (!IsRunFolder(entry.FullName) && Enter(entry, rootFull, visited) is { } real)
                    classFolders.Add((entry.FullName, real));
            }
            else if (IsImageName(entry.Name))
                files.Add(new ImageFile(entry.FullName, ImageDataset.Unlabelled));
        }
        foreach (var (folder, real) in classFolders)
        {
            var found = new List<ImageFile>();
            bool skippedRun = false;
            Walk(folder, real, classNames.Count, depth: 1, found, visited, ref skippedRun);
            if (found.Count == 0 && skippedRun) continue;                      // e.g. runs/, holding only run folders
            classNames.Add(Path.GetFileName(folder));
            files.AddRange(found);
        }
        return new FolderScan(files, classNames);
    }

    /// <summary>True when the name ends with one of <see cref="Extensions"/>.</summary>
    public static bool IsImageName(string name) =>
        Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a folder is a ProtoCL run folder (it holds checkpoint.pcl or metrics.jsonl).</summary>
    private static bool IsRunFolder(string folder) =>
        File.Exists(Path.Combine(folder, "checkpoint.pcl")) || File.Exists(Path.Combine(folder, "metrics.jsonl"));

    private static void Walk(string folder, string real, int label, int depth, List<ImageFile> files, HashSet<string> visited, ref bool skippedRun)
    {
        if (depth > MaxDepth)
            return;
        foreach (var entry in List(folder))
        {
            if (IsDirectory(entry))
            {
                if (IsRunFolder(entry.FullName)) skippedRun = true;
                else if (Enter(entry, real, visited) is { } childReal)
                    Walk(entry.FullName, childReal, label, depth + 1, files, visited, ref skippedRun);
            }
            else if (IsImageName(entry.Name))
                files.Add(new ImageFile(entry.FullName, label));
        }
    }

    /// <summary>The real path of a sub-folder when it has not been entered before; null to leave it out.</summary>
    private static string? Enter(FileSystemInfo entry, string parentReal, HashSet<string> visited)
    {
        // A plain folder's real path is its real parent plus its name; only a link needs resolving.
        string? real = entry.LinkTarget is null ? Path.Combine(parentReal, entry.Name) : RealPath(entry.FullName, 0);
        return real is not null && visited.Add(real) ? real : null;
    }

    /// <summary>Entries sorted by ordinal name, hidden ones (".name": editor and OS metadata such as macOS "._x.png") left out.</summary>
    private static List<FileSystemInfo> List(string folder) =>
        DataFiles.ListOrThrow(folder, () => DataFiles.ListFolder(folder, ListOptions)
            .Where(e => !e.Name.StartsWith('.'))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList());

    /// <summary>Whether an entry is a folder, following links (a broken or looping link is not).</summary>
    private static bool IsDirectory(FileSystemInfo entry) =>
        entry is DirectoryInfo || (entry.LinkTarget is not null && Directory.Exists(entry.FullName));

    /// <summary>
    /// The path with every symlink in it resolved (what realpath(3) returns), or null when a link is broken or
    /// the chain is longer than <see cref="MaxLinkHops"/> (a loop). .NET has no realpath, so components are walked.
    /// </summary>
    internal static string? RealPath(string path, int hops)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full) ?? "/";
        foreach (var part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
            if (target is not null)
            {
                if (++hops > MaxLinkHops)
                    return null;
                // A relative target is relative to the link's folder, which is already real here.
                var resolved = RealPath(Path.Combine(current, target), hops);
                if (resolved is null)
                    return null;
                next = resolved;
            }
            current = next;
        }
        return current;
    }
}
