using System.Text.Json.Nodes;
using ProtoCL.Tests.Data;
using ProtoCL.Reporting;

namespace ProtoCL.Tests.Reporting;

public class HtmlReportTests
{
    [Fact]
    public void Should_EscapeMarkup_When_BuildingTable()
    {
        var html = HtmlTable.From(["method", "a<b & c>d"], [["x&y", "0.75"], ["<script>", ">"]]);

        Assert.Contains("<th>a&lt;b &amp; c&gt;d</th>", html);
        Assert.Contains("<td>x&amp;y</td>", html);
        Assert.Contains("<td class=\"num\">0.75</td>", html);
        Assert.Contains("<td>&lt;script&gt;</td>", html);
        Assert.Contains("<td>&gt;</td>", html);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("a<b", html);
    }

    [Fact]
    public void Should_WriteSelfContainedIndex_When_GivenSectionsAndImages()
    {
        using var dir = new TempFolder();
        var table = HtmlTable.From(["k", "accuracy"], [["1", "0.41"]]);

        var path = HtmlReport.Write(dir.Path, "PCL <run> & co",
            [("Low-shot <accuracy>", table), ("Notes", "<p>raw <b>html</b></p>")],
            [("Loss & accuracy", "curves.png"), ("t-SNE", "maps/t sne.png")]);

        Assert.Equal(Path.Combine(dir.Path, "index.html"), path);
        var html = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>PCL &lt;run&gt; &amp; co</title>", html);
        Assert.Contains("<h2>Low-shot &lt;accuracy&gt;</h2>", html);
        Assert.Contains(table, html);
        Assert.Contains("<p>raw <b>html</b></p>", html);
        Assert.Contains("<img src=\"curves.png\"", html);
        Assert.Contains("<img src=\"maps/t%20sne.png\"", html);
        Assert.Contains("<figcaption>Loss &amp; accuracy</figcaption>", html);
        Assert.Contains("<style>", html);
        Assert.DoesNotContain("http", html);
    }

    [Fact]
    public void Should_RightAlignNumbersWithThousandsSeparatorsAndSpreads_When_BuildingTable()
    {
        var html = HtmlTable.From(["a", "b", "c", "d"], [["10,000", "41.3 ± 3.1", "± 3", "k = 1"]]);

        Assert.Contains("<td class=\"num\">10,000</td>", html);
        Assert.Contains("<td class=\"num\">41.3 &#177; 3.1</td>", html);
        Assert.Contains("<td>&#177; 3</td>", html);
        Assert.Contains("<td>k = 1</td>", html);
    }

    [Fact]
    public void Should_PlaceNoFiguresSection_When_TheFiguresGoInsideTheSections()
    {
        using var dir = new TempFolder();

        var html = File.ReadAllText(HtmlReport.Write(dir.Path, "run", [("Epochs", "<p>table</p>" + HtmlReport.Figure("curves", "curves.png"))]));

        Assert.DoesNotContain("<h2>Figures</h2>", html);
        Assert.Contains("<h2>Epochs</h2>\n<p>table</p><figure>\n<img src=\"curves.png\" alt=\"curves\">\n<figcaption>curves</figcaption>\n</figure>", html);
    }

    [Fact]
    public void Should_EscapeCaptionAndFileName_When_MakingAFigure()
    {
        var html = HtmlReport.Figure("K < 5 & \"big\"", "a b&\"c<.png");

        Assert.Equal("<figure>\n<img src=\"a%20b%26%22c%3C.png\" alt=\"K &lt; 5 &amp; &quot;big&quot;\">\n" +
                     "<figcaption>K &lt; 5 &amp; &quot;big&quot;</figcaption>\n</figure>\n", html);
    }

    [Fact]
    public void Should_RenderParagraphsListsBoldAndCode_When_GivenNotesMarkdown()
    {
        const string notes = """
            First paragraph with **bold** and `code`,
            on two lines.

            - **The budget.** ResNet-18, `--mlp`; tau < 0.5 & "quoted"
              continued on an indented line.
            - second item

              its second paragraph, indented.
            - `a **not bold** <b>` and **a `code` inside bold**

            1. one
            2. two

            ## A heading
            Closing text with a lone ** and a lone ` backtick.
            """;

        var html = HtmlReport.Markdown(notes);

        Assert.Equal("""
            <p>First paragraph with <strong>bold</strong> and <code>code</code>,
            on two lines.</p>
            <ul>
            <li><strong>The budget.</strong> ResNet-18, <code>--mlp</code>; tau &lt; 0.5 &amp; &quot;quoted&quot;
            continued on an indented line.</li>
            <li><p>second item</p><p>its second paragraph, indented.</p></li>
            <li><code>a **not bold** &lt;b&gt;</code> and <strong>a <code>code</code> inside bold</strong></li>
            </ul>
            <ol>
            <li>one</li>
            <li>two</li>
            </ol>
            <h4>A heading</h4>
            <p>Closing text with a lone ** and a lone ` backtick.</p>
            """.Replace("\r\n", "\n"), html);
    }

    [Fact]
    public void Should_EndTheListAtAnUnindentedParagraph_When_RenderingMarkdown()
    {
        var html = HtmlReport.Markdown("- item\n\nAfter the list.\n* star item\n+ plus item\n");

        Assert.Equal("<ul>\n<li>item</li>\n</ul>\n<p>After the list.</p>\n<ul>\n<li>star item</li>\n<li>plus item</li>\n</ul>", html);
    }

    [Fact]
    public void Should_ShowSettingsAsNameValueRows_When_GivenAConfigObject()
    {
        var config = JsonNode.Parse("""
            {"method": "pcl", "clusters": [5, 10], "limit": null, "symmetric": false, "lr": 0.06,
             "encoder": {"arch": "res-net18", "width": 16}, "data": "dir/<a & \"b\">", "empty": []}
            """)!.AsObject();

        Assert.Equal(
            [("method", "pcl"), ("clusters", "5, 10"), ("limit", "(not set)"), ("symmetric", "false"), ("lr", "0.06"),
             ("encoder.arch", "res-net18"), ("encoder.width", "16"), ("data", "dir/<a & \"b\">"), ("empty", "(none)")],
            HtmlTable.Flatten(config));
        Assert.Equal([("clusters", "5, 10"), ("encoder.arch", "res-net18")],
            HtmlTable.Flatten(config, ["method", "limit", "symmetric", "lr", "encoder.width", "data", "empty"]));
        var html = HtmlTable.Settings(config, ["method"]);
        Assert.StartsWith("<table class=\"settings\">\n<thead><tr><th>setting</th><th>value</th></tr></thead>", html);
        Assert.Contains("<tr><td>encoder.arch</td><td>res-net18</td></tr>", html);
        Assert.Contains("<tr><td>data</td><td>dir/&lt;a &amp; &quot;b&quot;&gt;</td></tr>", html);
        Assert.DoesNotContain("<td>method</td>", html);
    }
}
