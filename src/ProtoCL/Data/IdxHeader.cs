using System.Buffers.Binary;

namespace ProtoCL.Data;

/// <summary>
/// The big-endian header of an IDX file (magic, then one uint32 per dimension), validated before anything
/// is allocated: a corrupt or hostile header must fail with a message, never with a huge allocation.
/// </summary>
internal readonly record struct IdxHeader(int Count, int Height, int Width)
{
    /// <summary>Magic of an unsigned-byte, 3-dimensional IDX file (images): 0x00000803.</summary>
    public const uint ImagesMagic = 0x00000803;

    /// <summary>Magic of an unsigned-byte, 1-dimensional IDX file (labels): 0x00000801.</summary>
    public const uint LabelsMagic = 0x00000801;

    /// <summary>Header length of an images file: magic + count + rows + columns.</summary>
    public const int ImagesHeaderBytes = 16;

    /// <summary>Header length of a labels file: magic + count.</summary>
    public const int LabelsHeaderBytes = 8;

    /// <summary>Pixels per image.</summary>
    public long ImageBytes => (long)Height * Width;

    /// <summary>Reads and checks an images header; the declared sizes are checked against the caps and the magic.</summary>
    public static IdxHeader ReadImages(Stream payload, string name, long maxPixelsPerImage, long maxPayloadBytes)
    {
        Span<byte> header = stackalloc byte[ImagesHeaderBytes];
        int got = payload.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        CheckMagic(header[..got], name, ImagesMagic);
        if (got < ImagesHeaderBytes)
            throw Fail(name, $"the header is truncated ({got} of {ImagesHeaderBytes} bytes)");
        uint n = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        uint h = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        uint w = BinaryPrimitives.ReadUInt32BigEndian(header[12..]);
        if (n == 0 || h == 0 || w == 0)
            throw Fail(name, $"the header declares {n} images of {h}x{w} pixels; a dimension is zero");
        // Products in 128 bits: three uint32 dimensions can overflow a long.
        var pixels = (UInt128)h * w;
        if (pixels > (UInt128)maxPixelsPerImage)
            throw Fail(name, $"the header declares {h}x{w}-pixel images, above the cap of {maxPixelsPerImage} pixels per image; the header is corrupt");
        var total = (UInt128)n * pixels;
        if (n > int.MaxValue || total > (UInt128)maxPayloadBytes)
            throw Fail(name, $"the header declares {n} images of {h}x{w} pixels ({total} bytes), above the {maxPayloadBytes}-byte cap; the header is corrupt");
        return new IdxHeader((int)n, (int)h, (int)w);
    }

    /// <summary>Reads and checks a labels header; returns the declared label count.</summary>
    public static int ReadLabels(Stream payload, string name)
    {
        Span<byte> header = stackalloc byte[LabelsHeaderBytes];
        int got = payload.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        CheckMagic(header[..got], name, LabelsMagic);
        if (got < LabelsHeaderBytes)
            throw Fail(name, $"the header is truncated ({got} of {LabelsHeaderBytes} bytes)");
        uint n = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (n == 0 || n > int.MaxValue)
            throw Fail(name, $"the header declares {n} labels; the header is corrupt");
        return (int)n;
    }

    /// <summary>The error every IDX problem becomes: the file, the problem, and what to do about it.</summary>
    public static DataException Fail(string name, string problem, string fix = "use an intact MNIST-style IDX file (re-download or re-extract it)") =>
        new($"{name}: {problem}; {fix}");

    private static void CheckMagic(ReadOnlySpan<byte> header, string name, uint expected)
    {
        if (header.Length < 4)
            throw Fail(name, name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? $"too short to be an IDX file ({header.Length} bytes after decompression: the gzip data is cut off or empty)"
                : $"too short to be an IDX file ({header.Length} bytes)");
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (magic == expected)
            return;
        string kind = expected == ImagesMagic ? "images" : "labels";
        string other = expected == ImagesMagic ? "labels" : "images";
        if (magic == (expected == ImagesMagic ? LabelsMagic : ImagesMagic))
            throw Fail(name, $"this is an IDX {other} file where an IDX {kind} file was expected", expected == ImagesMagic
                ? "pass the images file (…-images-idx3-ubyte[.gz]): the labels file beside it is read with it"
                : "use the labels file that belongs to the images file");
        throw Fail(name, $"not an IDX {kind} file (magic 0x{magic:x8}, expected 0x{expected:x8})");
    }
}
