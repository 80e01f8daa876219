using SkiaSharp;

namespace ProtoCL.Reporting;

/// <summary>
/// Picks the font family used by every report image. SkiaSharp's dependency-free Linux build has no fontconfig and
/// scans the font folders itself; the first installed family of a short sans-serif list wins, otherwise Skia's
/// default family. No font file ships with the project (see docs/fonts.md).
/// </summary>
public static class ReportFonts
{
    private static readonly string[] Preferred =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "FreeSans", "Open Sans", "Roboto"];

    private static readonly Lazy<string> FamilyLazy = new(Resolve);

    /// <summary>The font family name used for titles, labels and legends.</summary>
    public static string Family => FamilyLazy.Value;

    /// <summary>True when the chosen family can draw Latin text (false on a machine without any font file).</summary>
    public static bool CanDrawText
    {
        get
        {
            using var typeface = Typeface();
            return typeface.GlyphCount > 0 && typeface.ContainsGlyphs("Aa0");
        }
    }

    /// <summary>A new typeface of <see cref="Family"/> (the caller disposes it).</summary>
    public static SKTypeface Typeface() => SKTypeface.FromFamilyName(Family) ?? SKTypeface.CreateDefault();

    /// <summary>A new bold typeface of <see cref="Family"/> (the caller disposes it); the regular one when the family has no bold face.</summary>
    public static SKTypeface BoldTypeface() =>
        SKTypeface.FromFamilyName(Family, SKFontStyle.Bold) ?? Typeface();

    /// <summary>Applies <see cref="Family"/> to every text element of a ScottPlot plot.</summary>
    internal static void Apply(ScottPlot.Plot plot) => plot.Font.Set(Family);

    private static string Resolve()
    {
        foreach (var name in Preferred)
        {
            using var typeface = SKFontManager.Default.MatchFamily(name);
            if (typeface is not null && typeface.GlyphCount > 0 && string.Equals(typeface.FamilyName, name, StringComparison.OrdinalIgnoreCase))
                return typeface.FamilyName;
        }
        using var fallback = SKTypeface.CreateDefault();
        return fallback.FamilyName;
    }
}
