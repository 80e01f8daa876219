using ProtoCL.Data;
using SkiaSharp;

namespace ProtoCL.Tests.Data;

/// <summary>
/// How image folders are brought to one size: each image's centred region of the target's shape, resized; never
/// stretched. Expected pixels are picked out of the images' own pixel functions by hand.
/// </summary>
public class ImageSizeTests
{
    private static byte[] Pixels(ImageDataset data, int index) => data.Images[index].bytes.ToArray();

    [Theory]
    [InlineData(6, 4, 4, 4, 4, 4)]   // wider: full height, width of the target's ratio
    [InlineData(3, 7, 3, 3, 3, 3)]   // taller: full width
    [InlineData(5, 3, 2, 2, 3, 3)]
    [InlineData(7, 4, 3, 2, 6, 4)]   // 4 * 3 / 2 = 6
    [InlineData(9, 5, 3, 2, 8, 5)]   // 5 * 3 / 2 = 7.5 rounds to 8
    [InlineData(4, 7, 2, 2, 4, 4)]
    [InlineData(8, 6, 4, 3, 8, 6)]   // the same ratio: the whole image
    [InlineData(1000, 1, 1, 1, 1, 1)]
    public void Should_TakeTheLargestRegionOfTheTargetsRatio_When_ShapesDiffer(int w, int h, int tw, int th, int ew, int eh)
    {
        Assert.Equal((ew, eh), ImageDecoder.CentredRegion(w, h, tw, th));
    }

