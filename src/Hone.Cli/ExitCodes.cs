namespace Hone.Cli;

/// <summary>The exit codes of <c>hone</c>; the table in docs/cli.md says the same, and ExitCodeTests test each row.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>What the command needs does not exist: the database file, the study, the trial, a complete trial for <c>best</c>.</summary>
    public const int NotFound = 1;

    /// <summary>
    /// Bad usage: unknown command or option, a value that is not valid for its option, an invalid sweep file, a
    /// missing name, or a request the stored study refuses (an existing study name, a finished trial, other data).
    /// </summary>
    public const int Usage = 2;

    /// <summary><c>hone optimize</c> ran trials and every one of them failed.</summary>
    public const int AllTrialsFailed = 3;

    /// <summary>An error at run time: the storage cannot be opened, read or written, a sampler failed, a file cannot be written.</summary>
    public const int Error = 4;

    /// <summary>
    /// <c>hone drift</c> found a column whose distribution has shifted (so a cron job can re-tune on it); <c>hone retune</c>
    /// found a shifted column or a score drop, and re-tuned.
    /// </summary>
    public const int Shifted = 5;

    /// <summary>Interrupted by Ctrl+C (SIGINT) or SIGTERM: running trials were stopped and recorded.</summary>
    public const int Interrupted = 130;
}
