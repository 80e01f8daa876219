using System.IO.Compression;
using System.Text;

namespace ProtoCL.Tests.Data;

/// <summary>
/// Writes PNG files chunk by chunk (signature, IHDR, PLTE, IDAT, IEND, each with its CRC-32), for the variants
/// SkiaSharp's encoder does not produce: 16-bit samples, palettes, and headers that lie about their size.
/// </summary>
public static class PngBytes
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>16-bit RGB, one big-endian sample per channel, filter type 0 on every row.</summary>
    public static byte[] Rgb16(int width, int height, Func<int, int, (ushort R, ushort G, ushort B)> pixel)
    {
        var rows = new List<byte>();
        for (int y = 0; y < height; y++)
        {
            rows.Add(0);
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                foreach (var v in (ushort[])[r, g, b])
                    rows.AddRange([(byte)(v >> 8), (byte)v]);
            }
        }
        return Png(width, height, bitDepth: 16, colorType: 2, [.. rows], palette: null);
    }

    /// <summary>8-bit palette image: one index byte per pixel into <paramref name="palette"/>.</summary>
    public static byte[] Palette(int width, int height, (byte R, byte G, byte B)[] palette, Func<int, int, byte> index)
    {
        var rows = new List<byte>();
        for (int y = 0; y < height; y++)
        {
            rows.Add(0);
            for (int x = 0; x < width; x++)
                rows.Add(index(x, y));
        }
        var plte = palette.SelectMany(c => new[] { c.R, c.G, c.B }).ToArray();
        return Png(width, height, bitDepth: 8, colorType: 3, [.. rows], plte);
    }

    /// <summary>A valid-looking 8-bit RGB header claiming width x height, followed by only one row of pixel data.</summary>
    public static byte[] LyingHeader(int width, int height) =>
        Png(width, height, bitDepth: 8, colorType: 2, new byte[1 + 3 * Math.Min(width, 64)], palette: null);

    public static byte[] Png(int width, int height, byte bitDepth, byte colorType, byte[] filteredRows, byte[]? palette)
    {
        using var png = new MemoryStream();
        png.Write(Signature);
        var ihdr = new List<byte>();
        ihdr.AddRange(BigEndian((uint)width));
        ihdr.AddRange(BigEndian((uint)height));
        ihdr.AddRange([bitDepth, colorType, 0, 0, 0]); // compression 0, filter method 0, no interlace
        Chunk(png, "IHDR", [.. ihdr]);
        if (palette is not null)
            Chunk(png, "PLTE", palette);
        Chunk(png, "IDAT", Zlib(filteredRows));
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>CRC-32 (ISO-HDLC, reflected polynomial 0xEDB88320) one bit at a time, as PNG's specification defines it.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(BigEndian((uint)data.Length));
        png.Write(typed);
        png.Write(BigEndian(Crc32(typed)));
    }

    private static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
            z.Write(data);
        return output.ToArray();
    }

    private static byte[] BigEndian(uint v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];
}
