using System.Globalization;
using ProtoCL.Data;
using ProtoCL.Evaluation;
using SkiaSharp;

namespace ProtoCL.Reporting;

/// <summary>
/// A picture of what a representation considers alike: one row per query image (named by its file for image folders,
/// else by its index, with its class when labelled), the query first (purple frame), then its nearest images in the
/// feature space, most similar first, each with its cosine similarity to the query under it. With labels, a neighbour
/// of the query's class has a blue frame and a tick (✓), one of another class an orange frame and a cross (✗): a
/// pair told apart by colour-blind readers too, and by the mark without colour (no frame or mark where either has no
/// label). Column headings (query, 1, 2, …) and a key explain the picture. Layout and sizes: <see cref="ImageGrid"/>,
/// with 1 + k columns.
/// </summary>
public static class NeighbourGrid
{
    /// <summary>Frame of the query image (Okabe–Ito reddish purple: visible around dark and light images alike; it only
    /// ever frames the query column, so it need not be told apart from the other two by colour).</summary>
    public static readonly SKColor QueryFrame = new(0xcc, 0x79, 0xa7);

    /// <summary>Frame of a neighbour that shares the query's label (Okabe–Ito blue).</summary>
    public static readonly SKColor SameLabelFrame = new(0x00, 0x72, 0xb2);

    /// <summary>Frame of a neighbour with another label (Okabe–Ito vermilion).</summary>
    public static readonly SKColor OtherLabelFrame = new(0xd5, 0x5e, 0x00);

    /// <summary>Colour of the similarity under a neighbour without a label.</summary>
    private static readonly SKColor NoLabelNote = new(0x55, 0x55, 0x55);

    /// <summary>
    /// Query images for the picture, seeded: with labels, one image of each class (classes in order, at most
    /// <paramref name="count"/>); without, <paramref name="count"/> distinct images.
    /// </summary>
    public static int[] ChooseQueries(int imageCount, int[]? labels, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var random = new Random(seed);
        if (labels is not null)
        {
            var byClass = new SortedDictionary<int, List<int>>();
            for (int i = 0; i < labels.Length; i++)
            {
                if (!byClass.TryGetValue(labels[i], out var list)) byClass[labels[i]] = list = [];
                list.Add(i);
            }
            return byClass.Values.Take(count).Select(list => list[random.Next(list.Count)]).ToArray();
        }
        return ImageGrid.Sample(Enumerable.Range(0, imageCount).ToArray(), count, random);
    }

    /// <summary>Writes the PNG: one row per list, the query and then its neighbours, with headings and a key.</summary>
    /// <param name="images">The dataset the lists' indices refer to (its labels colour the frames when present).</param>
    /// <param name="lists">Queries with their neighbours (<see cref="NearestNeighbours.Find"/>).</param>
    /// <param name="pngPath">Output PNG path.</param>
    /// <param name="index">The index a caption gives each image of <paramref name="images"/> when it has no file (default:
    /// its own), for images gathered from a larger set (<see cref="ImageDataset.Gather"/>).</param>
    /// <param name="title">A title line above the grid (null: none).</param>
    public static void Write(ImageDataset images, IReadOnlyList<NeighbourList> lists, string pngPath, IReadOnlyList<int>? index = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(lists);
        if (lists.Count == 0) throw new ArgumentException("no query to draw", nameof(lists));
        var (rows, text) = Layout(images, lists, index, title);
        ImageGrid.Write(images, rows, rows.Max(r => r.Samples.Length), pngPath, text);
    }

    /// <summary>The grid's rows (captions, frames, notes with marks and similarities) and its text (headings, key).</summary>
    internal static (List<ImageGridRow> Rows, ImageGridText Text) Layout(ImageDataset images, IReadOnlyList<NeighbourList> lists, IReadOnlyList<int>? index, string? title)
    {
        var labels = images.Labels;
        bool unframed = false;
        var rows = lists.Select(l =>
        {
            var frames = new SKColor?[1 + l.Neighbours.Length];
            var notes = new CellNote?[1 + l.Neighbours.Length];
            frames[0] = QueryFrame;
            for (int j = 0; j < l.Neighbours.Length; j++)
            {
                var cosine = j < l.Cosine.Length ? l.Cosine[j].ToString("F2", CultureInfo.InvariantCulture) : "";
                if (labels is null || labels[l.Query] == ImageDataset.Unlabelled || labels[l.Neighbours[j]] == ImageDataset.Unlabelled)
                {
                    unframed |= labels is not null;
                    notes[1 + j] = new CellNote(cosine, NoLabelNote);
                }
                else if (labels[l.Neighbours[j]] == labels[l.Query])
                    (frames[1 + j], notes[1 + j]) = (SameLabelFrame, new CellNote(cosine, SameLabelFrame, CellMark.Check));
                else
                    (frames[1 + j], notes[1 + j]) = (OtherLabelFrame, new CellNote(cosine, OtherLabelFrame, CellMark.Cross));
            }
            var name = Name(images, l.Query, index?[l.Query]);
            var caption = labels is null ? new[] { name } : [name, images.ClassName(labels[l.Query])];
            return new ImageGridRow(caption, [l.Query, .. l.Neighbours], frames, notes);
        }).ToList();
        int columns = rows.Max(r => r.Samples.Length);
        var key = new List<KeyItem> { new("query image", QueryFrame) };
        if (labels is not null)
        {
            key.Add(new KeyItem("same label as the query", SameLabelFrame, CellMark.Check));
            key.Add(new KeyItem("another label", OtherLabelFrame, CellMark.Cross));
            if (unframed) key.Add(new KeyItem("no frame: no label"));
        }
        key.Add(new KeyItem("number under an image: its cosine similarity to the query"));
        var text = new ImageGridText
        {
            Title = title is null ? [] : [title],
            ColumnHeadings = ColumnHeadings(columns),
            Key = key,
        };
        return (rows, text);
    }

    /// <summary>Headings of the grid's columns: "query", then the neighbours' ranks 1, 2, … (most similar first).</summary>
    internal static string[] ColumnHeadings(int columns) =>
        [.. Enumerable.Range(0, columns).Select(c => c == 0 ? "query" : c.ToString(CultureInfo.InvariantCulture))];

    /// <summary>The query's file name for image folders (in full: the picture shortens it in the middle to fit, keeping
    /// its end), else "image INDEX" (<paramref name="number"/> when given, else <paramref name="index"/>).</summary>
    internal static string Name(ImageDataset images, int index, int? number = null)
    {
        if (images.Files is not { } files || files[index].Length == 0) return $"image {number ?? index}";
        return Path.GetFileName(files[index]);
    }
}
