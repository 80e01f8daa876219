using static TorchSharp.torch;

namespace ProtoCL.Data;

/// <summary>
/// Reads CIFAR-10 binary batches: records of 1 label byte followed by a 32x32 image stored planar (1024 red,
/// 1024 green, 1024 blue bytes), which is already the [3, 32, 32] layout, so each record copies straight into
/// uint8 [N, 3, 32, 32].
/// </summary>
public static class CifarReader
{
    /// <summary>Image side length.</summary>
    public const int Side = 32;

    /// <summary>Bytes of one image: 3 planes of 32x32.</summary>
    public const int ImageBytes = 3 * Side * Side;

    /// <summary>Bytes of one record: the label byte and the image.</summary>
    public const int RecordBytes = 1 + ImageBytes;

    /// <summary>CIFAR-10's number of classes; a label byte above 9 means the file is something else.</summary>
    public const int ClassCount = 10;

    /// <summary>Name of the class-name file that CIFAR-10's binary archive ships beside the batches.</summary>
    public const string MetaFileName = "batches.meta.txt";

    /// <summary>Records read per buffer fill: about 3 MB.</summary>
    private const int RecordsPerRead = 1024;

    /// <summary>
    /// Reads one .bin batch, or a folder's batches (<see cref="BatchFiles"/>), in order; class names from
    /// batches.meta.txt beside them when present.
    /// </summary>
    public static ImageDataset Read(string path, DataLoadOptions? options = null)
    {
        options ??= DataLoadOptions.Default;
        options.Validate();
        bool folder = Directory.Exists(path);
        var files = folder ? DataFiles.ListOrThrow(path, () => BatchFiles(path)) : [path];
        if (files.Count == 0)
            throw new DataException($"{path}: no CIFAR-10 batches (data_batch_*.bin or test_batch.bin) in this folder; point at a folder or .bin file from cifar-10-binary.tar.gz");
        var lengths = files.Select(RecordCount).ToArray();
        int take = (int)Math.Min(lengths.Sum(), options.Limit ?? int.MaxValue);
        var metaDir = folder ? path : Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var classNames = ReadClassNames(Path.Combine(metaDir, MetaFileName));

        var images = empty([take, 3, Side, Side], ScalarType.Byte);
        try
        {
            var labels = new int[take];
            int done = 0;
            for (int f = 0; f < files.Count && done < take; f++)
                done += ReadRecords(files[f], (int)Math.Min(lengths[f], take - done), images, labels, done);
            return new ImageDataset(images, labels, path, classNames);
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The batches of a folder: data_batch_N.bin in numeric order when any exist (the train split), otherwise
    /// test_batch.bin; a folder holding cifar-10-batches-bin (as the archive extracts) is looked into.
    /// </summary>
    public static IReadOnlyList<string> BatchFiles(string folder)
    {
        var nested = Path.Combine(folder, "cifar-10-batches-bin");
        if (!File.Exists(Path.Combine(folder, "test_batch.bin")) && Directory.Exists(nested))
            folder = nested;
        var train = Directory.GetFiles(folder, "data_batch_*.bin")
            .OrderBy(f => int.TryParse(Path.GetFileNameWithoutExtension(f)["data_batch_".Length..], out int n) ? n : int.MaxValue)
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
        if (train.Count > 0)
            return train;
        var test = Path.Combine(folder, "test_batch.bin");
        return File.Exists(test) ? [test] : [];
    }

    /// <summary>Number of records in a batch file; refuses lengths that are not a whole number of records.</summary>
    private static long RecordCount(string file)
    {
        long length;
        using (var s = DataFiles.OpenOrThrow(file))
            length = s.Length;
        if (length == 0)
            throw new DataException($"{file}: the file is empty (0 bytes); re-extract cifar-10-binary.tar.gz");
        if (length % RecordBytes != 0)
            throw new DataException($"{file}: {length} bytes is not a whole number of {RecordBytes}-byte CIFAR-10 records (1 label + 32x32x3 pixels); it is truncated or another format (CIFAR-100 and the Python pickles are not supported)");
        return length / RecordBytes;
    }

    /// <summary>Reads <paramref name="count"/> records of <paramref name="file"/> into rows from <paramref name="first"/>.</summary>
    private static int ReadRecords(string file, int count, Tensor images, int[] labels, int first)
    {
        using var stream = DataFiles.OpenOrThrow(file);
        var buffer = new byte[RecordsPerRead * RecordBytes];
        for (int done = 0; done < count;)
        {
            int records = Math.Min(RecordsPerRead, count - done);
            int want = records * RecordBytes;
            int got;
            try
            {
                got = stream.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
            }
            catch (IOException e)
            {
                throw new DataException($"{file}: read error ({e.Message}); check the disk and re-extract the file", e);
            }
            if (got < want)
                throw new DataException($"{file}: the file ended early (it changed while being read?); re-extract it");
            for (int r = 0; r < records; r++)
            {
                var record = buffer.AsSpan(r * RecordBytes, RecordBytes);
                int index = first + done + r;
                if (record[0] >= ClassCount)
                    throw new DataException($"{file}: record {done + r} has label {record[0]}, but CIFAR-10 labels are 0-9; this is not a CIFAR-10 batch");
                labels[index] = record[0];
                TensorFill.CopyImage(images, index, record[1..]); // [3, 32, 32], planar as stored
            }
            done += records;
        }
        return count;
    }

    /// <summary>The class names, one per non-empty line, or null when the file is absent or does not list ten.</summary>
    private static IReadOnlyList<string>? ReadClassNames(string metaPath)
    {
        if (!File.Exists(metaPath))
            return null;
        using var stream = DataFiles.OpenOrThrow(metaPath);
        using var reader = new StreamReader(stream);
        // Bounded: the real file is ten short lines, so 64 KiB is plenty and a stray huge file costs nothing.
        var text = new char[1 << 16];
        int length;
        try
        {
            length = reader.ReadBlock(text);
        }
        catch (IOException e)
        {
            throw new DataException($"{metaPath}: read error ({e.Message}); re-extract it or delete it to go without class names", e);
        }
        var names = new string(text, 0, length)
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return names.Length == ClassCount ? names : null;
    }
}
