using System.ComponentModel;
using System.Globalization;
using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.Reporting;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

public sealed class NeighboursSettings : DataSettings
{
    [CommandOption("--checkpoint <DIR>")] [Description("Run folder (or raw / random).")] public string Checkpoint { get; set; } = "";
    [CommandOption("--query <IMAGE>")] [Description("An image of --data (its index, or for image folders its path or file name), or any other image file, looked up among --data's images. Repeat for several.")] public string[] Queries { get; set; } = [];
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
        foreach (var file in new[] { s.Csv, s.Png })
            if (file is not null && File.Exists(file) && !s.Force) throw new UserError($"{file} exists; pass --force to replace it");
        using var data = DataSettings.Load(s.Data, s.LoadOptions);
        // Before the features, so a wrong name fails at once: images of --data by index or name, other files read as --data's are.
        var outside = new List<string>();
        var queries = s.Queries.Select(q =>
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
            catch (ArgumentException e) when (!int.TryParse(q, out _))
            {
                throw new UserError($"{e.Message}; nor is '{q}' an image file (no such file)");
            }
        }).ToArray();
        using var extra = outside.Count > 0 ? ImageFolderReader.ReadFilesLike(outside, data) : null;
        using var combined = extra is null ? null : data.Append(extra);
        var all = combined ?? data;                                                     // --data's images, then the outside queries
        using var features = EmbedCommand.Features(s.Checkpoint, s.Kind, all, s.Seed, statistics: data); // [N + Q, d]
        var lists = NearestNeighbours.Find(features, queries, s.K, searched: data.Count);
        foreach (var list in lists)
        {
            Console.WriteLine($"{Name(all, list.Query, data.Count)}:");
            for (int r = 0; r < list.Neighbours.Length; r++)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r + 1,3}. {Name(all, list.Neighbours[r], data.Count)}  cosine {list.Cosine[r]:F4}"));
        }
        if (s.Csv is not null)
        {
            NeighbourTable.Write(s.Csv, all, lists, searched: data.Count);
            Console.WriteLine($"wrote {s.Csv}");
        }
        if (s.Png is not null)
        {
            NeighbourGrid.Write(all, lists, s.Png);
            Console.WriteLine($"wrote {s.Png}");
        }
        return 0;
    }

    /// <summary>"image INDEX", its file for image folders, and its class when labelled; an outside query by its file.</summary>
    private static string Name(ImageDataset data, int i, int searched)
    {
        if (i >= searched) return $"{data.Files![i]} (not in --data)";
        var name = data.Files is { } files && files[i].Length > 0 ? $"image {i} ({files[i]})" : $"image {i}";
        if (data.Labels is not { } labels || labels[i] == ImageDataset.Unlabelled) return name;
        return name + " " + data.ClassName(labels[i]);
    }
}
