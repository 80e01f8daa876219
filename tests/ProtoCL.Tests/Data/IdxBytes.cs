using System.IO.Compression;

namespace ProtoCL.Tests.Data;

/// <summary>Writes IDX files byte by byte, independently of the reader: a big-endian header, then the raw bytes.</summary>
public static class IdxBytes
{
    public static byte[] Images(int count, int rows, int cols, byte[] pixels) =>
        [.. Header(0x00000803, (uint)count, (uint)rows, (uint)cols), .. pixels];

    public static byte[] Labels(byte[] labels) => [.. Header(0x00000801, (uint)labels.Length), .. labels];

    /// <summary>A magic number followed by dimensions, each as 4 big-endian bytes.</summary>
    public static byte[] Header(uint magic, params uint[] dims)
    {
        var header = new List<byte>();
        foreach (var v in (uint[])[magic, .. dims])
            header.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        return [.. header];
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gz.Write(data);
        return output.ToArray();
    }

    /// <summary>Pixel value of image i at (y, x) for the test fixtures: distinct per position, all 256 values in use.</summary>
    public static byte Pixel(int i, int y, int x) => (byte)(i * 37 + y * 11 + x * 3);

    /// <summary>count images of rows x cols filled with <see cref="Pixel"/>, in IDX order (image, row, column).</summary>
    public static byte[] PixelData(int count, int rows, int cols)
    {
        var data = new byte[count * rows * cols];
        int k = 0;
        for (int i = 0; i < count; i++)
            for (int y = 0; y < rows; y++)
                for (int x = 0; x < cols; x++)
                    data[k++] = Pixel(i, y, x);
        return data;
    }
}
