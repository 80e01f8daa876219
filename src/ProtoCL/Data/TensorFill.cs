using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace ProtoCL.Data;

/// <summary>Moves image bytes straight into (and reads them out of) a uint8 [N, C, H, W] tensor's memory, in windows small enough for a span.</summary>
internal static class TensorFill
{
    /// <summary>Bytes moved per window: large enough to amortise the view, small enough to stay far below 2 GiB.</summary>
    private const long WindowBytes = 16L << 20;

    /// <summary>Copies one image (C*H*W bytes, planar) into row <paramref name="index"/>.</summary>
    public static void CopyImage(Tensor images, long index, ReadOnlySpan<byte> pixels)
    {
        using var row = images.narrow(0, index, 1); // [1, C, H, W], contiguous
        pixels.CopyTo(row.bytes);
    }

    /// <summary>
    /// Reads whole images from <paramref name="stream"/> into rows [0, rows) of <paramref name="images"/>;
    /// returns how many complete images arrived before the stream ended.
    /// </summary>
    public static long ReadImages(Stream stream, Tensor images, long rows)
    {
        long imageBytes = images.shape[1] * images.shape[2] * images.shape[3];
        long perWindow = Math.Max(1, WindowBytes / imageBytes);
        for (long first = 0; first < rows; first += perWindow)
        {
            long count = Math.Min(perWindow, rows - first);
            using var window = images.narrow(0, first, count); // [count, C, H, W]
            var span = window.bytes;
            int got = stream.ReadAtLeast(span, span.Length, throwOnEndOfStream: false);
            if (got < span.Length)
                return first + got / imageBytes;
        }
        return rows;
    }

    /// <summary>
    /// Upper-case hex SHA-256 of "protocl-images-v1|N,C,H,W|" followed by every pixel byte of <paramref name="images"/>
    /// (uint8 [N, C, H, W], contiguous) in row order: equal for the same pixels in the same order, whatever file they came from.
    /// </summary>
    public static string Digest(Tensor images)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.ASCII.GetBytes($"protocl-images-v1|{string.Join(",", images.shape)}|"));
        long rows = images.shape[0];
        long imageBytes = Math.Max(1, images.shape[1] * images.shape[2] * images.shape[3]);
        long perWindow = Math.Max(1, WindowBytes / imageBytes);
        for (long first = 0; first < rows; first += perWindow)
        {
            using var window = images.narrow(0, first, Math.Min(perWindow, rows - first)); // [count, C, H, W]
            sha.AppendData(window.bytes);
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
