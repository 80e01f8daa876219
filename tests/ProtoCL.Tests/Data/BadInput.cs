using ProtoCL.Data;

namespace ProtoCL.Tests.Data;

/// <summary>What a load of one bad input may end in (a combination when the codec's tolerance decides).</summary>
[Flags]
public enum Outcome
{
    /// <summary>Loaded, nothing skipped (the input was unusual but valid).</summary>
    Loads = 1,

    /// <summary>Loaded, with the culprit in <see cref="ImageDataset.Skipped"/>.</summary>
    Skipped = 2,

    /// <summary>A <see cref="DataException"/> whose message names the culprit.</summary>
    Throws = 4,
}

/// <summary>Where a bad-input case lies: the path to load, and the path every message about it must name.</summary>
public sealed record BadInputFiles(string Load, string Culprit);

/// <summary>
/// One generated bad input: how to build it in a temp folder, and the allowed outcomes under each policy.
/// <paramref name="DenyCulprit"/> makes opening the culprit fail with "permission denied" through the test seam.
/// </summary>
public sealed record BadInput(
    string Name,
    Func<TempFolder, BadInputFiles> Build,
    Outcome OnFail,
    Outcome OnSkip,
    Action<ImageDataset>? Check = null,
    bool DenyCulprit = false)
{
    /// <summary>Bad for the reader as a whole (IDX, CIFAR, paths): a DataException under either policy.</summary>
    public static BadInput Fatal(string name, Func<TempFolder, BadInputFiles> build) =>
        new(name, build, Outcome.Throws, Outcome.Throws);

    /// <summary>One bad image beside good ones: Fail throws naming it, Skip leaves it out with a warning.</summary>
    public static BadInput BadImage(string name, Func<TempFolder, BadInputFiles> build, bool deny = false) =>
        new(name, build, Outcome.Throws, Outcome.Skipped, DenyCulprit: deny);

    /// <summary>Unusual but valid: loads under either policy, and <paramref name="check"/> verifies the pixels.</summary>
    public static BadInput Valid(string name, Func<TempFolder, BadInputFiles> build, Action<ImageDataset>? check = null) =>
        new(name, build, Outcome.Loads, Outcome.Loads, check);
}
