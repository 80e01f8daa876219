using System.Globalization;

namespace ProtoCL.IO;

/// <summary>Sizes in bytes as messages print them: GB, MB or KB (decimal units, as the machine's memory is reported), one decimal.</summary>
public static class ByteSize
{
    /// <summary><paramref name="bytes"/> as "1.2 GB", "564.8 MB" or "1.2 KB".</summary>
    public static string Readable(double bytes)
    {
        var (value, unit) = bytes >= 1e9 ? (bytes / 1e9, "GB") : bytes >= 1e6 ? (bytes / 1e6, "MB") : (bytes / 1e3, "KB");
        return value.ToString("F1", CultureInfo.InvariantCulture) + " " + unit;
    }
}
