using SkiaSharp;

namespace ProtoCL.Tests.Reporting;

/// <summary>Checks that a file is a decodable, non-blank PNG.</summary>
internal static class PngAssert
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Decodes <paramref name="path"/> with SkiaSharp; asserts the PNG signature, a positive size and more than one colour.</summary>
    public static SKBitmap Valid(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan().StartsWith(Signature), "missing PNG signature");
        var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width > 0 && bitmap.Height > 0);
        var first = bitmap.GetPixel(0, 0);
        bool varied = false;
        for (int y = 0; y < bitmap.Height && !varied; y++)
            for (int x = 0; x < bitmap.Width && !varied; x++)
                varied = bitmap.GetPixel(x, y) != first;
        Assert.True(varied, "every pixel has the same colour");
        return bitmap;
    }

    /// <summary>How many pixels of <paramref name="bitmap"/> are exactly the opaque colour (r, g, b).</summary>
    public static int Count(SKBitmap bitmap, byte r, byte g, byte b)
    {
        var colour = new SKColor(r, g, b);
        int n = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
                if (bitmap.GetPixel(x, y) == colour) n++;
        return n;
    }
}
