using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ProtoCL.Reporting;

/// <summary>Builds HTML tables from plain text cells (every cell and header is HTML-escaped).</summary>
public static class HtmlTable
{
    /// <summary>
    /// An HTML &lt;table&gt; with a header row and one row per entry of <paramref name="rows"/>. Cells that are numbers
    /// ("0.75", "10,000", "-1e-3") or a mean and spread ("41.3 ± 3.1") get class "num" (right-aligned by
    /// <see cref="HtmlReport"/>'s style sheet). Short rows are padded with empty cells.
    /// </summary>
    public static string From(string[] header, IEnumerable<string[]> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder("<table>\n<thead><tr>");
        foreach (var h in header) sb.Append("<th>").Append(Escape(h)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            int cells = Math.Max(row.Length, header.Length);
            for (int i = 0; i < cells; i++)
            {
                var cell = i < row.Length ? row[i] ?? "" : "";
                bool numeric = IsNumber(cell) || cell.Split(" ± ") is [var mean, var spread] && IsNumber(mean) && IsNumber(spread);
                sb.Append(numeric ? "<td class=\"num\">" : "<td>").Append(Escape(cell)).Append("</td>");
            }
            sb.Append("</tr>\n");
        }
        return sb.Append("</tbody>\n</table>").ToString();
    }

    private static bool IsNumber(string cell) =>
        double.TryParse(cell, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _);

    /// <summary>
    /// A two-column table (setting, value) of a JSON object such as a run's config.json, one row per entry of
    /// <see cref="Flatten"/>. Names and values are HTML-escaped.
    /// </summary>
    /// <param name="settings">The object to show.</param>
    /// <param name="leaveOut">Names (top-level or dotted, e.g. "method" or "encoder.dim") whose rows are left out.</param>
    public static string Settings(JsonObject settings, IEnumerable<string>? leaveOut = null)
    {
        var sb = new StringBuilder("<table class=\"settings\">\n<thead><tr><th>setting</th><th>value</th></tr></thead>\n<tbody>\n");
        foreach (var (name, value) in Flatten(settings, leaveOut))
            sb.Append("<tr><td>").Append(Escape(name)).Append("</td><td>").Append(Escape(value)).Append("</td></tr>\n");
        return sb.Append("</tbody>\n</table>").ToString();
    }

    /// <summary>
    /// A JSON object's values as (name, value) text pairs, in the object's order: nested objects are flattened to dotted
    /// names ("encoder.arch"), arrays of plain values are joined with ", ", null shows as "(not set)", strings show
    /// without quotes.
    /// </summary>
    /// <param name="settings">The object to flatten.</param>
    /// <param name="leaveOut">Names (top-level or dotted) left out, with everything below them.</param>
    public static IReadOnlyList<(string Name, string Value)> Flatten(JsonObject settings, IEnumerable<string>? leaveOut = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var skip = new HashSet<string>(leaveOut ?? [], StringComparer.Ordinal);
        var rows = new List<(string, string)>();
        void Add(string name, JsonNode? node)
        {
            if (skip.Contains(name)) return;
            if (node is JsonObject o)
                foreach (var (key, value) in o) Add(name.Length == 0 ? key : $"{name}.{key}", value);
            else
                rows.Add((name, Plain(node)));
        }
        Add("", settings);
        return rows;
    }

    /// <summary>A JSON value as a reader wants it: strings unquoted, null as "(not set)", arrays of plain values joined with ", ".</summary>
    private static string Plain(JsonNode? node) => node switch
    {
        null => "(not set)",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray a when a.All(e => e is null or JsonValue) => a.Count == 0 ? "(none)" : string.Join(", ", a.Select(Plain)),
        _ => node.ToJsonString(),
    };

    /// <summary>Escapes text for use in HTML content or a quoted attribute (&lt; &gt; &amp; " ').</summary>
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");
}
