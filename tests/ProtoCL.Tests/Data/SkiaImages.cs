using SkiaSharp;

namespace ProtoCL.Tests.Data;

/// <summary>Encodes test images with SkiaSharp from a pixel function, so expected values are the function's own.</summary>
public static class SkiaImages
{
    public static byte[] Encode(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel,
        SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 100)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                bitmap.SetPixel(x, y, new SKColor(r, g, b));
            }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>A grayscale image (R == G == B == value) encoded as PNG.</summary>
    public static byte[] GrayPng(int width, int height, Func<int, int, byte> value) =>
        Encode(width, height, (x, y) => (value(x, y), value(x, y), value(x, y)));

    /// <summary>A single-colour image.</summary>
    public static byte[] Solid(int width, int height, (byte R, byte G, byte B) colour,
        SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 100) =>
        Encode(width, height, (_, _) => colour, format, quality);
}
