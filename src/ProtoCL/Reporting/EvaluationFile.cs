using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProtoCL.Reporting;

/// <summary>One JSON written by <c>protocl eval</c> (or <see cref="Evaluation.EvaluationRunner"/>), read back for a report.</summary>
/// <param name="Path">Where it was read from.</param>
/// <param name="Protocol">knn, linear, lowshot, cluster or finetune.</param>
/// <param name="Checkpoint">The run folder or baseline it evaluated.</param>
/// <param name="Json">The whole document.</param>
public sealed record EvaluationFile(string Path, string Protocol, string Checkpoint, JsonObject Json)
{
    /// <summary>The protocols <c>protocl eval</c> writes.</summary>
    public static readonly string[] Protocols = ["knn", "linear", "lowshot", "cluster", "finetune"];

    /// <summary>Reads and checks one evaluation JSON; anything else is refused with a one-line message.</summary>
    public static EvaluationFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no such evaluation JSON: {path}");
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not valid JSON ({e.Message})"); }
        if (node is not JsonObject json || json["protocol"] is not JsonValue p || !p.TryGetValue<string>(out var protocol) || !Protocols.Contains(protocol))
            throw new InvalidDataException($"{path} is not a protocl eval JSON (it needs \"protocol\": one of {string.Join(", ", Protocols)})");
        var checkpoint = json["checkpoint"] is JsonValue c && c.TryGetValue<string>(out var s) ? s : "";
        var file = new EvaluationFile(path, protocol, checkpoint, json);
        if (protocol == "lowshot" && file.LowShot().Count == 0)
            throw new InvalidDataException($"{path} holds no low-shot results (\"results\" keyed by k)");
        if (protocol == "finetune" && file.FineTune().Count == 0)
            throw new InvalidDataException($"{path} holds no fine-tuning results (\"results\" keyed by percentage)");
        return file;
    }

    /// <summary>Low-shot accuracy per k: (mean, std) as fractions; empty for the other protocols.</summary>
    public IReadOnlyDictionary<int, (double Mean, double Std)> LowShot() => Numbers("accuracy_mean", "accuracy_std");

    /// <summary>Low-shot mAP per k: (mean, std) as fractions; empty for the other protocols.</summary>
    public IReadOnlyDictionary<int, (double Mean, double Std)> LowShotMap() => Numbers("map_mean", "map_std");

    /// <summary>Fine-tuning per percentage of labels, in ascending order: (percent, top-1, top-5 as fractions, labelled images);
    /// empty for the other protocols. Entries without a top-1 accuracy are skipped.</summary>
    public IReadOnlyList<(double Percent, double Top1, double Top5, int Labelled)> FineTune()
    {
        var result = new List<(double, double, double, int)>();
        if (Protocol != "finetune" || Json["results"] is not JsonObject results) return result;
        static double Number(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : double.NaN;
        foreach (var (key, value) in results)
            if (double.TryParse(key, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && value is JsonObject r && !double.IsNaN(Number(r["accuracy"])))
                result.Add((percent, Number(r["accuracy"]), Number(r["top5_accuracy"]), (int)(r["labelled_images"] is JsonValue l && l.TryGetValue<int>(out var li) ? li : 0)));
        return result.OrderBy(r => r.Item1).ToList();
    }

    /// <summary>A number at the top level of the document (e.g. accuracy, ami), or NaN when absent.</summary>
    public double Get(string name) => Json[name] is JsonValue v && v.TryGetValue<double>(out var d) ? d : double.NaN;

    /// <summary>A string at the top level of the document (e.g. test_note, levels_note), or null when absent.</summary>
    public string? Text(string name) => Json[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>
    /// The cluster evaluation's <c>levels</c>: for each PCL level K of the run's last E-step, the AMI and NMI of its
    /// assignments against the training labels, in the file's order; empty for the other protocols, for baselines and for
    /// runs without an E-step (<c>levels_note</c> then says why, see <see cref="Text"/>). Entries without a K are skipped.
    /// </summary>
    public IReadOnlyList<(int K, double Ami, double Nmi)> Levels()
    {
        var result = new List<(int, double, double)>();
        if (Protocol != "cluster" || Json["levels"] is not JsonArray levels) return result;
        static double Number(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : double.NaN;
        foreach (var level in levels.OfType<JsonObject>())
            if (level["k"] is JsonValue k && k.TryGetValue<int>(out var kk))
                result.Add((kk, Number(level["ami"]), Number(level["nmi"])));
        return result;
    }

    /// <summary>How the report names the evaluated checkpoint: its folder name, or the baseline's name (raw, random).</summary>
    public string CheckpointName => Checkpoint switch
    {
        "" => System.IO.Path.GetFileNameWithoutExtension(Path),
        "raw" => "raw",
        _ when Checkpoint.StartsWith("random", StringComparison.Ordinal) => "random",
        _ => System.IO.Path.GetFileName(Checkpoint.TrimEnd('/', '\\')) is { Length: > 0 } name ? name : Checkpoint,
    };

    private SortedDictionary<int, (double, double)> Numbers(string mean, string std)
    {
        var result = new SortedDictionary<int, (double, double)>();
        if (Protocol != "lowshot" || Json["results"] is not JsonObject results) return result;
        foreach (var (key, value) in results)
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1 || value is not JsonObject r) continue;
            if (r[mean] is JsonValue m && m.TryGetValue<double>(out var md))
                result[k] = (md, r[std] is JsonValue s && s.TryGetValue<double>(out var sd) ? sd : double.NaN);
        }
        return result;
    }
}
