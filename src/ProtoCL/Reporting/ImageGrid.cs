using ProtoCL.Data;
using ProtoCL.IO;
using SkiaSharp;
using static TorchSharp.torch;

namespace ProtoCL.Reporting;

/// <summary>A small vector mark drawn beside a colour, so that the meaning does not rest on the colour alone.</summary>
internal enum CellMark
{
    /// <summary>No mark.</summary>
    None,
    /// <summary>A tick (✓).</summary>
    Check,
    /// <summary>A cross (✗).</summary>
    Cross,
}

/// <summary>Text in a strip under one image of an <see cref="ImageGrid"/>, with an optional mark before it.</summary>
/// <param name="Text">The text (short: it is centred under the cell and shortened to fit it).</param>
/// <param name="Colour">Colour of the text and of the mark.</param>
/// <param name="Mark">The mark drawn before the text.</param>
internal sealed record CellNote(string Text, SKColor Colour, CellMark Mark = CellMark.None);

/// <summary>One entry of an <see cref="ImageGrid"/>'s key: a sample frame (and mark) when given, then the text.</summary>
/// <param name="Text">What the frame or mark means.</param>
/// <param name="Frame">Colour of the sample frame, or null for a text-only entry.</param>
/// <param name="Mark">A mark drawn after the sample frame, as under the images.</param>
internal sealed record KeyItem(string Text, SKColor? Frame = null, CellMark Mark = CellMark.None);

/// <summary>The text around an <see cref="ImageGrid"/>: title lines above it, column headings, a key below it.</summary>
internal sealed record ImageGridText
{
    /// <summary>Title lines, each wrapped at word boundaries to the picture's width; the first is drawn bold.</summary>
    public IReadOnlyList<string> Title { get; init; } = [];

    /// <summary>A heading centred above each image column (null: no heading band).</summary>
    public IReadOnlyList<string>? ColumnHeadings { get; init; }

    /// <summary>Entries of the key below the grid, laid out left to right and wrapped to the picture's width.</summary>
    public IReadOnlyList<KeyItem> Key { get; init; } = [];
}

/// <summary>One row of an <see cref="ImageGrid"/>: caption lines, the dataset images shown, an optional frame colour and note per image.</summary>
/// <param name="Caption">Lines written in the label column (up to three fit a row); each line is shortened in the middle
/// (keeping more of its end, where file names differ) to fit the column.</param>
/// <param name="Samples">Dataset indices, left to right.</param>
/// <param name="Frames">A frame colour per sample (null entries or a null array: no frame).</param>
/// <param name="Notes">A note under each sample (null entries or a null array: none; any note in the grid adds a strip under every row).</param>
internal sealed record ImageGridRow(string[] Caption, int[] Samples, SKColor?[]? Frames = null, CellNote?[]? Notes = null);

/// <summary>
/// Draws rows of dataset images behind a label column, each image upscaled with nearest-neighbour sampling by
/// <see cref="UpscaleFactor"/>, with optional title lines, column headings, notes under the images and a key.
/// Width = <see cref="LabelWidth"/> + columns · cellW + (columns + 1) · <see cref="Padding"/>, with cellW = W · scale,
/// cellH = H · scale. From the top: the title (<see cref="TitleLineHeight"/> per wrapped line, then
/// <see cref="Padding"/>), the headings (<see cref="HeadingHeight"/>), then the rows: row r's images start at
/// y = top + <see cref="Padding"/> + r · (cellH + noteH + <see cref="Padding"/>), noteH = <see cref="NoteHeight"/> when
/// any row has notes, else 0; then the key (<see cref="KeyLineHeight"/> per wrapped line, then <see cref="Padding"/>).
/// Without title, headings, notes and key the picture is rows · cellH + (rows + 1) · <see cref="Padding"/> high.
/// Frames are drawn in the padding around a cell, never over its pixels.
/// </summary>
internal static class ImageGrid
{
    /// <summary>Gap in pixels between cells and around the grid.</summary>
    public const int Padding = 4;

    /// <summary>Width in pixels of the label column on the left.</summary>
    public const int LabelWidth = 150;

    /// <summary>Smallest cell side the upscaling aims for, in pixels.</summary>
    public const int MinCellSide = 56;

    /// <summary>Frame line width in pixels: half the padding, so that the frames of neighbouring cells never overlap.</summary>
    public const int FrameWidth = 2;

    /// <summary>Height in pixels of one wrapped title line.</summary>
    public const int TitleLineHeight = 19;

    /// <summary>Height in pixels of the column-heading band.</summary>
    public const int HeadingHeight = 16;

    /// <summary>Height in pixels of the note strip under each row of images (when any row has notes).</summary>
    public const int NoteHeight = 15;

    /// <summary>Height in pixels of one line of the key.</summary>
    public const int KeyLineHeight = 22;

