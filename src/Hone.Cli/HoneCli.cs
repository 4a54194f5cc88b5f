using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using Hone.Cli.Commands;
using Hone.Cli.Output;
using Hone.Cli.Sweep;
using Hone.Storage;

namespace Hone.Cli;

/// <summary>The <c>hone</c> command line, callable in-process (the tests do) with its own output and interrupt tokens.</summary>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "The in-process entry point of the tool, used by its tests.")]
public static class HoneCli
{
    /// <summary>Runs <c>hone</c> with <paramref name="args"/>; returns the exit code.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="output">Where results and progress go.</param>
    /// <param name="error">Where errors and warnings go.</param>
    /// <param name="terminal">Whether output is an interactive terminal (enables the live progress view).</param>
    /// <param name="interrupt">Cancelled on Ctrl+C: stop launching trials, terminate running ones, exit 130.</param>
    /// <param name="killNow">Cancelled on a second Ctrl+C: terminate without the grace period.</param>
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, bool terminal = false, CancellationToken interrupt = default, CancellationToken killNow = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var context = new CliContext(output, error, terminal, interrupt, killNow);
        var root = new RootCommand("hone: hyperparameter optimization for any program. Tune it from a YAML sweep file, and manage studies.");
        OptimizeCommands.Add(root, context);
        StudyCommands.Add(root, context);
        AskTellCommands.Add(root, context);
        TuneCommand.Add(root, context);
        RefineCommand.Add(root, context);
        DriftCommand.Add(root, context);
        RetuneCommand.Add(root, context);
        WorkerCommand.Add(root, context);
        ImportanceCommand.Add(root, context);
        ReportCommand.Add(root, context);
        DashboardCommand.Add(root, context);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                await error.WriteLineAsync($"hone: {Messages.Clean(e.Message)}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'hone --help' (or 'hone <command> --help') for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Every storage the command opens is closed when it ends, however it ends: SQLite's WAL is then checkpointed
        // into the .db file, which alone holds every trial.
        using var storages = StorageFactory.BeginScope();
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                ProcessTerminationTimeout = null,
                EnableDefaultExceptionHandler = false,
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SweepException e)
        {
            foreach (var problem in e.Problems)
            {
                await error.WriteLineAsync(Messages.Clean($"{problem}")).ConfigureAwait(false);
            }

            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var (code, prefix) = Classify(e);
            await error.WriteLineAsync($"hone: {prefix}{Messages.Of(e)}").ConfigureAwait(false);
            if (code == ExitCodes.Error && Environment.GetEnvironmentVariable("HONE_DEBUG") is "1")
            {
                await error.WriteLineAsync(Messages.Clean(e.ToString())).ConfigureAwait(false);
            }

            return code;
        }
    }

    /// <summary>The exit code of an error that ended a command, and how its message starts (the table in docs/cli.md).</summary>
    internal static (int Code, string Prefix) Classify(Exception e) => e switch
    {
        UsageException or ArgumentException or Trials.TrialFinishedException => (ExitCodes.Usage, string.Empty),
        NotFoundException or StudyNotFoundException => (ExitCodes.NotFound, string.Empty),
        DuplicateStudyException => (ExitCodes.Usage, string.Empty),
        _ => (ExitCodes.Error, "error: "),
    };
}

/// <summary>What every command needs from its host.</summary>
internal sealed record CliContext(TextWriter Output, TextWriter Error, bool Terminal, CancellationToken Interrupt, CancellationToken KillNow);

/// <summary>A command line that is wrong in a way the parser cannot see (bad JSON, a missing name): exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
