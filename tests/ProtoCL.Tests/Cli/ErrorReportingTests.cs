using ProtoCL.Cli;
using ProtoCL.Data;
using ProtoCL.Training;

namespace ProtoCL.Tests.Cli;

/// <summary>The exit-code contract (docs/reliability.md): 2 bad input, 3 stopped, 70 internal; always one line on stderr.</summary>
[Collection("console")]
public class ErrorReportingTests
{
    public static TheoryData<Exception, int> Mapping => new()
    {
        { new UserError("bad --lr"), 2 },
        { new DataException("x.png: truncated"), 2 },
        { new ArgumentException("K must be at least 2"), 2 },
        { new FileNotFoundException("no such file"), 2 },
        { new DirectoryNotFoundException("no such folder"), 2 },
        { new UnauthorizedAccessException("denied"), 2 },
        { new IOException("No space left on device"), 2 },
        { new TrainingDivergedException("epoch 2, step 5: the loss is NaN"), 3 },
        { new OperationCanceledException(), 3 },
        { new OutOfMemoryException(), 70 },
        { new InvalidOperationException("boom"), 70 },
        { new NullReferenceException(), 70 },
        { new AggregateException(new UserError("inner")), 2 },
    };

    [Theory]
    [MemberData(nameof(Mapping))]
    public void Should_MapExceptionToDocumentedExitCode_When_Described(Exception e, int expected)
    {
        var (code, message) = ErrorReporting.Describe(e);
        Assert.Equal(expected, code);
        Assert.DoesNotContain('\n', message);
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    [Fact]
    public void Should_PrintOneErrorLineAndReturn70_When_BodyThrowsUnexpectedly()
    {
        var stderr = new StringWriter();
        var old = Console.Error;
        Console.SetError(stderr);
        int code;
        try { code = ErrorReporting.Run(() => throw new InvalidOperationException("first line\nsecond line")); }
        finally { Console.SetError(old); }
        Assert.Equal(70, code);
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Equal("error: internal error (InvalidOperationException): first line second line; please report it", lines[0]);
    }

    [Fact]
    public void Should_SayOutOfMemoryInOneLine_When_LibtorchCannotAllocate()
    {
        // The shape of libtorch's message (one line of it; the real one goes on with a native stack trace).
        var e = new System.Runtime.InteropServices.ExternalException(
            "[enforce fail at alloc_cpu.cpp:127] data. DefaultCPUAllocator: not enough memory: you tried to allocate 38252052480 bytes.\nframe #0: c10::ThrowEnforceNotMet");
        var (code, message) = ErrorReporting.Describe(e);
        Assert.Equal(70, code);
        Assert.Equal("out of memory: libtorch could not allocate 38.3 GB; try a smaller --batch-size, --image-size, --width or --limit", message);
        // Any other native failure stays an internal error with its message.
        Assert.StartsWith("internal error (ExternalException): shape mismatch", ErrorReporting.Describe(new System.Runtime.InteropServices.ExternalException("shape mismatch")).Message);
    }

    [Fact]
    public void Should_LeaveOutDotNetsParameterNote_When_AnArgumentIsRefused()
    {
        // The user gave an option, not a C# parameter: " (Parameter 'k')" is .NET's, and says nothing to them.
        var (code, message) = ErrorReporting.Describe(new ArgumentOutOfRangeException("k", 2000, "K must be smaller than the number of points (100)"));
        Assert.Equal(2, code);
        Assert.Equal("K must be smaller than the number of points (100) Actual value was 2000.", message);
    }

    [Fact]
    public void Should_PassTheBodysExitCodeThrough_When_NothingThrows()
    {
        Assert.Equal(0, ErrorReporting.Run(() => 0));
        Assert.Equal(5, ErrorReporting.Run(() => 5));
    }
}
