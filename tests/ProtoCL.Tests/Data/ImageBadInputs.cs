using ProtoCL.Data;
using SkiaSharp;

namespace ProtoCL.Tests.Data;

/// <summary>
/// Broken, odd and hostile image files, each placed in a class folder beside one good 2x2 gray PNG (or alone, for
/// the valid oddities whose pixels are checked exactly), plus folder-level cases: links, loops, empty folders.
/// </summary>
public static class ImageBadInputs
{
    private static byte[] GoodPng => SkiaImages.GrayPng(2, 2, (x, y) => (byte)(x + 2 * y));

    /// <summary>A 24x24 colour picture with detail everywhere, so damage in the middle of its data hits pixels.</summary>
    private static byte[] Picture(SKEncodedImageFormat format) =>
        SkiaImages.Encode(24, 24, (x, y) => ((byte)(x * 10), (byte)(y * 10), (byte)((x * y) % 256)), format, 90);

    /// <summary>Writes the good image and <paramref name="bytes"/> as c/<paramref name="name"/>, the culprit.</summary>
    private static Func<TempFolder, BadInputFiles> BesideGood(string name, Func<byte[]> bytes) =>
        dir =>
        {
            dir.Write("c/a-good.png", GoodPng);
            return new BadInputFiles(dir.Path, dir.Write("c/" + name, bytes()));
        };

    /// <summary>Writes only c/<paramref name="name"/>.</summary>
    private static Func<TempFolder, BadInputFiles> Alone(string name, Func<byte[]> bytes) =>
        dir => new BadInputFiles(dir.Path, dir.Write("c/" + name, bytes()));

    private static byte[] Garble(byte[] bytes, double from, int length)
    {
        var copy = (byte[])bytes.Clone();
        int start = (int)(copy.Length * from);
        for (int i = start; i < Math.Min(copy.Length, start + length); i++)
            copy[i] = (byte)(0xA5 ^ i);
        return copy;
    }

    private static void AssertPixels(ImageDataset data, long[] shape, byte[] expected)
    {
        Assert.Equal(shape, data.Images.shape);
        Assert.Equal(expected, data.Images.bytes.ToArray());
    }

