namespace Hone.Artifacts;

/// <summary>
/// Every checkpoint recorded for a trial is missing or fails its checksum, so none can be loaded. (When only the
/// latest is bad, loading falls back to the previous good one instead of throwing.)
/// </summary>
public sealed class CorruptCheckpointException : Exception
{
    /// <summary>Creates the exception with a message that names the trial and what was wrong.</summary>
    public CorruptCheckpointException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public CorruptCheckpointException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CorruptCheckpointException()
    {
    }
}
