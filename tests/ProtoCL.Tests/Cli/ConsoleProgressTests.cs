using ProtoCL.Cli.Terminal;

namespace ProtoCL.Tests.Cli;

/// <summary>The plain (redirected) progress lines' remaining time.</summary>
public class ConsoleProgressTests
{
    [Theory]
    [InlineData(0, "00:00")]
    [InlineData(59.4, "00:59")]
    [InlineData(61, "01:01")]
    [InlineData(3599, "59:59")]
    [InlineData(3900, "1:05:00")]       // 1 h 5 min: mm:ss alone would read 05:00
    [InlineData(90061, "25:01:01")]     // over a day stays in hours
    public void Should_KeepTheHours_When_TheRemainingTimeReachesOne(double seconds, string expected)
    {
        Assert.Equal(expected, ConsoleProgress.Duration(seconds));
    }
}
