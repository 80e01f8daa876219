namespace ProtoCL.Training;

/// <summary>What the processor offers, read from /proc/cpuinfo on Linux.</summary>
public static class CpuFeatures
{
    private static readonly Lazy<string> Flags = new(() =>
    {
        try
        {
            return File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? ""
                : "";
        }
        catch (IOException) { return ""; }
    });

    /// <summary>AVX-512 BF16 instructions (fast bfloat16 matrix products in libtorch's oneDNN kernels).</summary>
    public static bool HasBf16 => Flags.Value.Split(' ').Contains("avx512_bf16");

    /// <summary>Model name of the first processor, for benchmark records.</summary>
    public static string ModelName
    {
        get
        {
            try
            {
                var line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
                return line?.Split(':', 2)[1].Trim() ?? "unknown";
            }
            catch (IOException) { return "unknown"; }
        }
    }
}
