using System.Text;
using ProtoCL.IO;
using ProtoCL.Tests.Data;
using static TorchSharp.torch;

namespace ProtoCL.Tests.IO;

public class NpyTests
{
    /// <summary>A version 1.0 file written by hand: magic, version, uint16 header length, the dict padded with spaces and
    /// ended by a newline to a 128-byte preamble (10 + dict + 1 <= 128 for every dict here), then the data.</summary>
    private static byte[] VersionOne(string dict, byte[] data)
    {
        var header = dict + new string(' ', 128 - 10 - dict.Length - 1) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 };
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    [Fact]
    public void Should_WriteTheNpyFormatByteForByte_When_WritingFloat32TwoByThree()
    {
        using var dir = new TempFolder();
        var path = dir.File("a.npy");
        using (var t = tensor(new float[] { 1, 2, 3, 4, 5, 6 }).view(2, 3)) Npy.Write(path, t);
        var bytes = File.ReadAllBytes(path);

        // The .npy format 1.0: magic \x93NUMPY, version 1.0, header length as uint16 little endian, the header dict in
        // ASCII padded with spaces and ended by \n so that the data starts at a multiple of 64 bytes, then the data.
        // The dict is 59 characters; 10 + 59 + 1 = 70, so the data starts at 128 and the header length is 118 (0x76).
        const string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        Assert.Equal(59, dict.Length);
        var expected = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 0x76, 0x00 };
        expected.AddRange(Encoding.ASCII.GetBytes(dict + new string(' ', 58) + "\n"));
        Assert.Equal(128, expected.Count);
        // float32 little endian: 1 = 0x3F800000, 2 = 0x40000000, 3 = 0x40400000, 4 = 0x40800000, 5 = 0x40A00000, 6 = 0x40C00000.
        expected.AddRange([0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x40, 0x40,
                           0x00, 0x00, 0x80, 0x40, 0x00, 0x00, 0xA0, 0x40, 0x00, 0x00, 0xC0, 0x40]);
        Assert.Equal(expected.ToArray(), bytes);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void Should_WriteATrailingCommaInTheShape_When_TheTensorIsOneDimensional()
    {
        // numpy writes a 1-d shape as a Python 1-tuple, "(3,)".
        using var dir = new TempFolder();
        var path = dir.File("b.npy");
        using (var t = tensor(new long[] { 1, -2, 3 })) Npy.Write(path, t);
        var bytes = File.ReadAllBytes(path);
        const string dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
        Assert.Equal(57, dict.Length);
        // 10 + 57 + 1 = 68: padding 60 spaces, data at 128, header length 118.
        Assert.Equal(118, BitConverter.ToUInt16(bytes, 8));
        Assert.Equal(dict + new string(' ', 60) + "\n", Encoding.ASCII.GetString(bytes, 10, 118));
        Assert.Equal(128 + 3 * 8, bytes.Length);
        Assert.Equal(-2L, BitConverter.ToInt64(bytes, 128 + 8));
    }

    [Fact]
    public void Should_ReadAHandBuiltFile_When_VersionOneOrTwo()
    {
        using var dir = new TempFolder();
        // Version 1.0, float32 [2, 2] = (0.5, -1, 2, 8) little endian.
        var path1 = dir.Write("v1.npy", VersionOne("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
            [0x00, 0x00, 0x00, 0x3F, 0x00, 0x00, 0x80, 0xBF, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x41]));

        using (var t = Npy.Read(path1))
        {
            Assert.Equal(ScalarType.Float32, t.dtype);
            Assert.Equal(new long[] { 2, 2 }, t.shape);
            Assert.Equal([0.5f, -1f, 2f, 8f], t.data<float>().ToArray());
        }

        // Version 2.0 (uint32 header length after the 8-byte magic and version), uint8 [3] = (7, 0, 255); 12 + 57 + 1 = 70,
        // so padded to a 128-byte preamble.
        var header2 = "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }";
        header2 += new string(' ', 128 - 12 - header2.Length - 1) + "\n";
        var v2 = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0 };
        v2.AddRange(BitConverter.GetBytes((uint)header2.Length));
        v2.AddRange(Encoding.ASCII.GetBytes(header2));
        v2.AddRange([7, 0, 255]);
        var path2 = dir.Write("v2.npy", v2.ToArray());

        using (var t = Npy.Read(path2))
        {
            Assert.Equal(ScalarType.Byte, t.dtype);
            Assert.Equal(new long[] { 3 }, t.shape);
            Assert.Equal([7, 0, 255], t.data<byte>().ToArray());
        }
    }

    [Fact]
    public void Should_RefuseFortranOrderAndForeignFiles_When_Reading()
    {
        using var dir = new TempFolder();
        var fortran = dir.Write("f.npy", VersionOne("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]));
        Assert.Contains("Fortran", Assert.Throws<InvalidDataException>(() => Npy.Read(fortran)).Message);

        var text = dir.File("t.npy");
        File.WriteAllText(text, "not a numpy file at all");
        Assert.Contains("not a .npy file", Assert.Throws<InvalidDataException>(() => Npy.Read(text)).Message);
    }
}
