using Hone.Telemetry;
using Microsoft.Extensions.Logging;

namespace Hone.Storage.Postgres;

/// <summary>The PostgreSQL storage's log messages (category <c>Hone.Storage.Postgres</c>).</summary>
internal static partial class PostgresLog
{
    public static ILogger Logger => HoneTelemetry.CreateLogger("Hone.Storage.Postgres");

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Lost the connection to {Url} ({Error}); trying again in {Delay} (attempt {Attempt}, {Elapsed} since the first failure)")]
    public static partial void Reconnecting(ILogger logger, string url, string error, TimeSpan delay, int attempt, TimeSpan elapsed);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "The connection to {Url} broke during COMMIT; the server says transaction {Xid} {Outcome}")]
    public static partial void CommitOutcome(ILogger logger, string url, string xid, string outcome);
}
