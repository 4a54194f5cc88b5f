using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hone.Telemetry;

/// <summary>
/// Where Hone reports what it does: metrics on the <see cref="System.Diagnostics.Metrics.Meter"/> named
/// <see cref="MeterName"/> (collect them with OpenTelemetry's <c>AddMeter("Hone")</c>, or any
/// <see cref="System.Diagnostics.Metrics.MeterListener"/>), and log messages through <see cref="LoggerFactory"/>.
/// </summary>
/// <remarks>
/// Instruments: <see cref="TrialsStarted"/>, <see cref="TrialsFinished"/> (tag <c>state</c>),
/// <see cref="SuggestDuration"/> (tag <c>sampler</c>), <see cref="StorageDuration"/> (tags <c>storage</c> and
/// <c>operation</c>) and <see cref="HeartbeatGap"/>; every one is tagged with the <c>study</c> where one is known.
/// Durations are in seconds. Logging is process-wide, as in Optuna's <c>optuna.logging</c>: the library never
/// writes to the console itself.
/// </remarks>
public static class HoneTelemetry
{
    /// <summary>The name of Hone's meter, shared by the core library and the storages.</summary>
    public const string MeterName = "Hone";

    /// <summary>Counter: trials started (asked, or popped from the queue).</summary>
    public const string TrialsStarted = "hone.trials.started";

    /// <summary>Counter: trials finished, tagged by their final <c>state</c> (complete, pruned, fail).</summary>
    public const string TrialsFinished = "hone.trials.finished";

    /// <summary>Histogram (s): time the sampler took to give one parameter's value (relative sampling included).</summary>
    public const string SuggestDuration = "hone.suggest.duration";

    /// <summary>Histogram (s): time of one storage operation, tagged with the storage kind and the operation.</summary>
    public const string StorageDuration = "hone.storage.duration";

    /// <summary>Histogram (s): time between two heartbeats of a running trial written by this process.</summary>
    public const string HeartbeatGap = "hone.heartbeat.gap";

    private static ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;

    /// <summary>
    /// The factory of every logger the library uses (categories <c>Hone.Study</c>, <c>Hone.Storage.*</c>); none by
    /// default. Set it once at start, e.g. to <c>LoggerFactory.Create(b =&gt; b.AddConsole())</c>.
    /// </summary>
    public static ILoggerFactory LoggerFactory
    {
        get => Volatile.Read(ref _loggerFactory);
        set => Volatile.Write(ref _loggerFactory, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>A logger of the current <see cref="LoggerFactory"/>.</summary>
    public static ILogger CreateLogger(string category) => LoggerFactory.CreateLogger(category);
}
