using System.Text;
using ProtoCL.IO;

namespace ProtoCL.Reporting;

/// <summary>Writes a self-contained <c>index.html</c> (inline CSS, no scripts, images linked by relative file name).</summary>
public static class HtmlReport
{
    private const string Css = """
        body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; line-height: 1.45; }
        h1 { border-bottom: 2px solid #444; padding-bottom: .2em; }
        h2 { margin-top: 1.8em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; margin: .8em 0; font-size: .95em; }
        th, td { border: 1px solid #bbb; padding: .3em .7em; text-align: left; }
        th { background: #f0f0f0; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tbody tr:nth-child(even) { background: #fafafa; }
        figure { margin: 1.5em 0; }
        figure img { max-width: 100%; border: 1px solid #ddd; }
        figcaption { color: #555; font-size: .9em; margin-top: .3em; }
        """;

    /// <summary>
    /// Writes <c>index.html</c> into <paramref name="dir"/> (created if missing) and returns its path.
    /// Section bodies are inserted as given (pre-rendered HTML, e.g. from <see cref="HtmlTable.From"/>); the title,
    /// headings and captions are escaped; images are referenced by relative file name (URL-escaped path segments).
    /// </summary>
    /// <param name="dir">Report folder; the PNG files are expected in it (or below it).</param>
    /// <param name="title">Page title and top heading (plain text).</param>
    /// <param name="sections">(heading as plain text, body as HTML) in page order.</param>
    /// <param name="images">(caption as plain text, PNG path relative to <paramref name="dir"/>) shown after the sections.</param>
    public static string Write(string dir, string title, IReadOnlyList<(string heading, string html)> sections, IReadOnlyList<(string caption, string pngFileName)> images)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(images);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>").Append(HtmlTable.Escape(title)).Append("</title>\n")
          .Append("<style>\n").Append(Css).Append("\n</style>\n</head>\n<body>\n")
          .Append("<h1>").Append(HtmlTable.Escape(title)).Append("</h1>\n");
        foreach (var (heading, html) in sections)
        {
            sb.Append("<section>\n<h2>").Append(HtmlTable.Escape(heading)).Append("</h2>\n")
              .Append(html).Append("\n</section>\n");
        }
        if (images.Count > 0)
        {
            sb.Append("<section>\n<h2>Figures</h2>\n");
            foreach (var (caption, file) in images)
            {
                var src = string.Join('/', file.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
                sb.Append("<figure>\n<img src=\"").Append(HtmlTable.Escape(src)).Append("\" alt=\"")
                  .Append(HtmlTable.Escape(caption)).Append("\">\n<figcaption>")
                  .Append(HtmlTable.Escape(caption)).Append("</figcaption>\n</figure>\n");
            }
            sb.Append("</section>\n");
        }
        sb.Append("</body>\n</html>\n");
        var path = Path.Combine(dir, "index.html");
        AtomicFile.WriteAllText(path, sb.ToString());
        return path;
    }
}
