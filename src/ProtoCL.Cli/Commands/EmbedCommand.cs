using System.ComponentModel;
using ProtoCL.Cli.Terminal;
using ProtoCL.Evaluation;
using ProtoCL.IO;
using ProtoCL.Training;
using Spectre.Console.Cli;

namespace ProtoCL.Cli.Commands;

public sealed class EmbedSettings : DataSettings
{
    [CommandOption("--checkpoint <DIR>")] [Description("Run folder (or raw / random). Required.")] public string Checkpoint { get; set; } = "";
    [CommandOption("--out <FILE.npy>")] [Description("Output .npy file (float32, N x d). Required.")] public string Out { get; set; } = "";
    [CommandOption("--kind <KIND>")] [Description("backbone (default: pooled features used by the evaluations) or embedding (L2-normalised head output).")] public string Kind { get; set; } = "backbone";
    [CommandOption("--seed <N>")] [Description("Seed for --checkpoint random.")] public int Seed { get; set; }
    [CommandOption("--csv <FILE>")] [Description("Also write which image each row is: index,file,label per row.")] public string? Csv { get; set; }
    [CommandOption("--force")] [Description("Replace existing --out / --csv files.")] public bool Force { get; set; }

    public override Spectre.Console.ValidationResult Validate()
    {
        if (Checkpoint.Length == 0) return Spectre.Console.ValidationResult.Error("--checkpoint is required");
        if (Out.Length == 0) return Spectre.Console.ValidationResult.Error("--out FILE.npy is required");
        if (Kind is not ("backbone" or "embedding")) return Spectre.Console.ValidationResult.Error($"--kind must be backbone or embedding (got '{Kind}')");
        return base.Validate();
    }
}

/// <summary><c>protocl embed</c>: features of a dataset under a checkpoint, as numpy .npy.</summary>
public sealed class EmbedCommand : Command<EmbedSettings>
{
    public override int Execute(CommandContext context, EmbedSettings s, CancellationToken cancellationToken)
    {
        OutputFile.ThrowIfTaken(s.Force, s.Out, s.Csv);
        using var data = s.LoadFor(s.Checkpoint);
        using var features = Features(s.Checkpoint, s.Kind, data, s.Seed); // [N, d]
        Npy.Write(s.Out, features);
        Console.WriteLine($"wrote {s.Out}: {features.shape[0]} x {features.shape[1]} float32");
        if (s.Csv is not null)
        {
            AtomicFile.WriteAllText(s.Csv, ImageIndexTable.Csv(data));
            Console.WriteLine($"wrote {s.Csv}: which image each row is (index,file,label)");
        }
        return 0;
    }

    /// <summary>
    /// Features [N, d] of <paramref name="data"/>, with a progress bar: the backbone's (<c>backbone</c>; raw and random
    /// allowed) or the head's L2-normalised embedding (<c>embedding</c>; a run folder only). <paramref name="statistics"/>
    /// normalises the input of <c>random</c> (default: <paramref name="data"/> itself).
    /// </summary>
    internal static TorchSharp.torch.Tensor Features(string checkpoint, string kind, Data.ImageDataset data, int seed, Data.ImageDataset? statistics = null)
    {
        if (kind != "embedding")
            return ConsoleProgress.Run(o => FeatureSource.Extract(checkpoint, data, seed, (d, t) => o.Progress("features", d, t), statistics));
        if (checkpoint is "raw" or "random" || checkpoint.StartsWith("random:", StringComparison.Ordinal)) // FeatureSource's baselines
            throw new UserError($"--kind embedding needs a run folder: {checkpoint} has no projection head (use --kind backbone)");
        var (encoder, meta) = FeatureSource.LoadCheckpoint(checkpoint);
        using (encoder)
        {
            meta.ThrowIfOtherImages(data);
            return ConsoleProgress.Run(o => FeatureExtractor.Extract(encoder, data, new Augmentation.BatchAugmenter(new(), meta.ChannelMean, meta.ChannelStd),
                FeatureKind.Embedding, 512, (d, t) => o.Progress("embedding", d, t)));
        }
    }
}
