using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Hone.Cli;

/// <summary>The <c>hone</c> executable: wires Ctrl+C and SIGTERM to a graceful stop, then runs the command.</summary>
internal static class Program
{
    private static int _signals;

    private static async Task<int> Main(string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        using var killNow = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            // The first signal stops gracefully; a second one skips the grace period.
            context.Cancel = true;
            if (Interlocked.Increment(ref _signals) == 1)
            {
                // Cancel first: the live view erases itself on cancellation, so this line is not drawn into its box.
                interrupt.Cancel();
                Console.Error.WriteLine("hone: interrupted; stopping running trials (press Ctrl+C again to kill them at once)");
            }
            else
            {
                killNow.Cancel();
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        // The library's own messages (a lost database connection, a heartbeat not written) go to stderr.
        var level = Output.StderrLoggerProvider.LevelFromEnvironment(out var levelProblem);
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new Output.StderrLoggerProvider(Console.Error, level)).SetMinimumLevel(level));
        Hone.Telemetry.HoneTelemetry.LoggerFactory = loggers;
        if (levelProblem is not null)
        {
            await Console.Error.WriteLineAsync("hone: warning: " + levelProblem).ConfigureAwait(false);
        }

        var terminal = !Console.IsOutputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
        try
        {
            return await HoneCli.RunAsync(args, Console.Out, Console.Error, terminal, interrupt.Token, killNow.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The last resort: whatever escaped the command's own handling is still printed without a stack trace.
            await Console.Error.WriteLineAsync("hone: error: " + Output.Messages.Of(e)).ConfigureAwait(false);
            return ExitCodes.Error;
        }
    }
}
