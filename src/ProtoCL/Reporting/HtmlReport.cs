using System.Text;
using System.Text.RegularExpressions;
using ProtoCL.IO;

namespace ProtoCL.Reporting;

/// <summary>Writes a self-contained <c>index.html</c> (inline CSS, no scripts, images linked by relative file name).</summary>
public static partial class HtmlReport
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
        table.settings td:first-child { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: .9em; }
        figure { margin: 1.5em 0; }
        figure img { max-width: 100%; border: 1px solid #ddd; }
        figcaption { color: #555; font-size: .9em; margin-top: .3em; }
        p.legend { color: #444; font-size: .9em; }
        p.note { background: #fff6dd; border-left: 4px solid #e0a800; padding: .4em .8em; }
        code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: .9em; background: #f3f3f3; padding: 0 .2em; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; }
        details summary { cursor: pointer; color: #444; }
        """;

    /// <summary>
    /// Writes <c>index.html</c> into <paramref name="dir"/> (created if missing) and returns its path.
    /// Section bodies are inserted as given (pre-rendered HTML, e.g. from <see cref="HtmlTable.From"/>, with figures from
    /// <see cref="Figure"/> placed beside the numbers they show); the title and headings are escaped.
    /// </summary>
    /// <param name="dir">Report folder; the PNG files are expected in it (or below it).</param>
    /// <param name="title">Page title and top heading (plain text).</param>
    /// <param name="sections">(heading as plain text, body as HTML) in page order.</param>
    /// <param name="images">(caption as plain text, PNG path relative to <paramref name="dir"/>) shown in a last "Figures"
    /// section, for pictures that belong to no section; none when null or empty.</param>
    public static string Write(string dir, string title, IReadOnlyList<(string heading, string html)> sections, IReadOnlyList<(string caption, string pngFileName)>? images = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(sections);
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
        if (images is { Count: > 0 })
        {
            sb.Append("<section>\n<h2>Figures</h2>\n");
            foreach (var (caption, file) in images) sb.Append(Figure(caption, file));
            sb.Append("</section>\n");
        }
        sb.Append("</body>\n</html>\n");
        var path = Path.Combine(dir, "index.html");
        AtomicFile.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>
    /// A &lt;figure&gt; showing <paramref name="pngFileName"/> (a path relative to the report folder, its segments
    /// URL-escaped) with <paramref name="caption"/> (plain text, escaped) as its caption and alternative text.
    /// </summary>
    /// <param name="caption">What the picture shows, as plain text.</param>
    /// <param name="pngFileName">The picture's path relative to the folder of <c>index.html</c>.</param>
    public static string Figure(string caption, string pngFileName)
    {
        ArgumentNullException.ThrowIfNull(pngFileName);
        var src = string.Join('/', pngFileName.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
        return $"<figure>\n<img src=\"{HtmlTable.Escape(src)}\" alt=\"{HtmlTable.Escape(caption)}\">\n<figcaption>{HtmlTable.Escape(caption)}</figcaption>\n</figure>\n";
    }

    /// <summary>
    /// The small Markdown subset hand-written notes use, as HTML: paragraphs (separated by blank lines), bullet lists
    /// ("- ", "* " or "+ " items; an item's further lines continue it) and numbered lists ("1. "), headings ("#" to "###",
    /// shown one level below the page's section headings), <c>**bold**</c> and <c>`code`</c>. Everything else is text:
    /// every character is HTML-escaped, and a marker without its closing partner stays as written.
    /// </summary>
    /// <param name="markdown">The Markdown text.</param>
    public static string Markdown(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var sb = new StringBuilder();
        string? list = null;               // "ul" or "ol" while a list is open
        var block = new List<string>();    // lines of the open paragraph or list item; "" parts an item's paragraphs
        bool blank = false;                // a blank line inside an open list item, not yet followed by anything
        void FlushBlock()
        {
            if (block.Count > 0)
            {
                var paragraphs = string.Join("\n", block).Split("\n\n").Select(Inline).ToArray();
                sb.Append(list is null ? $"<p>{paragraphs[0]}</p>\n"
                    : paragraphs.Length == 1 ? $"<li>{paragraphs[0]}</li>\n"
                    : $"<li>{string.Concat(paragraphs.Select(p => $"<p>{p}</p>"))}</li>\n");
            }
            block.Clear();
            blank = false;
        }
        void CloseList()
        {
            FlushBlock();
            if (list is not null) sb.Append($"</{list}>\n");
            list = null;
        }
        foreach (var raw in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0)
            {
                if (list is not null && block.Count > 0) blank = true; // the item goes on if an indented line follows
                else FlushBlock();
                continue;
            }
            if (HeadingLine().Match(line) is { Success: true } h)
            {
                CloseList();
                int level = h.Groups[1].Length + 2;
                sb.Append($"<h{level}>{Inline(h.Groups[2].Value)}</h{level}>\n");
                continue;
            }
            var bullet = BulletLine().Match(line);
            var numbered = bullet.Success ? Match.Empty : NumberedLine().Match(line);
            if (bullet.Success || numbered.Success)
            {
                var kind = bullet.Success ? "ul" : "ol";
                if (list != kind) { CloseList(); sb.Append($"<{kind}>\n"); list = kind; }
                FlushBlock();
                block.Add((bullet.Success ? bullet : numbered).Groups[1].Value);
                continue;
            }
            if (blank)
            {
                if (char.IsWhiteSpace(line[0])) block.Add(""); // an indented paragraph of the same item
                else CloseList();                              // text after the list: a paragraph of its own
                blank = false;
            }
            else if (list is not null && block.Count == 0) CloseList();
            block.Add(line.Trim());
        }
        CloseList();
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>One line or block of Markdown text as HTML: <c>`code`</c> and <c>**bold**</c>, everything else escaped.</summary>
    private static string Inline(string text)
    {
        // Code spans first, so that ** inside them stays literal; they come back escaped, after the bold markers are read.
        text = text.Replace('\uE000', '\uFFFD').Replace('\uE001', '\uFFFD'); // the marks below stand for code spans
        var codes = new List<string>();
        var sb = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            int open = text.IndexOf('`', i);
            int close = open < 0 ? -1 : text.IndexOf('`', open + 1);
            if (close < 0)
            {
                sb.Append(HtmlTable.Escape(text[i..]));
                break;
            }
            sb.Append(HtmlTable.Escape(text[i..open])).Append('\uE000').Append(codes.Count).Append('\uE001');
            codes.Add(text[(open + 1)..close]);
            i = close + 1;
        }
        var html = BoldSpan().Replace(sb.ToString(), "<strong>$1</strong>");
        return CodeToken().Replace(html, m => $"<code>{HtmlTable.Escape(codes[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)])}</code>");
    }

    [GeneratedRegex(@"^(#{1,3})\s+(.+?)\s*#*$")]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"^ {0,3}[-*+]\s+(.*)$")]
    private static partial Regex BulletLine();

    [GeneratedRegex(@"^ {0,3}\d{1,9}[.)]\s+(.*)$")]
    private static partial Regex NumberedLine();

    [GeneratedRegex(@"\*\*(?=\S)(.+?)(?<=\S)\*\*", RegexOptions.Singleline)]
    private static partial Regex BoldSpan();

    [GeneratedRegex("\uE000(\\d+)\uE001")]
    private static partial Regex CodeToken();
}
