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
}
