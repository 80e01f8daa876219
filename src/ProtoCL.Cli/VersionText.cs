using System.Reflection;
using ProtoCL.Training;

namespace ProtoCL.Cli;

/// <summary>What <c>protocl --version</c> prints: the build, its training revision (which runs it can resume) and the
/// TorchSharp and .NET it runs on, the facts a bug report needs.</summary>
public static class VersionText
{
    public static string Text
    {
        get
        {
            var build = typeof(TrainingRevision).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? typeof(TrainingRevision).Assembly.GetName().Version?.ToString() ?? "unknown";
            if (build.IndexOf('+') is var plus and > 0 && build.Length > plus + 8) build = build[..(plus + 8)]; // the commit, short
            var torchSharp = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";
            return $"ProtoCL {build} (training revision {TrainingRevision.Current}), TorchSharp {torchSharp}, .NET {Environment.Version}";
        }
    }
}
