using System.Globalization;
using System.Text.Json;

namespace ProtoCL.Reporting;

/// <summary>Reads the per-epoch training log <c>metrics.jsonl</c> (one JSON object per line).</summary>
public static class MetricsLog
{
    /// <summary>
    /// Parses every line of <paramref name="metricsJsonlPath"/> into <see cref="MetricsLine"/>, in file order.
    /// Unknown keys are ignored; <c>loss_proto</c> and <c>acc_proto</c> may be null or absent; numbers may also be
    /// given as strings ("NaN", "Infinity"). Blank lines are skipped. A final line without a trailing newline that
    /// does not parse is taken as an append cut short by a running job and skipped; any other bad line throws
    /// <see cref="InvalidDataException"/> naming the line.
    /// </summary>
    public static IReadOnlyList<MetricsLine> Read(string metricsJsonlPath)
    {
        var text = File.ReadAllText(metricsJsonlPath);
        var lines = text.Split('\n');
        bool endsWithNewline = text.EndsWith('\n');
        var result = new List<MetricsLine>();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            bool lastUnterminated = i == lines.Length - 1 && !endsWithNewline;
            try
            {
                result.Add(ParseLine(line));
            }
            catch (JsonException) when (lastUnterminated)
            {
                // A partially written last line: the epoch is not finished from the reader's point of view.
            }
            catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{metricsJsonlPath}:{i + 1}: {e.Message}", e);
            }
        }
        return result;
    }

    /// <summary>Parses one JSON object line.</summary>
    internal static MetricsLine ParseLine(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var o = doc.RootElement;
        if (o.ValueKind != JsonValueKind.Object) throw new FormatException("line is not a JSON object");
        return new MetricsLine(
            Epoch: Required(o, "epoch").GetInt32(),
            Loss: Number(Required(o, "loss")),
            LossInstance: Number(Required(o, "loss_instance")),
            LossProto: Optional(o, "loss_proto"),
            AccInstance: Number(Required(o, "acc_instance")),
            AccProto: Optional(o, "acc_proto"),
            Lr: Number(Required(o, "lr")),
            ImagesPerSecond: Number(Required(o, "images_per_second")),
            SecondsTrain: Number(Required(o, "seconds_train")),
            SecondsEstep: Number(Required(o, "seconds_estep")));
    }

    private static JsonElement Required(JsonElement o, string key) =>
        o.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null
            ? v
            : throw new KeyNotFoundException($"missing or null key '{key}'");

    private static double? Optional(JsonElement o, string key) =>
        o.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? Number(v) : null;

    private static double Number(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.String => double.Parse(v.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"expected a number, got {v.ValueKind}"),
    };
}
