using ProtoCL.Data;

namespace ProtoCL.Tests.Data;

public class CifarReaderTests
{
    /// <summary>Value of record r's channel c at (y, x) in the fixtures; distinct across records and channels.</summary>
    private static byte Value(int r, int c, int y, int x) => (byte)(r * 7 + c * 85 + y * 5 + x);

    /// <summary>CIFAR-10 records written by hand: label byte, then 1024 red, 1024 green, 1024 blue bytes (row-major).</summary>
    private static byte[] Records(int first, params byte[] labels)
    {
        var bytes = new List<byte>();
        for (int k = 0; k < labels.Length; k++)
        {
            bytes.Add(labels[k]);
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                        bytes.Add(Value(first + k, c, y, x));
        }
        return [.. bytes];
    }

    private static void AssertRecord(ImageDataset data, int row, int record)
    {
        var image = data.Images[row].bytes.ToArray(); // [3, 32, 32]
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++)
                    Assert.Equal(Value(record, c, y, x), image[(c * 32 + y) * 32 + x]);
    }

    [Fact]
    public void Should_RoundTripRecords_When_PathIsOneBinFile()
    {
        using var dir = new TempFolder();
        var path = dir.Write("test_batch.bin", Records(0, 6, 9, 0));

        using var data = CifarReader.Read(path);

        Assert.Equal(new long[] { 3, 3, 32, 32 }, data.Images.shape);
        Assert.Equal([6, 9, 0], data.Labels!);
        for (int r = 0; r < 3; r++)
            AssertRecord(data, r, r);
        Assert.Null(data.ClassNames);
    }

    [Fact]
    public void Should_ReadTrainBatchesInNumericOrderWithNames_When_PathIsFolder()
    {
        using var dir = new TempFolder();
        // Batch 10 sorts before batch 2 by name; numeric order must put it last. test_batch is not train data.
        dir.Write("data_batch_10.bin", Records(3, 4));
        dir.Write("data_batch_2.bin", Records(1, 2, 3));
        dir.Write("data_batch_1.bin", Records(0, 1));
        dir.Write("test_batch.bin", Records(50, 5));
        string[] names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
        System.IO.File.WriteAllText(dir.File("batches.meta.txt"), string.Join("\n", names) + "\n\n");

        using var data = CifarReader.Read(dir.Path);

        Assert.Equal([1, 2, 3, 4], data.Labels!);
        for (int r = 0; r < 4; r++)
            AssertRecord(data, r, r);
        Assert.Equal(names, data.ClassNames!);
    }

    [Fact]
    public void Should_ReadFirstRecordsAcrossBatches_When_LimitIsSet()
    {
        using var dir = new TempFolder();
        dir.Write("data_batch_1.bin", Records(0, 1, 1));
        dir.Write("data_batch_2.bin", Records(2, 2, 2));

        using var data = CifarReader.Read(dir.Path, new DataLoadOptions { Limit = 3 });

        Assert.Equal([1, 1, 2], data.Labels!);
        AssertRecord(data, 2, 2);
    }

    [Fact]
    public void Should_ThrowNamingFile_When_LengthIsNotAWholeNumberOfRecords()
    {
        using var dir = new TempFolder();
        var path = dir.Write("data_batch_1.bin", [.. Records(0, 1, 2), 0, 0, 0]);

        var e = Assert.Throws<DataException>(() => CifarReader.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains($"{2 * 3073 + 3} bytes", e.Message);
        Assert.Contains("3073", e.Message);
    }
}
