namespace ProtoCL.Data;

/// <summary>What an image-folder read does with a file it cannot decode.</summary>
public enum BadImagePolicy
{
    /// <summary>Stop with a <see cref="DataException"/> naming the file (the default: silent data loss is worse).</summary>
    Fail,

    /// <summary>Leave the file out, count it in <see cref="ImageDataset.SkippedCount"/> and record why in <see cref="ImageDataset.Skipped"/>.</summary>
    Skip,
}
