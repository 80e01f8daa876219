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

    public static void Write(string path, Action<Stream> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Environment.ProcessId + ".tmp");
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

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { var b = System.Text.Encoding.UTF8.GetBytes(text); s.Write(b); });

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));
}
