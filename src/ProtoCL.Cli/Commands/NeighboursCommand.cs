using System.ComponentModel;
using System.Globalization;
using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.Reporting;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

public sealed class NeighboursSettings : DataSettings
{
    [CommandOption("--checkpoint <DIR>")] [Description("Run folder (or raw / random). Required.")] public string Checkpoint { get; set; } = "";
    [CommandOption("--query <IMAGE>")] [Description("An image of --data (its index, or for image folders its path or file name), any other image file, or a folder (every image in it), looked up among --data's images. Repeat for several. Required.")] public string[] Queries { get; set; } = [];
    [CommandOption("-k|--neighbours <N>")] [Description("Nearest images per query (default 8).")] public int K { get; set; } = 8;
    [CommandOption("--kind <KIND>")] [Description("backbone (default: the features the evaluations read) or embedding (the head's L2-normalised output).")] public string Kind { get; set; } = "backbone";
    [CommandOption("--csv <FILE>")] [Description("Also write every neighbour as CSV: query, query_file, query_label, rank, index, file, label, cosine.")] public string? Csv { get; set; }
    [CommandOption("--png <FILE>")] [Description("Also draw each query and its neighbours as one row of a PNG.")] public string? Png { get; set; }
    [CommandOption("--seed <N>")] [Description("Seed for --checkpoint random.")] public int Seed { get; set; }
    [CommandOption("--force")] [Description("Replace existing --csv / --png files.")] public bool Force { get; set; }

    public override Spectre.Console.ValidationResult Validate()
    {
        if (Checkpoint.Length == 0) return Spectre.Console.ValidationResult.Error("--checkpoint is required (a run folder, raw or random)");
        if (Queries.Length == 0) return Spectre.Console.ValidationResult.Error("--query is required: an image index, or an image's path or file name");
        if (K < 1) return Spectre.Console.ValidationResult.Error($"--neighbours must be at least 1 (got {K})");
        if (Kind is not ("backbone" or "embedding")) return Spectre.Console.ValidationResult.Error($"--kind must be backbone or embedding (got '{Kind}')");
        return base.Validate();
    }
}

/// <summary><c>protocl neighbours</c>: the images of a dataset most alike to given ones under a checkpoint's features.</summary>
public sealed class NeighboursCommand : Command<NeighboursSettings>
{
    public override int Execute(CommandContext context, NeighboursSettings s, CancellationToken cancellationToken)
    {
        OutputFile.ThrowIfTaken(s.Force, s.Csv, s.Png);
        using var data = s.LoadFor(s.Checkpoint);
        // Before the features, so a wrong name fails at once: images of --data by index or name, other files read as
        // --data's are, and a folder stands for every image in it (each one of --data's where it is one).
        var outside = new List<string>();
        var queries = new List<int>();
        int Locate(string q)
        {
            try
            {
                return ImageQuery.Resolve(data, q);
            }
            catch (ArgumentException) when (File.Exists(q))
            {
                outside.Add(q);
                return data.Count + outside.Count - 1;
            }
        }
        // A folder query is a folder as given, or one below an image-folder --data; files --data skipped as unreadable are skipped there too.
        var skipped = data.Skipped.Select(k => Path.GetFullPath(k.Path)).ToHashSet();
        string? Folder(string q) =>
            Directory.Exists(q) ? q
            : data.Files is not null && Directory.Exists(data.Source) && !Path.IsPathRooted(q) && Directory.Exists(Path.Combine(data.Source, q)) ? Path.Combine(data.Source, q)
            : null;
        foreach (var q in s.Queries)
        {
            try
            {
                queries.Add(Locate(q));
            }
            catch (ArgumentException) when (Folder(q) is not null)
            {
                var files = ImageQuery.ImagesIn(Folder(q)!).Where(f => !skipped.Contains(Path.GetFullPath(f))).ToList();
                if (files.Count == 0)
                    throw new UserError($"the folder '{q}' holds no images ({string.Join(", ", ImageQuery.Extensions)})");
                queries.AddRange(files.Select(Locate));
            }
            catch (ArgumentException e) when (!int.TryParse(q, out _))
            {
                throw new UserError($"{e.Message}; nor is '{q}' an image file or a folder (no such file)");
            }
        }
        using var extra = outside.Count > 0 ? ImageFolderReader.ReadFilesLike(outside, data) : null;
        // Features of --data's images, then of the outside queries: the two image sets are never joined.
        NeighbourList[] found;
        using (var mine = EmbedCommand.Features(s.Checkpoint, s.Kind, data, s.Seed))                                   // [N, d]
        using (var theirs = extra is null ? null : EmbedCommand.Features(s.Checkpoint, s.Kind, extra, s.Seed, statistics: data)) // [Q, d]
        using (var features = theirs is null ? mine.alias() : TorchSharp.torch.cat([mine, theirs], 0))                // [N + Q, d]
            found = NearestNeighbours.Find(features, queries, s.K, searched: data.Count);
        // The few images the lists name, copied out of both sets; the lists renumbered to them.
        var named = found.SelectMany(l => l.Neighbours.Prepend(l.Query)).Distinct().Order().ToArray();
        var at = named.Select((index, row) => (index, row)).ToDictionary(p => p.index, p => p.row);
        using var shown = data.Gather(named, extra);
        var lists = found.Select(l => new NeighbourList(at[l.Query], [.. l.Neighbours.Select(j => at[j])], l.Cosine)).ToArray();
        var number = named.Select(i => i < data.Count ? i : -1).ToArray();                                 // -1: not in --data
        foreach (var list in lists)
        {
            Console.WriteLine($"{Name(shown, list.Query, number)}:");
            for (int r = 0; r < list.Neighbours.Length; r++)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r + 1,3}. {Name(shown, list.Neighbours[r], number)}  cosine {list.Cosine[r]:F4}"));
        }
        if (s.Csv is not null)
        {
            NeighbourTable.Write(s.Csv, shown, lists, number);
            Console.WriteLine($"wrote {s.Csv}");
        }
        if (s.Png is not null)
        {
            NeighbourGrid.Write(shown, lists, s.Png, number);
            Console.WriteLine($"wrote {s.Png}");
        }
        return 0;
    }

    /// <summary>"image INDEX" (its index in --data, <paramref name="number"/>), its file for image folders, and its class
    /// when labelled; an outside query (number -1) by its file.</summary>
    private static string Name(ImageDataset shown, int row, int[] number)
    {
        if (number[row] < 0) return $"{shown.Files![row]} (not in --data)";
        var index = number[row];
        var name = shown.Files is { } files && files[row].Length > 0 ? $"image {index} ({files[row]})" : $"image {index}";
        if (shown.Labels is not { } labels || labels[row] == ImageDataset.Unlabelled) return name;
        return name + " " + shown.ClassName(labels[row]);
    }
}