    [Fact]
    public void Should_KeepTheCentredSquareUnscaled_When_ImageSizeIsTheShorterSide()
    {
        // 6 x 4 and 3 x 7 images at --image-size 4 and 3 would be cropped to their centred squares: columns 1..4 of the
        // first (offset (6 - 4) / 2 = 1), rows 2..4 of the second (offset (7 - 3) / 2 = 2). Both go in one folder at
        // size 3, so the first is also shrunk; the second alone is exact.
        using var dir = new TempFolder();
        static byte Wide(int x, int y) => (byte)(10 * x + 60 * y);
        static byte Tall(int x, int y) => (byte)(20 * x + 30 * y + 1);
        dir.Write("a/wide.png", SkiaImages.GrayPng(6, 4, Wide));
        dir.Write("b/tall.png", SkiaImages.GrayPng(3, 7, Tall));

        using var four = ImageFolderReader.Read(dir.Path, new DataLoadOptions { ImageSize = 4, Limit = 1 });
        Assert.Equal(new long[] { 1, 1, 4, 4 }, four.Images.shape);
        var p = Pixels(four, 0);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                Assert.Equal(Wide(x + 1, y), p[y * 4 + x]);

        using var three = ImageFolderReader.Read(dir.Path, new DataLoadOptions { ImageSize = 3 });
        Assert.Equal(new long[] { 2, 1, 3, 3 }, three.Images.shape);
        var q = Pixels(three, 1);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 3; x++)
                Assert.Equal(Tall(x, y + 2), q[y * 3 + x]);
    }

    [Fact]
    public void Should_CropOtherShapesToTheFirstImagesShape_When_NoSizeIsGiven()
    {
        // The first image (4 x 2) sets the shape; a 4 x 4 image keeps its centred 4 x 2 band, rows 1 and 2.
        using var dir = new TempFolder();
        static byte Square(int x, int y) => (byte)(40 * y + 3 * x);
        dir.Write("a.png", SkiaImages.GrayPng(4, 2, (_, _) => 9));
        dir.Write("b.png", SkiaImages.GrayPng(4, 4, Square));

        using var data = ImageFolderReader.Read(dir.Path);

        Assert.Equal(new long[] { 2, 1, 2, 4 }, data.Images.shape);
        var p = Pixels(data, 1);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 4; x++)
                Assert.Equal(Square(x, y + 1), p[y * 4 + x]);
    }

    [Fact]
    public void Should_ShrinkTheCentredSquareOfALargePhoto_When_ImageSizeIsSmall()
    {
        // A 1600 x 1200 JPEG whose red channel rises with x and green with y. At --image-size 32 it keeps the centred
        // 1200 x 1200 square (x from 200), so output column j averages x over [200 + 37.5 j, 200 + 37.5 (j + 1)): red
        // (200 + 37.5 (j + 0.5)) * 255 / 1599 up to JPEG's error; green spans the whole height. The codec may decode at a
        // reduced scale here; the expected values do not depend on whether it does.
        using var dir = new TempFolder();
        dir.Write("photo.jpg", SkiaImages.Encode(1600, 1200, (x, y) => ((byte)(x * 255 / 1599), (byte)(y * 255 / 1199), 128),
            SKEncodedImageFormat.Jpeg, 95));

        using var data = ImageFolderReader.Read(dir.Path, new DataLoadOptions { ImageSize = 32 });

        Assert.Equal(new long[] { 1, 3, 32, 32 }, data.Images.shape);
        var p = Pixels(data, 0);
        for (int j = 0; j < 32; j++)
        {
            double red = (200 + 37.5 * (j + 0.5)) * 255 / 1599, green = 37.5 * (j + 0.5) * 255 / 1199;
            Assert.InRange(p[16 * 32 + j], red - 3, red + 3);                    // row 16, column j: red
            Assert.InRange(p[1024 + j * 32 + 16], green - 3, green + 3);         // row j, column 16: green
        }
    }

    [Fact]
    public void Should_RefuseBeforeDecoding_When_TheImagesWouldNotFitInMemory()
    {
        // Three 10 x 10 gray images need 2 (decoded copies and tensor) * 3 * 1 * 10 * 10 = 600 bytes.
        using var dir = new TempFolder();
        for (int i = 0; i < 3; i++)
            dir.Write($"{i}.png", SkiaImages.GrayPng(10, 10, (_, _) => 50));

        using (var fits = ImageFolderReader.Read(dir.Path, new DataLoadOptions { MemoryBudgetBytes = 600 }))
            Assert.Equal(3, fits.Count);
        var e = Assert.Throws<DataException>(() => ImageFolderReader.Read(dir.Path, new DataLoadOptions { MemoryBudgetBytes = 599 }));
        Assert.Contains("3 images at 10x10 (the size of its first image, ", e.Message);
        Assert.Contains("0.png)", e.Message);
        Assert.Contains("--image-size", e.Message);
        // At a size of their own (8 x 8, one channel as the first image has): 2 * 3 * 1 * 8 * 8 = 384 bytes.
        var sized = Assert.Throws<DataException>(() => ImageFolderReader.Read(dir.Path, new DataLoadOptions { ImageSize = 8, MemoryBudgetBytes = 383 }));
        Assert.Contains("3 images at 8x8 need", sized.Message);
        using var ok = ImageFolderReader.Read(dir.Path, new DataLoadOptions { ImageSize = 8, MemoryBudgetBytes = 384 });
        Assert.Equal(new long[] { 3, 1, 8, 8 }, ok.Images.shape);
    }

    [Fact]
    public void Should_CountThreeChannels_When_TheFirstImageAtAnAskedSizeIsColour()
    {
        // Three 10 x 10 colour images at 8 x 8 need 2 * 3 * 3 * 8 * 8 = 1152 bytes; counting one channel would say 384.
        using var dir = new TempFolder();
        for (int i = 0; i < 3; i++)
            dir.Write($"{i}.png", SkiaImages.Solid(10, 10, (200, 40, (byte)(10 * i))));

        var e = Assert.Throws<DataException>(() => ImageFolderReader.Read(dir.Path, new DataLoadOptions { ImageSize = 8, MemoryBudgetBytes = 1151 }));
        Assert.Contains("3 images at 8x8 need at least 1.2 KB of memory", e.Message);
        using var ok = ImageFolderReader.Read(dir.Path, new DataLoadOptions { ImageSize = 8, MemoryBudgetBytes = 1152 });
        Assert.Equal(new long[] { 3, 3, 8, 8 }, ok.Images.shape);
    }

    [Fact]
    public void Should_RefuseAnotherSize_When_TheDataIsNotAnImageFolder()
    {
        var e = Assert.Throws<DataException>(() => DatasetLoader.Load("embedded", new DataLoadOptions { ImageSize = 32, Limit = 5 }));
        Assert.Contains("holds 28x28 images", e.Message);
        using var same = DatasetLoader.Load("embedded", new DataLoadOptions { ImageSize = 28, Limit = 5 }); // its own size is no change
        Assert.Equal(new long[] { 5, 1, 28, 28 }, same.Images.shape);
    }

    [Fact]
    public void Should_TellImageFoldersApart_When_AskedWhatAPathIsReadAs()
    {
        using var dir = new TempFolder();
        dir.Write("photos/a.png", SkiaImages.GrayPng(2, 2, (_, _) => 1));
        dir.Write("idx/train-images-idx3-ubyte", IdxBytes.Images(1, 2, 2, IdxBytes.PixelData(1, 2, 2)));
        Assert.True(DatasetLoader.IsImageFolder(dir.File("photos")));
        Assert.False(DatasetLoader.IsImageFolder(dir.File("idx")));
        Assert.False(DatasetLoader.IsImageFolder("embedded"));
        Assert.False(DatasetLoader.IsImageFolder(dir.File("photos/a.png")));
    }

    [Fact]
    public void Should_CropAnOutsideImageLikeTheData_When_ReadingQueryFiles()
    {
        // Square 3 x 3 data; a 5 x 3 query keeps columns 1..3.
        using var dir = new TempFolder();
        dir.Write("data/a.png", SkiaImages.GrayPng(3, 3, (_, _) => 7));
        static byte Query(int x, int y) => (byte)(50 * x + 7 * y);
        var query = dir.Write("q.png", SkiaImages.GrayPng(5, 3, Query));
        using var data = ImageFolderReader.Read(dir.File("data"));

        using var read = ImageFolderReader.ReadFilesLike([query], data);

        var p = Pixels(read, 0);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 3; x++)
                Assert.Equal(Query(x + 1, y), p[y * 3 + x]);
    }
}