    private const float CaptionFontSize = 13, CaptionLineHeight = 16, TitleFontSize = 14, SmallFontSize = 12, NoteFontSize = 11;

    /// <summary>Integer nearest-neighbour upscale factor: ceil(<see cref="MinCellSide"/> / max(H, W)), at least 1 (28 × 28 → 2).</summary>
    public static int UpscaleFactor(int height, int width) =>
        Math.Max(1, (MinCellSide + Math.Max(height, width) - 1) / Math.Max(height, width));

    /// <summary>Writes the PNG. Grayscale (C = 1) and RGB (C = 3; a fourth channel is ignored) images are supported; other channel counts show channel 0.</summary>
    /// <param name="images">The dataset the rows' indices refer to.</param>
    /// <param name="rows">Rows top to bottom.</param>
    /// <param name="columns">Image columns (the longest row must fit).</param>
    /// <param name="pngPath">Output PNG path (written atomically).</param>
    /// <param name="text">Title, column headings and key (null: none).</param>
    public static void Write(ImageDataset images, IReadOnlyList<ImageGridRow> rows, int columns, string pngPath, ImageGridText? text = null)
    {
        if (rows.Count == 0) throw new ArgumentException("a grid needs at least one row", nameof(rows));
        if (rows.Any(r => r.Samples.Length > columns)) throw new ArgumentException($"a row holds more than {columns} images", nameof(rows));
        text ??= new ImageGridText();
        int scale = UpscaleFactor(images.Height, images.Width);
        int cellW = images.Width * scale, cellH = images.Height * scale;
        int width = LabelWidth + columns * cellW + (columns + 1) * Padding;

        using var typeface = ReportFonts.Typeface();
        using var captionFont = new SKFont(typeface, CaptionFontSize);
        using var boldTypeface = ReportFonts.BoldTypeface();
        using var boldFont = new SKFont(boldTypeface, TitleFontSize);
        using var titleFont = new SKFont(typeface, TitleFontSize);
        using var smallFont = new SKFont(typeface, SmallFontSize);
        using var noteFont = new SKFont(typeface, NoteFontSize);

        var titleLines = text.Title.SelectMany((t, i) =>
            Wrap(t, s => (i == 0 ? boldFont : titleFont).MeasureText(s), width - 2 * Padding).Select(line => (Text: line, Bold: i == 0))).ToList();
        int titleHeight = titleLines.Count == 0 ? 0 : titleLines.Count * TitleLineHeight + Padding;
        int headingHeight = text.ColumnHeadings is null ? 0 : HeadingHeight;
        int noteHeight = rows.Any(r => r.Notes?.Any(n => n is not null) == true) ? NoteHeight : 0;
        int gridTop = titleHeight + headingHeight;
        int gridBottom = gridTop + rows.Count * (cellH + noteHeight) + (rows.Count + 1) * Padding;
        var keyLines = LayoutKey(text.Key, s => smallFont.MeasureText(s), width - 2 * Padding);
        int keyHeight = keyLines.Count == 0 ? 0 : keyLines.Count * KeyLineHeight + Padding;
        int height = gridBottom + keyHeight;

        var pixels = ReadRgba(images, rows.SelectMany(r => r.Samples).ToArray());
        var info = new SKImageInfo(images.Width, images.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("SkiaSharp could not create a raster surface");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var textPaint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var greyPaint = new SKPaint { Color = new SKColor(0x55, 0x55, 0x55), IsAntialias = true };
        using var framePaint = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = FrameWidth, IsAntialias = false };
        var sampling = new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None);

        for (int i = 0; i < titleLines.Count; i++)
            canvas.DrawText(titleLines[i].Text, Padding, Padding + TitleFontSize + i * TitleLineHeight, SKTextAlign.Left, titleLines[i].Bold ? boldFont : titleFont, textPaint);
        if (text.ColumnHeadings is { } headings)
            for (int c = 0; c < Math.Min(columns, headings.Count); c++)
            {
                var heading = FitMiddle(headings[c], s => smallFont.MeasureText(s), cellW);
                canvas.DrawText(heading, CellLeft(c, cellW) + cellW / 2f, titleHeight + HeadingHeight - 4, SKTextAlign.Center, smallFont, greyPaint);
            }

