using ProtoCL.Reporting;
using SkiaSharp;

namespace ProtoCL.Tests.Reporting;

public class ImageGridTests
{
    /// <summary>A monospace measure: every character is one unit wide, so fits can be worked out by counting.</summary>
    private static float Chars(string s) => s.Length;

    [Fact]
    public void Should_KeepTheDistinguishingEnd_When_ShorteningFileNamesThatShareTheirStart()
    {
        // 23 characters, 16 fit: keep t = 15 of them, ⌊15 / 3⌋ = 5 from the start and 10 from the end around "…".
        Assert.Equal("IMG_2…123401.png", ImageGrid.FitMiddle("IMG_20240101_123401.png", Chars, 16));
        Assert.Equal("IMG_2…123402.png", ImageGrid.FitMiddle("IMG_20240101_123402.png", Chars, 16));
        // 25 characters: again 5 from the start ("a-ver") and 10 from the end ("e-name.png").
        Assert.Equal("a-ver…e-name.png", ImageGrid.FitMiddle("a-very-long-file-name.png", Chars, 16));
    }

    [Fact]
    public void Should_ShortenOnlyWhatDoesNotFit_When_FittingText()
    {
        Assert.Equal("cat.png", ImageGrid.FitMiddle("cat.png", Chars, 16));     // fits: unchanged
        Assert.Equal("cat.png", ImageGrid.FitMiddle("cat.png", Chars, 7));      // exactly fits
        Assert.Equal("c…png", ImageGrid.FitMiddle("cat.png", Chars, 5));        // t = 4: 1 from the start, 3 from the end
        Assert.Equal("…g", ImageGrid.FitMiddle("cat.png", Chars, 2));           // t = 1: 0 from the start, 1 from the end
        Assert.Equal("…", ImageGrid.FitMiddle("cat.png", Chars, 1));
        Assert.Equal("", ImageGrid.FitMiddle("cat.png", Chars, 0.5f));          // not even "…" fits
    }

    [Fact]
    public void Should_FitTheLabelColumn_When_MeasuringWithTheReportFont()
    {
        using var typeface = ReportFonts.Typeface();
        using var font = new SKFont(typeface, 13);
        const string name = "IMG_20240101_123401_a_rather_long_holiday_photo.png";

        var fitted = ImageGrid.FitMiddle(name, s => font.MeasureText(s), ImageGrid.LabelWidth - 2 * ImageGrid.Padding);

        Assert.True(font.MeasureText(fitted) <= ImageGrid.LabelWidth - 2 * ImageGrid.Padding);
        Assert.EndsWith("photo.png", fitted);   // the end survives
        Assert.Contains("…", fitted);
    }

    [Fact]
    public void Should_BreakAtSpaces_When_WrappingATitle()
    {
        Assert.Equal(["the quick", "brown fox"], ImageGrid.Wrap("the quick brown fox", Chars, 10));
        Assert.Equal(["the quick brown fox"], ImageGrid.Wrap("the quick brown fox", Chars, 19));
        // A word longer than a line is shortened in the middle: t = 5 → "a", "…", "ijkl".
        Assert.Equal(["to", "a…ijkl", "ok"], ImageGrid.Wrap("to abcdefghijkl ok", Chars, 6));
        Assert.Empty(ImageGrid.Wrap("   ", Chars, 6));
    }
}
