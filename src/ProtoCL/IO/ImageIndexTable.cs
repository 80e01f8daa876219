using System.Globalization;
using System.Text;
using ProtoCL.Data;

namespace ProtoCL.IO;

/// <summary>Which image each row of a feature file (<c>protocl embed</c>'s .npy) is: one CSV row per image, in dataset order.</summary>
public static class ImageIndexTable
{
    /// <summary>The CSV text: header <c>index,file,label</c>, then one row per image of <paramref name="data"/> (file: its
    /// path for image folders, else empty; label: its class name or index, empty when it has none), RFC 4180 quoting.</summary>
    public static string Csv(ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var sb = new StringBuilder("index,file,label\n");
        for (int i = 0; i < data.Count; i++)
            sb.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',').Append(CsvFields.File(data, i)).Append(',').Append(CsvFields.Label(data, i)).Append('\n');
        return sb.ToString();
    }
}
