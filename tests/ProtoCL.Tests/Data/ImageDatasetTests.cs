using System.Security.Cryptography;
using System.Text;
using ProtoCL.Data;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Data;

public class ImageDatasetTests
{
    /// <summary>SHA-256 of the header and the pixel bytes, laid out by hand in one array.</summary>
    private static string Expected(string shape, byte[] pixels) =>
        Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes($"protocl-images-v1|{shape}|").Concat(pixels).ToArray()));

    [Fact]
    public void Should_HashTheShapeAndEveryPixelInRowOrder_When_AskedForTheContentDigest()
    {
        byte[] pixels = [0, 1, 2, 3, 250, 251, 252, 253, 7, 8, 9, 10]; // 3 images, 1 channel, 2 x 2
        using var data = new ImageDataset(tensor(pixels).view(3, 1, 2, 2), [0, 1, 0], "a");

        Assert.Equal(Expected("3,1,2,2", pixels), data.ContentDigest);
        // The same pixels from another source: the same digest.
        using var elsewhere = new ImageDataset(tensor(pixels).view(3, 1, 2, 2), null, "b");
        Assert.Equal(data.ContentDigest, elsewhere.ContentDigest);
        // The same bytes in another shape: another digest.
        using var reshaped = new ImageDataset(tensor(pixels).view(3, 1, 1, 4), null, "a");
        Assert.Equal(Expected("3,1,1,4", pixels), reshaped.ContentDigest);
        Assert.NotEqual(data.ContentDigest, reshaped.ContentDigest);
        // One pixel changed.
        var changed = pixels.ToArray();
        changed[11] = 11;
        using var edited = new ImageDataset(tensor(changed).view(3, 1, 2, 2), null, "a");
        Assert.NotEqual(data.ContentDigest, edited.ContentDigest);
    }

    [Fact]
    public void Should_HashThePixelsInNchwOrder_When_TheTensorIsAStridedView()
    {
        // Two 2 x 2 RGB images held as [N, H, W, C] and permuted to [N, C, H, W]: not contiguous.
        byte[] nhwc = Enumerable.Range(0, 24).Select(i => (byte)(i * 5)).ToArray();
        using var data = new ImageDataset(tensor(nhwc).view(2, 2, 2, 3).permute(0, 3, 1, 2), null, "nhwc");
        var nchw = new byte[24];
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 2; y++)
                    for (int x = 0; x < 2; x++)
                        nchw[((n * 3 + c) * 2 + y) * 2 + x] = nhwc[((n * 2 + y) * 2 + x) * 3 + c];

        Assert.Equal(Expected("2,3,2,2", nchw), data.ContentDigest);
    }

    [Fact]
    public void Should_HashEveryByte_When_TheImagesSpanSeveralReadWindows()
    {
        // 5 images of 3 x 1500 x 1500 bytes (6.75 MB each, 33.75 MB in all): more than two 16 MiB windows.
        const int n = 5, side = 1500;
        var pixels = new byte[n * 3 * side * side];
        new Random(5).NextBytes(pixels);
        using var data = new ImageDataset(tensor(pixels).view(n, 3, side, side), null, "large");

        Assert.Equal(Expected($"{n},3,{side},{side}", pixels), data.ContentDigest);
    }

    [Fact]
    public void Should_CopyTheImagesAskedForInTheirOrderFromBothSets_When_Gathering()
    {
        // Images are 1x1x2: first = [1 2], [3 4], [5 6]; more = [9 8], [7 7]. Index 3 is more's first image, 4 its second.
        using var first = new ImageDataset(tensor(new byte[] { 1, 2, 3, 4, 5, 6 }).view(3, 1, 1, 2), [1, 0, 1], "first", ["a", "b"]);
        using var more = new ImageDataset(tensor(new byte[] { 9, 8, 7, 7 }).view(2, 1, 1, 2), null, "more") { Files = ["/q.png", "/r.png"] };

        using var some = first.Gather([4, 0, 3, 2], more);

        Assert.Equal(new byte[] { 7, 7, 1, 2, 9, 8, 5, 6 }, some.Images.data<byte>().ToArray());
        Assert.Equal([ImageDataset.Unlabelled, 1, ImageDataset.Unlabelled, 1], some.Labels!);
        Assert.Equal(["/r.png", "", "/q.png", ""], some.Files!);
        Assert.Equal("first", some.Source);
        Assert.Equal(["a", "b"], some.ClassNames!);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, first.Images.data<byte>().ToArray()); // both stay valid
        Assert.Equal(new byte[] { 9, 8, 7, 7 }, more.Images.data<byte>().ToArray());

        using var own = first.Gather([2, 2]);                                                // one set, an image twice
        Assert.Equal(new byte[] { 5, 6, 5, 6 }, own.Images.data<byte>().ToArray());
        Assert.Null(own.Files);
        Assert.Throws<ArgumentOutOfRangeException>(() => first.Gather([3]));                 // no second set: 3 is past the end
        using var wide = new ImageDataset(zeros(1, 1, 1, 3, ScalarType.Byte), null, "wide");
        Assert.Throws<ArgumentException>(() => first.Gather([0], wide));
    }

    [Fact]
    public void Should_NameALabelByItsClass_When_TheNamesAreKnown()
    {
        using var named = new ImageDataset(zeros(1, 1, 1, 1, ScalarType.Byte), [0], "d", ["cat", "dog"]);
        using var unnamed = new ImageDataset(zeros(1, 1, 1, 1, ScalarType.Byte), [0], "d");
        Assert.Equal("dog", named.ClassName(1));
        Assert.Equal("class 2", named.ClassName(2));
        Assert.Equal("class 1", unnamed.ClassName(1));
        Assert.Equal("no label", named.ClassName(ImageDataset.Unlabelled));
    }
    [Fact]
    public void Should_RefuseClearly_When_DisposedOrGivenALabelBelowUnlabelled()
    {
        var data = new ImageDataset(TorchSharp.torch.zeros([2, 1, 2, 2], TorchSharp.torch.ScalarType.Byte), [0, ImageDataset.Unlabelled], "two");
        data.Dispose();
        data.Dispose();                                                       // a second call does nothing
        var e = Assert.Throws<ObjectDisposedException>(() => data.Count);
        Assert.Contains("the dataset read from two was disposed", e.Message);
        using var images = TorchSharp.torch.zeros([2, 1, 2, 2], TorchSharp.torch.ScalarType.Byte);
        var bad = Assert.Throws<ArgumentException>(() => new ImageDataset(images.clone(), [0, -7], "bad"));
        Assert.Contains("label -7 is not a class index", bad.Message);
    }
}