    /// <summary>Lossy codecs: every byte within <paramref name="tolerance"/> of the expected value.</summary>
    private static void AssertPixelsNear(ImageDataset data, long[] shape, byte[] expected, int tolerance)
    {
        Assert.Equal(shape, data.Images.shape);
        var actual = data.Images.bytes.ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance, $"byte {i}: {actual[i]}, expected {expected[i]} +- {tolerance}");
    }

    /// <summary>A committed fixture file (copied beside the test assembly).</summary>
    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", name));

    /// <summary>Expected planar bytes [3, H, W] of a colour function, by a naive loop.</summary>
    private static byte[] Planar(int w, int h, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        var planar = new byte[3 * w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (r, g, b) = pixel(x, y);
                planar[y * w + x] = r;
                planar[w * h + y * w + x] = g;
                planar[2 * w * h + y * w + x] = b;
            }
        return planar;
    }

    private static (byte, byte, byte) Rgb16Value(int x, int y) => ((byte)(x * 60 + y * 20), (byte)(255 - x * 40), (byte)(y * 100));

    /// <summary>The 16-bit samples: v * 257 maps to v exactly whether a decoder rounds or keeps the high byte.</summary>
    private static (ushort, ushort, ushort) Rgb16Wide(int x, int y)
    {
        var (r, g, b) = Rgb16Value(x, y);
        return ((ushort)(r * 257), (ushort)(g * 257), (ushort)(b * 257));
    }

    private static readonly (byte R, byte G, byte B)[] Palette = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (10, 20, 30)];

    public static IEnumerable<BadInput> All =>
    [
        BadInput.BadImage("png-zero-byte", BesideGood("b.png", () => [])),
        BadInput.BadImage("png-truncated-half", BesideGood("b.png", () => Head(Picture(SKEncodedImageFormat.Png), 0.5))),
        BadInput.BadImage("png-truncated-after-signature", BesideGood("b.png", () => Picture(SKEncodedImageFormat.Png)[..20])),
        BadInput.BadImage("png-garbled-image-data", BesideGood("b.png", () => Garble(Picture(SKEncodedImageFormat.Png), 0.5, 64))),
        BadInput.BadImage("png-bit-flipped-header-crc", BesideGood("b.png", () => Flip(Picture(SKEncodedImageFormat.Png), 30))),
        BadInput.BadImage("png-header-claims-10000x10000", BesideGood("b.png", () => PngBytes.LyingHeader(10_000, 10_000))),
        BadInput.BadImage("text-file-named-png", BesideGood("b.png", () => "just some text, not pixels\n"u8.ToArray())),
        BadInput.BadImage("random-bytes-named-webp", BesideGood("b.webp", () => Noise(4000, 3))),
        BadInput.BadImage("jpeg-zero-byte", BesideGood("b.jpg", () => [])),
        BadInput.BadImage("jpeg-truncated-half", BesideGood("b.jpg", () => Head(Picture(SKEncodedImageFormat.Jpeg), 0.5))),
        BadInput.BadImage("jpeg-soi-then-garbage", BesideGood("b.jpeg", () => [0xFF, 0xD8, 0xFF, .. Noise(3000, 4)])),
        // libjpeg recovers from damaged entropy-coded data with a warning, so a damaged JPEG may still decode.
        new("jpeg-garbled-scan-data", BesideGood("b.jpg", () => Garble(Picture(SKEncodedImageFormat.Jpeg), 0.6, 40)),
            Outcome.Loads | Outcome.Throws, Outcome.Loads | Outcome.Skipped),
        BadInput.BadImage("permission-denied", BesideGood("b.png", () => GoodPng), deny: true),
        BadInput.BadImage("broken-symlink-named-png", dir =>
        {
            dir.Write("c/a-good.png", GoodPng);
            var link = dir.File("c/b.png");
            System.IO.File.CreateSymbolicLink(link, dir.File("c/missing.png"));
            return new BadInputFiles(dir.Path, link);
        }),
        BadInput.BadImage("self-loop-symlink-named-png", dir =>
        {
            dir.Write("c/a-good.png", GoodPng);
            var link = dir.File("c/b.png");
            System.IO.File.CreateSymbolicLink(link, "b.png");
            return new BadInputFiles(dir.Path, link);
        }),
        BadInput.Valid("png-16-bit-rgb", Alone("b.png", () => PngBytes.Rgb16(3, 2, Rgb16Wide)),
            data => AssertPixels(data, [1, 3, 2, 3], Planar(3, 2, Rgb16Value))),
        BadInput.Valid("png-palette", Alone("b.png", () => PngBytes.Palette(3, 2, Palette, (x, y) => (byte)((x + y) % 4))),
            data => AssertPixels(data, [1, 3, 2, 3], Planar(3, 2, (x, y) => Palette[(x + y) % 4]))),
        BadInput.Valid("png-1x1", Alone("b.png", () => SkiaImages.Solid(1, 1, (7, 8, 9))),
            data => AssertPixels(data, [1, 3, 1, 1], [7, 8, 9])),
        BadInput.Valid("png-bytes-named-jpg", Alone("b.jpg", () => SkiaImages.Solid(2, 1, (1, 2, 3))),
            data => AssertPixels(data, [1, 3, 1, 2], [1, 1, 2, 2, 3, 3])),
        // Formats SkiaSharp cannot write, from committed fixtures (Fixtures/make-fixtures.py says how each was made).
        BadInput.Valid("jpeg-cmyk", Alone("b.jpg", () => Fixture("cmyk.jpg")),
            data => AssertPixelsNear(data, [1, 3, 2, 4], Planar(4, 2, (x, y) => x < 2 ? ((byte)255, (byte)0, (byte)0) : ((byte)0, (byte)0, (byte)255)), 8)),
        BadInput.Valid("jpeg-progressive-gray", Alone("b.jpg", () => Fixture("progressive.jpg")),
            data => AssertPixelsNear(data, [1, 1, 8, 8], Enumerable.Range(0, 64).Select(i => (byte)(i % 8 < 4 ? 100 : 132)).ToArray(), 3)),
        BadInput.Valid("bmp-24-bit", Alone("b.bmp", () => Fixture("rgb.bmp")),
            data => AssertPixels(data, [1, 3, 2, 3], Planar(3, 2, Rgb16Value))),
        BadInput.Valid("gif-palette", Alone("b.gif", () => Fixture("palette.gif")),
            data => AssertPixels(data, [1, 3, 2, 3], Planar(3, 2, Rgb16Value))),
        BadInput.Valid("gif-animated-first-frame", Alone("b.gif", () => Fixture("animated.gif")),
            data => AssertPixels(data, [1, 3, 2, 2], Planar(2, 2, (_, _) => ((byte)10, (byte)20, (byte)30)))),
        BadInput.BadImage("gif-truncated", BesideGood("b.gif", () => Head(Fixture("animated.gif"), 0.4))),
        BadInput.BadImage("bmp-truncated-pixels", BesideGood("b.bmp", () => Head(Fixture("rgb.bmp"), 0.7))),
        BadInput.Valid("symlink-cycle-in-folder", dir =>
        {
            dir.Write("c/a-good.png", GoodPng);
            Directory.CreateSymbolicLink(dir.File("c/up"), dir.Path);
            Directory.CreateSymbolicLink(dir.File("c/sub/back"), dir.File("c"));
            return new BadInputFiles(dir.Path, dir.Path);
        }, data => AssertPixels(data, [1, 1, 2, 2], [0, 1, 2, 3])),
        BadInput.Fatal("empty-folder", dir => new BadInputFiles(dir.Path, dir.Path)),
        BadInput.Fatal("folder-without-image-files", dir =>
        {
            dir.Write("c/readme.txt", "hello"u8.ToArray());
            return new BadInputFiles(dir.Path, dir.Path);
        }),
        BadInput.Fatal("folder-of-only-bad-files", dir =>
        {
            var first = dir.Write("c/a.png", []);
            dir.Write("c/b.jpg", "text"u8.ToArray());
            dir.Write("c/c.png", PngBytes.LyingHeader(10_000, 10_000));
            return new BadInputFiles(dir.Path, first);
        }),
        BadInput.Fatal("missing-path", dir => new BadInputFiles(dir.File("nothing-here"), dir.File("nothing-here"))),
        BadInput.Fatal("single-image-file-as-path", dir =>
        {
            var path = dir.Write("one.png", GoodPng);
            return new BadInputFiles(path, path);
        }),
    ];

    private static byte[] Head(byte[] bytes, double fraction) => bytes[..(int)(bytes.Length * fraction)];

    /// <summary>Byte 30 of a PNG lies in the IHDR chunk's CRC (signature 8 + length 4 + type 4 + data 13 = 29).</summary>
    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0x10;
        return copy;
    }

    private static byte[] Noise(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
