using System.Globalization;
using System.Text;
using ProtoCL.Data;
using ProtoCL.IO;

namespace ProtoCL.Evaluation;

/// <summary>
/// Writes <see cref="NearestNeighbours.Find"/>'s result as CSV (RFC 4180), one row per neighbour, queries in the order
/// given and neighbours most similar first: <c>query,query_file,query_label,rank,index,file,label,cosine</c>. Files are
/// the images' paths for image folders (empty otherwise), labels their class names (or indices) when the data has labels.
/// </summary>
public static class NeighbourTable
{
    /// <summary>The CSV text.</summary>
    public static string Format(ImageDataset data, IReadOnlyList<NeighbourList> lists)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(lists);
        var sb = new StringBuilder("query,query_file,query_label,rank,index,file,label,cosine\n");
        foreach (var list in lists)
        {
            string query = string.Create(CultureInfo.InvariantCulture, $"{list.Query},{CsvFields.File(data, list.Query)},{CsvFields.Label(data, list.Query)}");
            for (int r = 0; r < list.Neighbours.Length; r++)
            {
                int j = list.Neighbours[r];
                sb.Append(query).Append(CultureInfo.InvariantCulture, $",{r + 1},{j},{CsvFields.File(data, j)},{CsvFields.Label(data, j)},{CsvFields.Cosine(list.Cosine[r])}\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>Writes the CSV atomically (a reader never sees half a file).</summary>
    public static void Write(string path, ImageDataset data, IReadOnlyList<NeighbourList> lists) =>
        AtomicFile.WriteAllText(path, Format(data, lists));
}
