namespace Hone.Storage;

/// <summary>Thrown when a study or trial that does not exist is asked for.</summary>
public sealed class StudyNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception with a message.</summary>
    public StudyNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StudyNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public StudyNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
