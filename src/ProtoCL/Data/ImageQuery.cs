using System.Globalization;

namespace ProtoCL.Data;

/// <summary>Which image of a dataset a user means: its index, or (for image folders) its file.</summary>
public static class ImageQuery
{
    /// <summary>
    /// The dataset index <paramref name="query"/> names: a whole number 0..N-1, or for images read from a folder a file
    /// given by its path (absolute, or relative to the current folder), by its path below the data folder, or by its
    /// name alone when no other image has that name. Throws <see cref="ArgumentException"/> saying why otherwise.
    /// </summary>
    public static int Resolve(ImageDataset data, string query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        if (int.TryParse(query, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            if (index >= data.Count)
                throw new ArgumentException($"image {index} does not exist: {data.Source} holds images 0..{data.Count - 1}");
            return index;
        }
        if (data.Files is not { } files)
            throw new ArgumentException($"'{query}' is not an image index (0..{data.Count - 1}); {data.Source} has no files to name images by");
        if (query.Length == 0)
            throw new ArgumentException("an empty query names no image");

        var full = Path.GetFullPath(query);
        var exact = Matches(files, f => f == full);
        if (exact.Count == 1) return exact[0];
        var sep = Path.DirectorySeparatorChar;
        var below = Matches(files, f => f.EndsWith(sep + query.TrimStart(sep), StringComparison.Ordinal));
        if (below.Count == 1) return below[0];
        if (below.Count > 1)
            throw new ArgumentException($"'{query}' names {below.Count} images of {data.Source} ({Describe(files, below)}); give more of its path");
        throw new ArgumentException($"no image of {data.Source} is '{query}' (its {data.Count:N0} images were read from folders; give an index, a path, or a file name)");
    }

    /// <summary>The image files in <paramref name="folder"/> and its subfolders, in the order an image folder is read
    /// (files at the top, then each subfolder by name); empty when there are none. Throws <see cref="DataException"/>
    /// when a folder cannot be listed.</summary>
    public static IReadOnlyList<string> ImagesIn(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return ImageFolderScanner.Scan(folder).Files.Select(f => f.Path).ToArray();
    }

    /// <summary>File name endings taken for images (case-insensitive), as for image folders.</summary>
    public static IReadOnlyList<string> Extensions => ImageFolderScanner.Extensions;

    private static List<int> Matches(IReadOnlyList<string> files, Func<string, bool> match)
    {
        var found = new List<int>();
        for (int i = 0; i < files.Count; i++)
            if (match(files[i])) found.Add(i);
        return found;
    }

    private static string Describe(IReadOnlyList<string> files, List<int> found) =>
        string.Join(", ", found.Take(3).Select(i => files[i])) + (found.Count > 3 ? ", …" : "");
}
