using ProtoCL.Data;
using ProtoCL.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProtoCL.Cli;

/// <summary>Turns every expected failure into one clear line on stderr and a non-zero exit code, never a stack trace.</summary>
public static class ErrorReporting
{
    /// <summary>Exit code for bad input or settings.</summary>
    public const int BadInput = 2;
    /// <summary>Exit code when training diverged or the run was interrupted.</summary>
    public const int Stopped = 3;
    /// <summary>Exit code for an unexpected internal error.</summary>
    public const int Internal = 70;

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e);
            Console.Error.WriteLine("error: " + message);
            return code;
        }
    }

    public static (int Code, string Message) Describe(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerExceptions[0]),
        TypeInitializationException { InnerException: { } inner } => Describe(inner),
        CommandParseException or CommandRuntimeException => (BadInput, OneLine(e.Message)),
        UserError or DataException or ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException => (BadInput, OneLine(e.Message)),
        UnauthorizedAccessException => (BadInput, OneLine(e.Message) + " (check the permissions of the path)"),
        IOException => (BadInput, OneLine(e.Message)),
        TrainingDivergedException => (Stopped, OneLine(e.Message)),
        OperationCanceledException { InnerException: TrainingInterruptedException } => (Stopped, OneLine(e.Message)),
        OperationCanceledException => (Stopped, "interrupted; the last finished epoch's checkpoint is kept (continue with --resume)"),
        OutOfMemoryException => (Internal, "out of memory; try a smaller --batch-size, --width or --limit"),
        _ => (Internal, $"internal error ({e.GetType().Name}): {OneLine(e.Message)}; please report it"),
    };

    private static string OneLine(string message) => string.Join(" ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>A problem with what the user asked for, reported as one line.</summary>
public sealed class UserError(string message) : Exception(message);
