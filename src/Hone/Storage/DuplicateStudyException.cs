namespace Hone.Storage;

/// <summary>Thrown when a study is created with a name the storage already holds.</summary>
public sealed class DuplicateStudyException : InvalidOperationException
{
    /// <summary>Creates the exception for a study name.</summary>
    public DuplicateStudyException(string studyName)
        : base($"A study named \"{studyName}\" already exists. Load it, pass LoadIfExists = true, or choose another name.")
    {
        StudyName = studyName;
    }

    /// <summary>Creates the exception.</summary>
    public DuplicateStudyException()
    {
        StudyName = string.Empty;
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public DuplicateStudyException(string message, Exception innerException)
        : base(message, innerException)
    {
        StudyName = string.Empty;
    }

    /// <summary>The name that was already taken.</summary>
    public string StudyName { get; }
}
