using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ProtoCL.Tests;

/// <summary>The README's C# API example compiles against this build of the library, as a user's console program would.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void Should_CompileAgainstTheLibrary_When_PastedIntoAConsoleProgram()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## The C# API", StringComparison.Ordinal)..];
        var code = Regex.Match(section, "```csharp\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("DatasetLoader.LoadEmbedded", code);                 // the example itself, not an empty match

        // What `dotnet new console` gives a program: implicit usings and nullable annotations.
        const string implicitUsings = "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
                                      "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(ProtoCL.Data.DatasetLoader).Assembly.Location, typeof(TorchSharp.torch).Assembly.Location])
            .Distinct().Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("ReadmeExample",
            [CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest)), CSharpSyntaxTree.ParseText(implicitUsings)],
            references, new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && Directory.Exists(Path.Combine(dir.FullName, "src", "ProtoCL")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no repository root above {AppContext.BaseDirectory}");
    }
}
