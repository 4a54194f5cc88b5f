using Hone.Trials;
using Microsoft.Extensions.Logging;

namespace Hone.Telemetry;

/// <summary>The core library's log messages (category <c>Hone.Study</c>), through <see cref="HoneTelemetry.LoggerFactory"/>.</summary>
internal static partial class HoneLog
{
    public static ILogger Study => HoneTelemetry.CreateLogger("Hone.Study");

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Trial {Number} of study \"{Study}\" failed: {Reason}")]
    public static partial void TrialFailed(ILogger logger, int number, string study, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Trial {Number} of study \"{Study}\" finished: {State}")]
    public static partial void TrialFinished(ILogger logger, int number, string study, TrialState state);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Trial {Number} of study \"{Study}\" was failed: its worker is gone or its heartbeat stopped ({Reason})")]
    public static partial void StaleTrialFailed(ILogger logger, int number, string study, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Trial {Number} was finished by another process; its objective is told to stop")]
    public static partial void FinishedElsewhere(ILogger logger, int number);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "The heartbeat of trial {Number} could not be written; trying again in {Interval}")]
    public static partial void HeartbeatFailed(ILogger logger, Exception error, int number, TimeSpan interval);
}
