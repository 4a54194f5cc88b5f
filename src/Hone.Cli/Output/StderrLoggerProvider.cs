using Microsoft.Extensions.Logging;

namespace Hone.Cli.Output;

/// <summary>
/// Prints the library's log messages (<see cref="Hone.Telemetry.HoneTelemetry.LoggerFactory"/>) on standard error as
/// <c>hone: warning: ...</c>, at the level of <c>HONE_LOG_LEVEL</c> (trace, debug, information, warning — the default —,
/// error or none). An exception shows as its message, never as a stack trace. Trial outcomes are left out: the
/// commands print those themselves.
/// </summary>
internal sealed class StderrLoggerProvider(TextWriter error, LogLevel minimum) : ILoggerProvider
{
    /// <summary>The environment variable that sets the level.</summary>
    public const string LevelVariable = "HONE_LOG_LEVEL";

    private static readonly HashSet<int> PrintedByCommands = [1, 2]; // trial failed, trial finished

    /// <summary>The level <c>HONE_LOG_LEVEL</c> asks for, or an explanation of a value it does not understand.</summary>
    public static LogLevel LevelFromEnvironment(out string? problem)
    {
        problem = null;
        var text = Environment.GetEnvironmentVariable(LevelVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return LogLevel.Warning;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case "trace": return LogLevel.Trace;
            case "debug": return LogLevel.Debug;
            case "information" or "info": return LogLevel.Information;
            case "warning" or "warn": return LogLevel.Warning;
            case "error": return LogLevel.Error;
            case "none" or "off": return LogLevel.None;
            default:
                problem = $"{LevelVariable}={text} is not a log level; use trace, debug, information, warning, error or none (warning is used)";
                return LogLevel.Warning;
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(StderrLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel) || PrintedByCommands.Contains(eventId.Id))
            {
                return;
            }

            var level = logLevel switch
            {
                LogLevel.Critical or LogLevel.Error => "error",
                LogLevel.Warning => "warning",
                _ => logLevel.ToString().ToLowerInvariant(),
            };
            var text = formatter(state, exception);
            if (exception is not null)
            {
                text += $" ({Messages.Of(exception)})";
            }

            lock (provider.Error)
            {
                provider.Error.WriteLine($"hone: {level}: {Messages.Clean(text)}");
            }
        }
    }

    private TextWriter Error => error;

    private LogLevel Minimum => minimum;
}
