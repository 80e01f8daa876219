using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.IO;

/// <summary>Reads and writes numpy .npy files (format 1.0, C order, little endian) for float32, int64 and uint8.</summary>
public static class Npy
{
    /// <summary>Writes a tensor (float32, int64 or uint8, any shape) as .npy, atomically (temp file + rename).</summary>
    public static void Write(string path, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var t = tensor.detach().cpu().contiguous();
        string descr = t.dtype switch
        {
            ScalarType.Float32 => "<f4",
            ScalarType.Int64 => "<i8",
            ScalarType.Byte => "|u1",
            ScalarType.Int32 => "<i4",
            _ => throw new ArgumentException($"npy: unsupported dtype {t.dtype}"),
        };
        var shape = string.Join(", ", t.shape) + (t.shape.Length == 1 ? "," : "");
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({shape}), }}";
        int total = 10 + header.Length + 1;
        int pad = (64 - total % 64) % 64;
        header = header + new string(' ', pad) + "\n";
        var bytes = t.bytes.ToArray();
        AtomicFile.Write(path, stream =>
        {
            stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            var h = Encoding.ASCII.GetBytes(header);
            stream.Write(BitConverter.GetBytes((ushort)h.Length));
            stream.Write(h);
            stream.Write(bytes);
        });
    }

    /// <summary>Reads a .npy written by <see cref="Write"/> or numpy (float32, int64, int32, uint8; C order).</summary>
    public static Tensor Read(string path)
    {
        var data = File.ReadAllBytes(path);
        if (data.Length < 10 || data[0] != 0x93 || Encoding.ASCII.GetString(data, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{path} is not a .npy file");
        int major = data[6];
        int headerLen = major == 1 ? BitConverter.ToUInt16(data, 8) : BitConverter.ToInt32(data, 8);
        int start = major == 1 ? 10 : 12;
        var header = Encoding.ASCII.GetString(data, start, headerLen);
        if (header.Contains("'fortran_order': True")) throw new InvalidDataException($"{path}: Fortran order not supported");
        var descr = header.Split("'descr':")[1].Split('\'')[1];
        var shapeText = header.Split("'shape':")[1].Split('(')[1].Split(')')[0];
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        var dtype = descr switch
        {
            "<f4" => ScalarType.Float32,
            "<i8" => ScalarType.Int64,
            "<i4" => ScalarType.Int32,
            "|u1" => ScalarType.Byte,
            _ => throw new InvalidDataException($"{path}: unsupported dtype {descr}"),
        };
        var payload = data.AsSpan(start + headerLen).ToArray();
        var t = empty(shape, dtype);
        t.bytes = payload;
        return t;
    }
}
