namespace ProtoCL.Cli.Commands;

/// <summary>Checks an output path before any work is done, so that nothing a user had is replaced unasked and no result is lost at the end.</summary>
internal static class OutputFile
{
    /// <summary>Throws <see cref="UserError"/> when <paramref name="paths"/> name a folder, or a file that exists and <paramref name="force"/> is off.</summary>
    public static void ThrowIfTaken(bool force, params IEnumerable<string?> paths)
    {
        var given = paths.OfType<string>().ToList();
        if (given.FirstOrDefault(Directory.Exists) is { } folder)
            throw new UserError($"{folder} is a folder; give a file name for the output");
        if (force) return;
        var existing = given.Where(File.Exists).ToList();
        if (existing.Count > 0)
            throw new UserError($"{string.Join(", ", existing)} {(existing.Count == 1 ? "exists" : "exist")}; pass --force to replace {(existing.Count == 1 ? "it" : "them")}");
    }
}
