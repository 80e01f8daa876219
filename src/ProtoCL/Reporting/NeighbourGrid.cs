using ProtoCL.Data;
using ProtoCL.Evaluation;
using SkiaSharp;

namespace ProtoCL.Reporting;

/// <summary>
/// A picture of what a representation considers alike: one row per query image (named by its file for image folders,
/// else by its index), the query first (blue frame), then its
/// nearest images in the feature space, most similar first. With labels, a neighbour of the query's class has a green
/// frame and one of another class a red frame (no frame where either has no label). Layout and sizes: <see cref="ImageGrid"/>, with 1 + k columns.
/// </summary>
public static class NeighbourGrid
{
    /// <summary>Frame of the query image.</summary>
    public static readonly SKColor QueryFrame = new(0x1f, 0x5f, 0xbf);

    /// <summary>Frame of a neighbour that shares the query's label.</summary>
    public static readonly SKColor SameLabelFrame = new(0x1a, 0x9a, 0x3a);

    /// <summary>Frame of a neighbour with another label.</summary>
    public static readonly SKColor OtherLabelFrame = new(0xd0, 0x20, 0x20);

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

    /// <summary>Writes the PNG: one row per list, the query and then its neighbours.</summary>
    /// <param name="images">The dataset the lists' indices refer to (its labels colour the frames when present).</param>
    /// <param name="lists">Queries with their neighbours (<see cref="NearestNeighbours.Find"/>).</param>
    /// <param name="pngPath">Output PNG path.</param>
    /// <param name="index">The index a caption gives each image of <paramref name="images"/> when it has no file (default:
    /// its own), for images gathered from a larger set (<see cref="ImageDataset.Gather"/>).</param>
    public static void Write(ImageDataset images, IReadOnlyList<NeighbourList> lists, string pngPath, IReadOnlyList<int>? index = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(lists);
        if (lists.Count == 0) throw new ArgumentException("no query to draw", nameof(lists));
        var labels = images.Labels;
        var rows = lists.Select(l =>
        {
            var frames = new SKColor?[1 + l.Neighbours.Length];
            frames[0] = QueryFrame;
            for (int j = 0; j < l.Neighbours.Length; j++)
                frames[1 + j] = labels is null || labels[l.Query] == ImageDataset.Unlabelled || labels[l.Neighbours[j]] == ImageDataset.Unlabelled ? null
                    : labels[l.Neighbours[j]] == labels[l.Query] ? SameLabelFrame : OtherLabelFrame;
            var name = Name(images, l.Query, index?[l.Query]);
            var caption = labels is null ? new[] { name } : [name, images.ClassName(labels[l.Query])];
            return new ImageGridRow(caption, [l.Query, .. l.Neighbours], frames);
        }).ToList();
        ImageGrid.Write(images, rows, rows.Max(r => r.Samples.Length), pngPath);
    }

    /// <summary>Longest caption line that fits the label column at the grid's font size.</summary>
    private const int CaptionChars = 16;

    /// <summary>The query's file name for image folders (shortened to fit), else "image INDEX" (<paramref name="number"/>
    /// when given, else <paramref name="index"/>).</summary>
    internal static string Name(ImageDataset images, int index, int? number = null)
    {
        if (images.Files is not { } files || files[index].Length == 0) return $"image {number ?? index}";
        var name = Path.GetFileName(files[index]);
        return name.Length <= CaptionChars ? name : name[..(CaptionChars - 1)] + "…";
    }
}
