using ProtoCL.Data;
using SkiaSharp;

namespace ProtoCL.Tests.Data;

/// <summary>
/// Photos stored sideways with an EXIF orientation tag: read as stored by default (as PIL and torchvision read them),
/// turned upright with <see cref="DataLoadOptions.ApplyExifOrientation"/>. The expected layouts are worked out by hand
/// from what each of the eight tags means, block by block.
/// </summary>
public class ExifOrientationTests
{
    // The stored image: 32 x 16, four 16 x 8 blocks of distinct grays, A B over C D.
    private const byte A = 30, B = 90, C = 160, D = 230;
    private static byte Stored(int x, int y) => y < 8 ? (x < 16 ? A : B) : (x < 16 ? C : D);

    /// <summary>A JPEG of <see cref="Stored"/> carrying EXIF orientation <paramref name="tag"/> (an APP1 segment with a
    /// big-endian TIFF header and one IFD entry, 0x0112 SHORT, put right after the start-of-image marker).</summary>
    internal static byte[] JpegWithOrientation(int tag, int width = 32, int height = 16, Func<int, int, byte>? pixel = null)
    {
        pixel ??= Stored;
        var jpeg = SkiaImages.Encode(width, height, (x, y) => (pixel(x, y), pixel(x, y), pixel(x, y)), SKEncodedImageFormat.Jpeg, 100);
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8,                 // big-endian, first IFD at offset 8
            0, 1,                                                     // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)tag, 0, 0,         // Orientation, SHORT, count 1, value
            0, 0, 0, 0,                                               // no next IFD
        ];
        byte[] payload = [.. "Exif\0\0"u8.ToArray(), .. tiff];
        int length = payload.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        Assert.Equal(0xFF, jpeg[0]);
        Assert.Equal(0xD8, jpeg[1]);
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    /// <summary>The gray at the centre of each of the four blocks of a 2 x 2 layout: top-left, top-right, bottom-left, bottom-right.</summary>
    private static byte[] Blocks(ImageDataset data)
    {
        int w = data.Width, h = data.Height;
        Assert.Equal(1, data.Channels);
        var pixels = data.Images[0].bytes.ToArray();                          // [1, H, W], row-major
        byte At(int x, int y) => pixels[y * w + x];
        return [At(w / 4, h / 4), At(3 * w / 4, h / 4), At(w / 4, 3 * h / 4), At(3 * w / 4, 3 * h / 4)];
    }

    // Tag, then the upright image's blocks (top-left, top-right, bottom-left, bottom-right) and whether its sides swap.
    public static TheoryData<int, byte[], bool> Orientations => new()
    {
        { 1, [A, B, C, D], false },  // as stored
        { 2, [B, A, D, C], false },  // mirrored left-right
        { 3, [D, C, B, A], false },  // turned 180 degrees
        { 4, [C, D, A, B], false },  // mirrored top-bottom
        { 5, [A, C, B, D], true },   // transposed: the stored columns become rows
        { 6, [C, A, D, B], true },   // turned 90 degrees clockwise: the left column (A over C) becomes the top row, C first
        { 7, [D, B, C, A], true },   // transversed: the bottom-right corner goes to the top-left
        { 8, [B, D, A, C], true },   // turned 90 degrees anticlockwise: the top row (A, B) becomes the left column, B on top
    };

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Should_TurnThePhotoUpright_When_AskedToApplyTheTag(int tag, byte[] expected, bool swaps)
    {
        using var dir = new TempFolder();
        dir.Write("photo.jpg", JpegWithOrientation(tag));

        using var upright = ImageFolderReader.Read(dir.Path, new DataLoadOptions { ApplyExifOrientation = true });
        Assert.True(upright.ExifOriented);
        Assert.Equal(swaps ? (16, 32) : (32, 16), (upright.Width, upright.Height));
        Assert.All(Blocks(upright).Zip(expected), p => Assert.InRange(p.First, p.Second - 4, p.Second + 4));

        using var stored = ImageFolderReader.Read(dir.Path);
        Assert.False(stored.ExifOriented);
        Assert.Equal((32, 16), (stored.Width, stored.Height));
        Assert.All(Blocks(stored).Zip(new[] { A, B, C, D }), p => Assert.InRange(p.First, p.Second - 4, p.Second + 4));
    }

    [Fact]
    public void Should_CropTheUprightImage_When_AnImageSizeIsAsked()
    {
        // Stored 64 x 16 with tag 6: upright it is 16 x 64, so --image-size 16 keeps its centred 16 x 16 square, upright
        // rows 24..39, which are stored columns 24..39; the stored image's columns are left half 40, right half 200, so
        // the upright square's top half (stored columns 24..31) is 40 and its bottom half 200.
        using var dir = new TempFolder();
        dir.Write("photo.jpg", JpegWithOrientation(6, 64, 16, (x, _) => x < 32 ? (byte)40 : (byte)200));
        using var data = ImageFolderReader.Read(dir.Path, new DataLoadOptions { ImageSize = 16, ApplyExifOrientation = true });
        Assert.Equal((16, 16), (data.Width, data.Height));
        var pixels = data.Images[0].bytes.ToArray();                          // [1, 16, 16], row-major
        Assert.InRange(pixels[4 * 16 + 8], 36, 44);
        Assert.InRange(pixels[11 * 16 + 8], 196, 204);
    }

    [Fact]
    public void Should_ReadQueryFilesTurnedUpright_When_TheDatasetWas()
    {
        using var dir = new TempFolder();
        dir.Write("data/photo.jpg", JpegWithOrientation(6));
        var query = dir.Write("query.jpg", JpegWithOrientation(6));
        using var data = ImageFolderReader.Read(Path.Combine(dir.Path, "data"), new DataLoadOptions { ApplyExifOrientation = true });
        using var read = ImageFolderReader.ReadFilesLike([query], data);
        Assert.True(read.ExifOriented);
        Assert.Equal((16, 32), (read.Width, read.Height));
        Assert.All(Blocks(read).Zip(new[] { C, A, D, B }), p => Assert.InRange(p.First, p.Second - 4, p.Second + 4));
    }

    [Fact]
    public void Should_RefuseTheOption_When_TheDataIsNotAFolder()
    {
        var e = Assert.Throws<DataException>(() => DatasetLoader.Load(DatasetLoader.EmbeddedPath, new DataLoadOptions { ApplyExifOrientation = true }));
        Assert.Contains("is not an image folder", e.Message);
    }
}
