using System.Globalization;
using ProtoCL.Data;

namespace ProtoCL.IO;

/// <summary>The fields the CSV tables share (RFC 4180 quoting; an image's file and class name).</summary>
internal static class CsvFields
{
    /// <summary>A field quoted when it holds a comma, a quote or a line break; quotes doubled.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    /// <summary>Image <paramref name="i"/>'s path when the images came from a folder, else empty; quoted.</summary>
    public static string File(ImageDataset data, int i) => Quote(data.Files?[i] ?? "");

    /// <summary>Image <paramref name="i"/>'s class name (or index), empty without a label; quoted.</summary>
    public static string Label(ImageDataset data, int i)
    {
        if (data.Labels is null || data.Labels[i] == ImageDataset.Unlabelled) return "";
        int label = data.Labels[i];
        return Quote(data.ClassNames is { } names && label < names.Count ? names[label] : label.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A cosine similarity with six decimals at most.</summary>
    public static string Cosine(float value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
