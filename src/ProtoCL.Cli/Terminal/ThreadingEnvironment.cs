using System.Runtime.InteropServices;

namespace ProtoCL.Cli.Terminal;

/// <summary>
/// libtorch's OpenMP threads spin while they wait for work by default. On a machine whose cores are shared with
/// another busy process that spinning slows training by up to ten times (measured here: 32 against 230 images/s
/// with one other process on the two cores); with OMP_WAIT_POLICY=PASSIVE idle threads sleep instead.
/// libgomp reads the variable when libtorch is loaded, so it is set in the process environment before the first
/// torch call, and only when the user has not chosen a policy.
/// </summary>
public static partial class ThreadingEnvironment
{
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    public static void PreferPassiveWaiting()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null) return;
        try { SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0); }
        catch (DllNotFoundException) { }
        catch (EntryPointNotFoundException) { }
    }
}
