namespace Hone.Cli;

/// <summary>What a command needs does not exist (the database file, the study, the trial): exit code 1.</summary>
internal sealed class NotFoundException : Exception
{
    public NotFoundException()
    {
    }

    public NotFoundException(string message)
        : base(message)
    {
    }

    public NotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