        int next = 0;
        float captionWidth = LabelWidth - 2 * Padding;
        for (int r = 0; r < rows.Count; r++)
        {
            int top = gridTop + Padding + r * (cellH + noteHeight + Padding);
            float mid = top + cellH / 2f;
            var caption = rows[r].Caption;
            for (int line = 0; line < caption.Length; line++)
            {
                var fitted = FitMiddle(caption[line], s => captionFont.MeasureText(s), captionWidth);
                float baseline = mid + CaptionFontSize / 3f + CaptionLineHeight * (line - (caption.Length - 1) / 2f);
                canvas.DrawText(fitted, Padding, baseline, SKTextAlign.Left, captionFont, textPaint);
            }
            for (int c = 0; c < rows[r].Samples.Length; c++, next++)
            {
                using var image = SKImage.FromPixelCopy(info, pixels[next])
                    ?? throw new InvalidOperationException("SkiaSharp could not wrap image pixels");
                int left = CellLeft(c, cellW);
                var cell = SKRect.Create(left, top, cellW, cellH);
                canvas.DrawImage(image, cell, sampling);
                if (rows[r].Frames is { } frames && frames[c] is SKColor colour)
                {
                    framePaint.Color = colour;
                    var frame = cell;
                    frame.Inflate(FrameWidth / 2f, FrameWidth / 2f); // the stroke lies outside the cell, inside the padding
                    canvas.DrawRect(frame, framePaint);
                }
                if (rows[r].Notes is { } notes && c < notes.Length && notes[c] is { } note)
                    DrawNote(canvas, note, noteFont, left, top + cellH + FrameWidth, cellW);
            }
        }
        DrawKey(canvas, keyLines, smallFont, textPaint, gridBottom);

        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(pngPath, png.ToArray());
    }

    /// <summary>Left edge in pixels of image column <paramref name="column"/>.</summary>
    private static int CellLeft(int column, int cellW) => LabelWidth + Padding + column * (cellW + Padding);

    /// <summary>
    /// <paramref name="text"/> when it is at most <paramref name="maxWidth"/> wide, else the longest shortening that fits:
    /// its first ⌊t / 3⌋ characters, "…", its last t − ⌊t / 3⌋ characters (the end carries what tells file names such
    /// as IMG_20240101_123401.png and IMG_20240101_123402.png apart); "" when not even "…" fits.
    /// </summary>
    /// <param name="text">The text to fit.</param>
    /// <param name="width">Width of a string in pixels (the font's measure).</param>
    /// <param name="maxWidth">Width available in pixels.</param>
    internal static string FitMiddle(string text, Func<string, float> width, float maxWidth)
    {
        if (width(text) <= maxWidth) return text;
        for (int kept = text.Length - 1; kept >= 0; kept--)
        {
            int head = kept / 3, tail = kept - head;
            var candidate = text[..head] + "…" + text[(text.Length - tail)..];
            if (width(candidate) <= maxWidth) return candidate;
        }
        return "";
    }

    /// <summary>
    /// Splits <paramref name="text"/> into lines at spaces, each at most <paramref name="maxWidth"/> wide where it can
    /// be: words are added to a line while it fits; a single word wider than the line is shortened by <see cref="FitMiddle"/>.
    /// </summary>
    /// <param name="text">The text to wrap.</param>
    /// <param name="width">Width of a string in pixels.</param>
    /// <param name="maxWidth">Line width available in pixels.</param>
    internal static List<string> Wrap(string text, Func<string, float> width, float maxWidth)
    {
        var lines = new List<string>();
        string current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var joined = current.Length == 0 ? word : current + " " + word;
            if (width(joined) <= maxWidth) { current = joined; continue; }
            if (current.Length > 0) lines.Add(current);
            current = FitMiddle(word, width, maxWidth);
        }
        if (current.Length > 0) lines.Add(current);
        return lines;
    }

    /// <summary>Side of a key entry's sample frame and gaps around it, in pixels.</summary>
    private const float SwatchSide = 14, MarkSide = 9, KeyGap = 18;

    /// <summary>Key entries placed on lines: each entry with its text (shortened to fit a line) and its x offset.</summary>
    private static List<List<(KeyItem Item, string Text, float X)>> LayoutKey(IReadOnlyList<KeyItem> key, Func<string, float> width, float maxWidth)
    {
        var lines = new List<List<(KeyItem, string, float)>>();
        var line = new List<(KeyItem, string, float)>();
        float x = 0;
        foreach (var item in key)
        {
            float symbol = SymbolWidth(item);
            var itemText = FitMiddle(item.Text, width, maxWidth - symbol);
            float itemWidth = symbol + width(itemText);
            if (line.Count > 0 && x + itemWidth > maxWidth)
            {
                lines.Add(line);
                line = [];
                x = 0;
            }
            line.Add((item, itemText, x));
            x += itemWidth + KeyGap;
        }
        if (line.Count > 0) lines.Add(line);
        return lines;
    }

    /// <summary>Width of an entry's frame sample and mark with their gaps (0 for a text-only entry).</summary>
    private static float SymbolWidth(KeyItem item) =>
        (item.Frame is null ? 0 : SwatchSide + 5) + (item.Mark == CellMark.None ? 0 : MarkSide + 4);

    private static void DrawKey(SKCanvas canvas, List<List<(KeyItem Item, string Text, float X)>> lines, SKFont font, SKPaint textPaint, int top)
    {
        using var stroke = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = FrameWidth, IsAntialias = false };
        using var fill = new SKPaint { Style = SKPaintStyle.Fill, Color = new SKColor(0xd8, 0xd8, 0xd8) };
        for (int l = 0; l < lines.Count; l++)
        {
            float mid = top + l * KeyLineHeight + KeyLineHeight / 2f;
            foreach (var (item, itemText, offset) in lines[l])
            {
                float x = Padding + offset;
                if (item.Frame is SKColor frame)
                {
                    var swatch = SKRect.Create(x + 1, mid - SwatchSide / 2, SwatchSide - 2, SwatchSide - 2);
                    canvas.DrawRect(swatch, fill);
                    stroke.Color = frame;
                    canvas.DrawRect(swatch, stroke);
                    x += SwatchSide + 5;
                }
                if (item.Mark != CellMark.None)
                {
                    DrawMark(canvas, item.Mark, item.Frame ?? SKColors.Black, x, mid - MarkSide / 2, MarkSide);
                    x += MarkSide + 4;
                }
                canvas.DrawText(itemText, x, mid + SmallFontSize / 3f, SKTextAlign.Left, font, textPaint);
            }
        }
    }

    /// <summary>Draws a note centred in the strip under a cell: its mark, then its text, shortened to the cell's width.</summary>
    private static void DrawNote(SKCanvas canvas, CellNote note, SKFont font, float left, float top, float cellW)
    {
        float mark = note.Mark == CellMark.None ? 0 : MarkSide + 3;
        var noteText = FitMiddle(note.Text, s => font.MeasureText(s), cellW - mark);
        float total = mark + font.MeasureText(noteText);
        float x = left + (cellW - total) / 2;
        float mid = top + (NoteHeight - FrameWidth) / 2f;
        if (note.Mark != CellMark.None) DrawMark(canvas, note.Mark, note.Colour, x, mid - MarkSide / 2, MarkSide);
        using var paint = new SKPaint { Color = note.Colour, IsAntialias = true };
        canvas.DrawText(noteText, x + mark, mid + NoteFontSize / 3f + 0.5f, SKTextAlign.Left, font, paint);
    }

    /// <summary>Draws a tick or a cross as strokes in a <paramref name="side"/>-pixel square at (x, y): no font needed.</summary>
    private static void DrawMark(SKCanvas canvas, CellMark mark, SKColor colour, float x, float y, float side)
    {
        using var paint = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 2, Color = colour, IsAntialias = true, StrokeCap = SKStrokeCap.Round };
        using var path = new SKPath();
        if (mark == CellMark.Check)
        {
            path.MoveTo(x, y + side * 0.55f);
            path.LineTo(x + side * 0.38f, y + side);
            path.LineTo(x + side, y);
        }
        else if (mark == CellMark.Cross)
        {
            path.MoveTo(x + 1, y + 1);
            path.LineTo(x + side - 1, y + side - 1);
            path.MoveTo(x + side - 1, y + 1);
            path.LineTo(x + 1, y + side - 1);
        }
        canvas.DrawPath(path, paint);
    }

    /// <summary>
    /// Up to <paramref name="take"/> distinct entries of <paramref name="pool"/> in random order (a partial Fisher-Yates
    /// shuffle, which reorders <paramref name="pool"/> in place).
    /// </summary>
    public static int[] Sample(int[] pool, int take, Random random)
    {
        take = Math.Min(take, pool.Length);
        for (int i = 0; i < take; i++)
        {
            int j = random.Next(i, pool.Length);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..take];
    }

    /// <summary>Opaque RGBA8888 pixels (H · W · 4 bytes) of each requested image, in request order.</summary>
    private static byte[][] ReadRgba(ImageDataset images, int[] indices)
    {
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            int c = images.Channels, h = images.Height, w = images.Width, plane = h * w;
            var picked = images.Images.index_select(0, tensor(indices.Select(i => (long)i).ToArray())) // [M, C, H, W]
                .contiguous().data<byte>().ToArray();
            var result = new byte[indices.Length][];
            for (int m = 0; m < indices.Length; m++)
            {
                int baseOffset = m * c * plane;
                int g = c >= 3 ? plane : 0, b = c >= 3 ? 2 * plane : 0; // channel offsets; grayscale repeats channel 0
                var rgba = new byte[plane * 4];
                for (int p = 0; p < plane; p++)
                {
                    rgba[4 * p] = picked[baseOffset + p];
                    rgba[4 * p + 1] = picked[baseOffset + g + p];
                    rgba[4 * p + 2] = picked[baseOffset + b + p];
                    rgba[4 * p + 3] = 255;
                }
                result[m] = rgba;
            }
            return result;
        }
    }
}
