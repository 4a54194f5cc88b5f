namespace Hone.Cli;

/// <summary>The exit codes of <c>hone</c>, documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>An error at run time: storage, sampler, study not found, a file that cannot be written.</summary>
    public const int Error = 1;

    /// <summary>Bad usage: unknown option, invalid sweep file, invalid argument value.</summary>
    public const int Usage = 2;

    /// <summary><c>hone optimize</c> ran trials and every one of them failed.</summary>
    public const int AllTrialsFailed = 3;

    /// <summary>Interrupted by Ctrl+C (SIGINT) or SIGTERM: running trials were stopped and recorded.</summary>
    public const int Interrupted = 130;
}
