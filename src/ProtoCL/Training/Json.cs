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
        Converters = { new ArchitectureConverter(), new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>
    /// Architectures as the CLI spells them ("resnet18", "resnet50"), so a value copied from a config works as --arch. Files
    /// written before read "res-net18" (the kebab-case policy splits "ResNet"): both spellings are read.
    /// </summary>
    private sealed class ArchitectureConverter : JsonConverter<ProtoCL.Model.Architecture>
    {
        public override ProtoCL.Model.Architecture Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return text?.Replace("-", "").ToLowerInvariant() switch
            {
                "resnet18" => ProtoCL.Model.Architecture.ResNet18,
                "resnet50" => ProtoCL.Model.Architecture.ResNet50,
                _ => throw new JsonException($"unknown architecture '{text}' (resnet18 or resnet50)"),
            };
        }

        public override void Write(Utf8JsonWriter writer, ProtoCL.Model.Architecture value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value switch
            {
                ProtoCL.Model.Architecture.ResNet18 => "resnet18",
                ProtoCL.Model.Architecture.ResNet50 => "resnet50",
                _ => throw new JsonException($"unknown architecture {value}"),
            });
    }
}
