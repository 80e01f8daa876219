namespace ProtoCL.Tests.Data;

/// <summary>Broken CIFAR-10 batches: wrong lengths, empty files, labels outside 0-9, one bad batch among good ones.</summary>
public static class CifarBadInputs
{
    private static byte[] Records(int count, byte label = 3)
    {
        var bytes = new byte[count * 3073];
        for (int r = 0; r < count; r++)
            bytes[r * 3073] = label;
        return bytes;
    }

    private static Func<TempFolder, BadInputFiles> Batch(Func<byte[]> bytes) =>
        dir =>
        {
            var path = dir.Write("data_batch_1.bin", bytes());
            return new BadInputFiles(path, path);
        };

    public static IEnumerable<BadInput> All =>
    [
        BadInput.Fatal("cifar-length-not-a-multiple-of-3073", Batch(() => Records(2)[..^100])),
        BadInput.Fatal("cifar-zero-byte-file", Batch(() => [])),
        BadInput.Fatal("cifar-label-out-of-range", Batch(() => Records(2, label: 57))),
        BadInput.Fatal("cifar-100-style-two-label-records", Batch(() => new byte[3074 * 3])),
        BadInput.Fatal("cifar-folder-with-one-truncated-batch", dir =>
        {
            dir.Write("data_batch_1.bin", Records(2));
            var bad = dir.Write("data_batch_2.bin", Records(2)[..5000]);
            return new BadInputFiles(dir.Path, bad);
        }),
    ];
}
