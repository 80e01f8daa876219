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
        CommandParseException or CommandRuntimeException => (BadInput, OneLine(Plain(e.Message))),
        ArgumentException { ParamName: not null } a => (BadInput, OneLine(WithoutParameter(a))),
        UserError or DataException or ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException => (BadInput, OneLine(e.Message)),
        UnauthorizedAccessException => (BadInput, OneLine(e.Message) + " (check the permissions of the path)"),
        IOException => (BadInput, OneLine(e.Message)),
        TrainingDivergedException => (Stopped, OneLine(e.Message)),
        OperationCanceledException { InnerException: TrainingInterruptedException } => (Stopped, OneLine(e.Message)),
        OperationCanceledException => (Stopped, "interrupted; the last finished epoch's checkpoint is kept (continue with --resume)"),
        OutOfMemoryException => (Internal, "out of memory; " + MemoryHint),
        System.Runtime.InteropServices.ExternalException when TorchAllocation(e.Message) is long bytes =>
            (Internal, $"out of memory: libtorch could not allocate {bytes / 1e9:F1} GB; " + MemoryHint),
        _ => (Internal, $"internal error ({e.GetType().Name}): {OneLine(e.Message)}; please report it"),
    };

    /// <summary>Spectre.Console.Cli's messages with .NET type names said in words ("Failed to convert 'abc' to Nullable`1.").</summary>
    private static string Plain(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"^Failed to convert '(.*)' to (\S+?)\.?$");
        if (message.StartsWith("Unknown option", StringComparison.Ordinal)) return message.TrimEnd('.') + " (--help lists the options)";
        if (!m.Success) return message;
        string kind = m.Groups[2].Value switch
        {
            "Int32" or "Int64" or "Nullable`1" => "a number",
            "Double" or "Single" => "a number",
            "Boolean" => "true or false",
            _ => "a value of the option's type",
        };
        return $"'{m.Groups[1].Value}' is not {kind}, which that option takes (--help lists the options and their values)";
    }

    /// <summary>An <see cref="ArgumentException"/>'s message without the " (Parameter 'x')" .NET appends: the user gave an option, not a parameter.</summary>
    private static string WithoutParameter(ArgumentException e)
    {
        return e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
    }

    private const string MemoryHint = "try a smaller --batch-size, --image-size, --width or --limit";

    /// <summary>The bytes a failed libtorch allocation asked for ("... you tried to allocate N bytes ..."); null for other messages.</summary>
    internal static long? TorchAllocation(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"tried to allocate (\d+) bytes");
        return m.Success && long.TryParse(m.Groups[1].Value, out long bytes) ? bytes : null;
    }

    private static string OneLine(string message) => string.Join(" ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>A problem with what the user asked for, reported as one line.</summary>
public sealed class UserError(string message) : Exception(message);
