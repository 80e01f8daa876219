namespace ProtoCL.IO;

/// <summary>
/// Writes files so that a crash leaves either the old file or the complete new one, never a broken file:
/// write to a temporary file in the same folder, flush to disk, then rename over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Test seam: every atomic write goes through this; tests replace it to simulate a full disk.</summary>
    public static Func<string, Stream> OpenTemp { get; set; } =
        p => new FileStream(p, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);

    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> writes, creating its folder when missing; the target changes only
    /// once the new content is flushed to disk. If <paramref name="write"/> throws, the temporary file is deleted, the target is left as it was
    /// and the exception propagates.</summary>
    /// <param name="path">Target file; an existing file is overwritten.</param>
    /// <param name="write">Writes the whole content to the stream of a temporary file <c>.NAME.PID.tmp</c> beside the target; it must not dispose the stream.</param>
    public static void Write(string path, Action<Stream> write)
    {
        // A symlink to a file is written through: the file it points at is replaced, the link stays a link.
        if (new FileInfo(path).LinkTarget is not null && File.ResolveLinkTarget(path, returnFinalTarget: true) is FileInfo { Exists: true } target)
            path = target.FullName;
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, TempName(Path.GetFileName(path)));
        try
        {
            using (var stream = OpenTemp(tmp))
            {
                write(stream);
                stream.Flush();
                if (stream is FileStream fs) fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            try { if (File.Exists(tmp)) File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>
    /// Deletes the temporary files (<c>.NAME.PID.tmp</c>) that a process killed in the middle of <see cref="Write"/>
    /// left under <paramref name="folder"/>, when process PID is gone; returns their paths. Targets are never touched.
    /// </summary>
    public static IReadOnlyList<string> RemoveStale(string folder)
    {
        var removed = new List<string>();
        if (!Directory.Exists(folder)) return removed;
        foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp", SearchOption.AllDirectories))
        {
            var parts = Path.GetFileName(file).Split('.');  // ["", NAME..., PID, "tmp"]
            if (parts.Length < 4 || !int.TryParse(parts[^2], out int pid) || IsRunning(pid)) continue;
            try { File.Delete(file); removed.Add(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    /// <summary>".NAME.PID.tmp", NAME shortened so that the whole name stays within 255 UTF-8 bytes (the usual limit of
    /// a file name), so an output whose own name is legal never fails for its temporary file's.</summary>
    internal static string TempName(string name)
    {
        string suffix = "." + Environment.ProcessId + ".tmp";
        int room = 255 - 1 - suffix.Length;
        while (System.Text.Encoding.UTF8.GetByteCount(name) > room)
            name = name[..(char.IsLowSurrogate(name[^1]) && name.Length > 1 ? name.Length - 2 : name.Length - 1)];
        return "." + name + suffix;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>Atomically writes <paramref name="text"/> to <paramref name="path"/> as UTF-8 without a byte-order mark (see <see cref="Write"/>).</summary>
    /// <param name="path">Target file; an existing file is overwritten.</param>
    /// <param name="text">The whole content.</param>
    public static void WriteAllText(string path, string text) =>
        Write(path, s => { var b = System.Text.Encoding.UTF8.GetBytes(text); s.Write(b); });

    /// <summary>Atomically writes <paramref name="bytes"/> to <paramref name="path"/> (see <see cref="Write"/>).</summary>
    /// <param name="path">Target file; an existing file is overwritten.</param>
    /// <param name="bytes">The whole content.</param>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));
}
