namespace ProtoCL.Tests.Data;

/// <summary>Runs a read with a deadline, so a reader that hangs on hostile input fails the test instead of the run.</summary>
public static class Within
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>The action's exception (null when it returned), or a test failure when it ran past the deadline.</summary>
    public static Exception? Catch(Action action, TimeSpan? deadline = null)
    {
        var task = Task.Run(action);
        try
        {
            if (!task.Wait(deadline ?? Default))
                Assert.Fail($"the read did not finish within {(deadline ?? Default).TotalSeconds} s");
            return null;
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            return e.InnerException;
        }
    }
}
