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
    /// <summary>The CSV text. <paramref name="index"/> gives the number the CSV shows for each image of
    /// <paramref name="data"/> (default: its own index): its index in the searched data, or -1 for a query from outside the
    /// searched images (<see cref="NearestNeighbours.Find"/>'s <c>searched</c>), whose <c>query</c> field is left empty.
    /// So <paramref name="data"/> may hold just the images the lists name (<see cref="ImageDataset.Gather"/>).</summary>
    public static string Format(ImageDataset data, IReadOnlyList<NeighbourList> lists, IReadOnlyList<int>? index = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(lists);
        if (index is not null && index.Count != data.Count)
            throw new ArgumentException($"{index.Count} indices for {data.Count} images", nameof(index));
        string Number(int i) => (index?[i] ?? i) is var n and >= 0 ? n.ToString(CultureInfo.InvariantCulture) : "";
        var sb = new StringBuilder("query,query_file,query_label,rank,index,file,label,cosine\n");
        foreach (var list in lists)
        {
            string query = $"{Number(list.Query)},{CsvFields.File(data, list.Query)},{CsvFields.Label(data, list.Query)}";
            for (int r = 0; r < list.Neighbours.Length; r++)
            {
                int j = list.Neighbours[r];
                sb.Append(query).Append(CultureInfo.InvariantCulture, $",{r + 1},{Number(j)},{CsvFields.File(data, j)},{CsvFields.Label(data, j)},{CsvFields.Cosine(list.Cosine[r])}\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>Writes the CSV atomically (a reader never sees half a file).</summary>
    public static void Write(string path, ImageDataset data, IReadOnlyList<NeighbourList> lists, IReadOnlyList<int>? index = null) =>
        AtomicFile.WriteAllText(path, Format(data, lists, index));
}
