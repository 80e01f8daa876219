namespace ProtoCL.Data;

/// <summary>A file left out of a dataset under <see cref="BadImagePolicy.Skip"/>, and why.</summary>
/// <param name="Path">The file as found while scanning the folder.</param>
/// <param name="Reason">A short, user-facing reason ("truncated image data", "0-byte file", ...).</param>
public sealed record SkippedImage(string Path, string Reason);
