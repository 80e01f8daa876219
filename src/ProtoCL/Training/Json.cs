using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProtoCL.Training;

/// <summary>The JSON settings of every file ProtoCL writes (config, metrics, results).</summary>
public static class JsonDefaults
{
    /// <summary>Indented, snake_case names, enums as lower-case strings, NaN allowed as named literals.</summary>
    public static readonly JsonSerializerOptions Indented = Make(true);

    /// <summary>Same, one line (metrics.jsonl).</summary>
    public static readonly JsonSerializerOptions Compact = Make(false);

    private static JsonSerializerOptions Make(bool indented) => new()
    {
        WriteIndented = indented,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };
}
