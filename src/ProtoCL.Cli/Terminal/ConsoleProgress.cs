using System.Diagnostics;
using ProtoCL.Training;
using Spectre.Console;

namespace ProtoCL.Cli.Terminal;

/// <summary>
/// Progress for long steps: live bars with ETA on an interactive terminal (Spectre.Console), otherwise a plain
/// line per stage at most every few seconds, so logs of redirected runs stay readable.
/// </summary>
public static class ConsoleProgress
{
    /// <summary>
    /// Set by a command whose standard output is its result (eval without --json prints the JSON there): progress and
    /// messages then go to standard error, as plain lines when standard output is redirected, so the result stays clean.
    /// </summary>
    public static bool ResultOnStandardOutput { get; set; }

    private static TextWriter Text => ResultOnStandardOutput ? Console.Error : Console.Out;

    public static T Run<T>(Func<ITrainingObserver, T> body)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsErrorRedirected && Console.IsOutputRedirected
            || ResultOnStandardOutput && Console.IsOutputRedirected)
            return body(new PlainObserver());
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => { result = body(new LiveObserver(ctx)); });
        return result;
    }

    public static void Run(Action<ITrainingObserver> body) => Run<int>(o => { body(o); return 0; });

    private sealed class LiveObserver(ProgressContext ctx) : ITrainingObserver
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];

        public void Progress(string stage, long done, long total, string? detail = null)
        {
            if (!_tasks.TryGetValue(stage, out var task))
            {
                task = ctx.AddTask(Markup.Escape(stage), maxValue: Math.Max(1, total));
                _tasks[stage] = task;
            }
            task.MaxValue = Math.Max(1, total);
            task.Value = done;
            if (detail is not null) task.Description = Markup.Escape($"{stage}  {detail}");
            ctx.Refresh();
        }

        public void EpochFinished(EpochMetrics m) => AnsiConsole.MarkupLine(Markup.Escape(Summary(m)));

        public void Message(string text) => AnsiConsole.MarkupLine("[yellow]" + Markup.Escape(text) + "[/]");
    }

    private sealed class PlainObserver : ITrainingObserver
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Dictionary<string, (double Last, long Done, Stopwatch Started)> _stages = [];

        public void Progress(string stage, long done, long total, string? detail = null)
        {
            // A stage name seen again from the start (next run of a reproduction) starts a new clock.
            if (!_stages.TryGetValue(stage, out var s) || done < s.Done) s = (-10, 0, Stopwatch.StartNew());
            double now = _clock.Elapsed.TotalSeconds;
            if (now - s.Last < 5 && done < total) { _stages[stage] = (s.Last, done, s.Started); return; }
            double elapsed = s.Started.Elapsed.TotalSeconds;
            string eta = done > 0 && done < total && elapsed >= 2 ? $", ETA {Duration(elapsed / done * (total - done))}" : "";
            Text.WriteLine($"{stage}: {done}/{total}{(detail is null ? "" : "  " + detail)}{eta}");
            _stages[stage] = (now, done, s.Started);
        }

        public void EpochFinished(EpochMetrics m) => Text.WriteLine(Summary(m));

        public void Message(string text) => Text.WriteLine(text);
    }

    /// <summary>A remaining time as m:ss, or h:mm:ss from an hour on (mm:ss alone would wrap at the hour).</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(Math.Max(0, seconds)));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss}" : $"{t:mm\\:ss}";
    }

    public static string Summary(EpochMetrics m) =>
        $"epoch {m.Epoch}: loss {m.Loss:F4} (instance {m.LossInstance:F4}" +
        (m.LossProto is double lp ? $", proto {lp:F4}" : "") + $"), acc_instance {m.AccInstance:P1}" +
        (m.AccProto is double ap ? $", acc_proto {ap:P1}" : "") +
        $", lr {m.Lr:G3}, {m.ImagesPerSecond:F0} img/s, train {m.SecondsTrain:F1}s, E-step {m.SecondsEStep:F1}s";
}
