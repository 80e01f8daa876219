using System.Globalization;
using System.Text;
using ProtoCL.Data;
using ProtoCL.IO;

namespace ProtoCL.Clustering;

/// <summary>
/// Writes <see cref="PrototypeAssignment"/>'s result as CSV (RFC 4180), one row per image in dataset order:
/// <c>index,file,label,level0_k5,level0_k5_cosine,...</c>. <c>file</c> is the image's path when the images came
/// from a folder (empty otherwise), <c>label</c> its class name (or index) when the data has labels.
/// </summary>
public static class AssignmentTable
{
    /// <summary>The CSV text.</summary>
    public static string Format(ImageDataset data, IReadOnlyList<LevelAssignment> levels)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(levels);
        foreach (var level in levels)
            if (level.Prototype.Length != data.Count || level.Cosine.Length != data.Count)
                throw new ArgumentException($"a level holds {level.Prototype.Length} assignments for {data.Count} images");
        var sb = new StringBuilder("index,file,label");
        for (int m = 0; m < levels.Count; m++)
            sb.Append(CultureInfo.InvariantCulture, $",level{m}_k{levels[m].K},level{m}_k{levels[m].K}_cosine");
        sb.Append('\n');
        for (int i = 0; i < data.Count; i++)
        {
            sb.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',');
            sb.Append(CsvFields.File(data, i)).Append(',');
            sb.Append(CsvFields.Label(data, i));
            foreach (var level in levels)
                sb.Append(',').Append(level.Prototype[i].ToString(CultureInfo.InvariantCulture))
                  .Append(',').Append(CsvFields.Cosine(level.Cosine[i]));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes the CSV atomically (a reader never sees half a file).</summary>
    public static void Write(string path, ImageDataset data, IReadOnlyList<LevelAssignment> levels) =>
        AtomicFile.WriteAllText(path, Format(data, levels));
}
