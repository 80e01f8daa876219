namespace ProtoCL.Data;

/// <summary>
/// The one exception type the dataset readers throw for bad input (missing, corrupt, truncated or
/// unsupported files). Its message is a single user-facing line that names the path and says what to do.
/// </summary>
public sealed class DataException : Exception
{
    /// <summary>Creates the exception with a one-line message naming the path and the fix.</summary>
    public DataException(string message) : base(message) { }

    /// <summary>Creates the exception, keeping the lower-level cause for diagnostics.</summary>
    public DataException(string message, Exception inner) : base(message, inner) { }
}
