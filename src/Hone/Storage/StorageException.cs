namespace Hone.Storage;

/// <summary>
/// Thrown when a storage cannot be opened or used: a bad URL, a wrong password, an unreachable server, a
/// missing folder, a database whose schema Hone does not understand. The message names the storage URL
/// (password masked) and what to check.
/// </summary>
public sealed class StorageException : Exception
{
    /// <summary>Creates the exception for a storage URL.</summary>
    public StorageException(StorageUrl? url, string message, Exception? innerException = null)
        : base(url is null ? message : $"Storage {url}: {message}", innerException)
    {
        Url = url;
    }

    /// <summary>Creates the exception.</summary>
    public StorageException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The storage URL concerned (its <see cref="StorageUrl.ToString"/> masks the password), when known.</summary>
    public StorageUrl? Url { get; }
}
