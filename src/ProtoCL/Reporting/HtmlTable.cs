using System.Globalization;
using System.Net;
using System.Text;

namespace ProtoCL.Reporting;

/// <summary>Builds HTML tables from plain text cells (every cell and header is HTML-escaped).</summary>
public static class HtmlTable
{
    /// <summary>
    /// An HTML &lt;table&gt; with a header row and one row per entry of <paramref name="rows"/>. Cells that parse as
    /// numbers get class "num" (right-aligned by <see cref="HtmlReport"/>'s style sheet). Short rows are padded with empty cells.
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
                bool numeric = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
                sb.Append(numeric ? "<td class=\"num\">" : "<td>").Append(Escape(cell)).Append("</td>");
            }
            sb.Append("</tr>\n");
        }
        return sb.Append("</tbody>\n</table>").ToString();
    }

    /// <summary>Escapes text for use in HTML content or a quoted attribute (&lt; &gt; &amp; " ').</summary>
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");
}
