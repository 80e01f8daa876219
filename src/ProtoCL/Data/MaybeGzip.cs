using System.IO.Compression;

namespace ProtoCL.Data;

/// <summary>Opens a stream that may hold gzip data, deciding by the gzip magic bytes (1f 8b) rather than the file name.</summary>
internal static class MaybeGzip
{
    /// <summary>
    /// Deflate cannot expand data by more than about 1032:1, so a gzip file of n bytes cannot decompress to more than
    /// this many times n; a header that claims more is a lie, caught before anything is allocated or decompressed.
    /// </summary>
    public const long MaxDeflateRatio = 1032;

    /// <summary>Returns the stream to read the payload from (decompressing when gzip); <paramref name="raw"/> must be seekable.</summary>
    public static Stream Open(Stream raw, out bool isGzip)
    {
        if (!raw.CanSeek)
            throw new ArgumentException("the stream must be seekable", nameof(raw));
        long start = raw.Position;
        Span<byte> magic = stackalloc byte[2];
        int got = raw.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        raw.Position = start;
        isGzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        return isGzip ? new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true) : raw;
    }

    /// <summary>The most bytes a stream of <paramref name="storedLength"/> bytes can yield (decompressed when gzip).</summary>
    public static long MaxPayload(long storedLength, bool isGzip) =>
        isGzip ? (storedLength > long.MaxValue / MaxDeflateRatio ? long.MaxValue : storedLength * MaxDeflateRatio) : storedLength;
}
