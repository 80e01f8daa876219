using ProtoCL.Data;

namespace ProtoCL.Tests.Data;

public class BadInputCorpusTests
{
    public static TheoryData<string, BadImagePolicy> Cases()
    {
        var rows = new TheoryData<string, BadImagePolicy>();
        foreach (var c in BadInputCorpus.All)
            foreach (var policy in new[] { BadImagePolicy.Fail, BadImagePolicy.Skip })
                rows.Add(c.Name, policy);
        return rows;
    }

    [Fact]
    public void Should_ListCaseCountDistinctInputs_When_CorpusIsBuilt()
    {
        Assert.Equal(BadInputCorpus.CaseCount, BadInputCorpus.All.Count);
        Assert.Equal(BadInputCorpus.All.Count, BadInputCorpus.All.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_LoadOrSkipWithWarningOrThrowDataExceptionNamingTheFile_When_InputIsBad(string name, BadImagePolicy policy)
    {
        var input = BadInputCorpus.Find(name);
        using var dir = new TempFolder();
        var files = input.Build(dir);
        if (input.DenyCulprit)
            DataFiles.OpenRead = p => p == files.Culprit
                ? throw new UnauthorizedAccessException($"Access to the path '{p}' is denied.")
                : DataFiles.DefaultOpenRead(p);
        ImageDataset? data = null;
        Exception? error;
        try
        {
            error = Within.Catch(() => data = DatasetLoader.Load(files.Load, new DataLoadOptions { BadImagePolicy = policy }));
        }
        finally
        {
            DataFiles.OpenRead = DataFiles.DefaultOpenRead;
        }

        using (data)
        {
            Outcome actual = error is not null ? Outcome.Throws : data!.SkippedCount > 0 ? Outcome.Skipped : Outcome.Loads;
            var allowed = policy == BadImagePolicy.Fail ? input.OnFail : input.OnSkip;
            Assert.True(error is null or DataException, $"{name}: {error}");
            Assert.True(allowed.HasFlag(actual), $"{name} under {policy}: {actual}, allowed {allowed}; {error?.Message}");
            if (error is not null)
            {
                Assert.Contains(files.Culprit, error.Message);
                Assert.DoesNotContain('\n', error.Message);
            }
            if (actual == Outcome.Skipped)
            {
                Assert.Equal(data!.SkippedCount, data.Skipped.Count);
                Assert.Contains(data.Skipped, s => s.Path == files.Culprit && s.Reason.Length > 0);
            }
            if (data is not null)
                input.Check?.Invoke(data);
        }
    }
}
