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
    /// <summary>The CSV text. Queries at or past <paramref name="searched"/> (default: none) are images from outside the
    /// searched ones (<see cref="NearestNeighbours.Find"/>'s <c>searched</c>): their <c>query</c> index is left empty.</summary>
    public static string Format(ImageDataset data, IReadOnlyList<NeighbourList> lists, int? searched = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(lists);
        var sb = new StringBuilder("query,query_file,query_label,rank,index,file,label,cosine\n");
        foreach (var list in lists)
        {
            string index = list.Query < (searched ?? data.Count) ? list.Query.ToString(CultureInfo.InvariantCulture) : "";
            string query = $"{index},{CsvFields.File(data, list.Query)},{CsvFields.Label(data, list.Query)}";
            for (int r = 0; r < list.Neighbours.Length; r++)
            {
                int j = list.Neighbours[r];
                sb.Append(query).Append(CultureInfo.InvariantCulture, $",{r + 1},{j},{CsvFields.File(data, j)},{CsvFields.Label(data, j)},{CsvFields.Cosine(list.Cosine[r])}\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>Writes the CSV atomically (a reader never sees half a file).</summary>
    public static void Write(string path, ImageDataset data, IReadOnlyList<NeighbourList> lists, int? searched = null) =>
        AtomicFile.WriteAllText(path, Format(data, lists, searched));
}
