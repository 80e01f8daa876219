using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ProtoCL.Tests.Cli;

/// <summary><c>protocl --version</c> through the real command.</summary>
public class VersionCliTests
{
    [Fact]
    public void Should_PrintTheBuildItsTrainingRevisionAndTheTorchSharpItRunsOn_When_AskedForTheVersion()
    {
        // The TorchSharp version the build pins, read from the repository's package list rather than from the code.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var torchSharp = XDocument.Load(Path.Combine(dir!.FullName, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == "TorchSharp-cpu").Attribute("Version")!.Value;

        foreach (var flag in new[] { "--version", "-v" })
        {
            var r = CliProcess.Run(60, flag);

            Assert.True(r.Code == 0, r.Output);
            var expected = $@"^ProtoCL \d+\.\d+\.\d+(\+[0-9a-f]{{7}})? \(training revision {ProtoCL.Training.TrainingRevision.Current}\), " +
                           $@"TorchSharp {Regex.Escape(torchSharp)}, \.NET \d+\.\d+\.\d+\s*$";
            Assert.Matches(expected, r.Output);
        }
    }
}
