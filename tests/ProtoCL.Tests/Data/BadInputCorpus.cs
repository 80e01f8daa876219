namespace ProtoCL.Tests.Data;

/// <summary>Every generated bad input, by name; docs cite <see cref="CaseCount"/> (each case runs under both policies).</summary>
public static class BadInputCorpus
{
    /// <summary>How many bad inputs the corpus tries; a test keeps this equal to the list below.</summary>
    public const int CaseCount = 67;

    public static IReadOnlyList<BadInput> All { get; } =
        [.. IdxBadInputs.All, .. CifarBadInputs.All, .. ImageBadInputs.All];

    public static BadInput Find(string name) => All.Single(c => c.Name == name);
}
