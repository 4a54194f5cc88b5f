using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hone.Telemetry;

namespace Hone.Storage.Journal;

/// <summary>The journal storage's instruments on the <see cref="HoneTelemetry.MeterName"/> meter, as the relational storages have.</summary>
internal static class JournalInstruments
{
    private static readonly Meter Meter = new(HoneTelemetry.MeterName, typeof(JournalInstruments).Assembly.GetName().Version?.ToString());

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(HoneTelemetry.StorageDuration, "s", "Time of one storage operation");

    /// <summary>Records the time since <paramref name="start"/> (a <see cref="Stopwatch"/> timestamp) under the operation's name.</summary>
    public static void Record(long start, string operation) =>
        Duration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, new("storage", "journal"), new("operation", operation));
}
