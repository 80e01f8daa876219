using System.Diagnostics;

namespace ProtoCL.Tests.Cli;

/// <summary>Runs the real <c>protocl</c> (ProtoCL.Cli.dll from this test's output folder) as a child process.</summary>
internal static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ProtoCL.Cli.dll");

    public static Process Start(params string[] args) => StartIn(null, args);

    /// <summary>Starts it in <paramref name="workingDirectory"/> (null: this process's).</summary>
    public static Process StartIn(string? workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        return Process.Start(psi)!;
    }

    /// <summary>Runs to completion (at most <paramref name="timeoutSeconds"/>) and returns exit code and all output.</summary>
    public static (int Code, string Output) Run(int timeoutSeconds, params string[] args) => RunIn(null, timeoutSeconds, args);

    /// <summary>As <see cref="Run"/>, in <paramref name="workingDirectory"/>.</summary>
    public static (int Code, string Output) RunIn(string? workingDirectory, int timeoutSeconds, params string[] args)
    {
        using var p = StartIn(workingDirectory, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"protocl {string.Join(' ', args)} ran longer than {timeoutSeconds} s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
