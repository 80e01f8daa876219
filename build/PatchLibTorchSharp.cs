using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks the GLIBCXX_3.4.32 requirement of libLibTorchSharp.so weak (ELF .gnu.version_r, VER_FLG_WEAK)
/// when the running system's libstdc++ lacks that version. See PatchLibTorchSharp.targets for why.
/// </summary>
public sealed class PatchLibTorchSharp : Task
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string BaseVersion = "GLIBCXX_3.4";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required]
    public string[] Folders { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return true;
        if (SystemHasVersion()) return true;
        foreach (var folder in Folders)
        {
            if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder)) continue;
            foreach (var file in Directory.EnumerateFiles(folder, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                try
                {
                    var result = Patch(file);
                    Log.LogMessage(MessageImportance.Normal, $"PatchLibTorchSharp: {file}: {result}");
                }
                catch (Exception e)
                {
                    Log.LogWarning($"PatchLibTorchSharp: could not patch {file}: {e.Message}");
                }
            }
        }
        return true;
    }

    private static bool SystemHasVersion()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        var needle = Encoding.ASCII.GetBytes(Version + "\0");
        foreach (var path in candidates)
        {
            if (!File.Exists(path)) continue;
            var bytes = File.ReadAllBytes(path);
            return Contains(bytes, needle);
        }
        return true; // no libstdc++ found where we look: leave the file alone
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    private static int FindString(byte[] b, int start, int size, string s)
    {
        var needle = Encoding.ASCII.GetBytes(s + "\0");
        for (int i = start; i + needle.Length <= start + size; i++)
        {
            int j = 0;
            while (j < needle.Length && b[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    /// <summary>The System V ELF hash used in vna_hash.</summary>
    private static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (char c in name)
        {
            h = (h << 4) + c;
            uint g = h & 0xf0000000;
            if (g != 0) h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    /// <summary>Returns what was done; throws on a malformed file.</summary>
    public static string Patch(string path)
    {
        var b = File.ReadAllBytes(path);
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            return "not an ELF file";
        if (b[4] != 2 || b[5] != 1) return "not ELF64 little-endian";
        ulong shoff = BitConverter.ToUInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A);
        int shnum = BitConverter.ToUInt16(b, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            int sh = checked((int)shoff + s * shentsize);
            if (BitConverter.ToUInt32(b, sh + 4) != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToUInt64(b, sh + 0x18));
            int link = (int)BitConverter.ToUInt32(b, sh + 0x28);
            int count = (int)BitConverter.ToUInt32(b, sh + 0x2C);
            int strtab = checked((int)BitConverter.ToUInt64(b, checked((int)shoff + link * shentsize) + 0x18));
            int vn = offset;
            for (int i = 0; i < count; i++)
            {
                int auxCount = BitConverter.ToUInt16(b, vn + 2);
                int aux = vn + (int)BitConverter.ToUInt32(b, vn + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int nameOffset = strtab + (int)BitConverter.ToUInt32(b, aux + 8);
                    int end = Array.IndexOf(b, (byte)0, nameOffset);
                    string name = Encoding.ASCII.GetString(b, nameOffset, end - nameOffset);
                    if (name == Version)
                    {
                        // Weak alone still makes ldd and the loader print "weak version ... not found";
                        // pointing the entry at the base version GLIBCXX_3.4 (present in every libstdc++)
                        // removes the requirement. The marker symbol has no relocation, so it is never looked up.
                        int strtabSize = checked((int)BitConverter.ToUInt64(b, checked((int)shoff + link * shentsize) + 0x20));
                        int baseName = FindString(b, strtab, strtabSize, BaseVersion);
                        if (baseName < 0) return "no " + BaseVersion + " string to point at";
                        ushort flags = BitConverter.ToUInt16(b, aux + 4);
                        BitConverter.GetBytes(ElfHash(BaseVersion)).CopyTo(b, aux);
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(b, aux + 4);
                        BitConverter.GetBytes((uint)(baseName - strtab)).CopyTo(b, aux + 8);
                        var tmp = path + ".patching";
                        File.WriteAllBytes(tmp, b);
                        File.Copy(tmp, path, true);
                        File.Delete(tmp);
                        return "requirement " + Version + " replaced by weak " + BaseVersion;
                    }
                    aux += (int)BitConverter.ToUInt32(b, aux + 12);
                }
                vn += (int)BitConverter.ToUInt32(b, vn + 12);
            }
            return "no " + Version + " requirement (already patched or not needed)";
        }
        return "no .gnu.version_r section";
    }
}
