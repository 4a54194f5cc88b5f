using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hone.Telemetry;

/// <summary>The core library's instruments on the <see cref="HoneTelemetry.MeterName"/> meter.</summary>
internal static class HoneInstruments
{
    private static readonly Meter Meter = new(HoneTelemetry.MeterName, typeof(HoneInstruments).Assembly.GetName().Version?.ToString());

    public static readonly Counter<long> TrialsStarted = Meter.CreateCounter<long>(HoneTelemetry.TrialsStarted, "{trial}", "Trials started");

    public static readonly Counter<long> TrialsFinished = Meter.CreateCounter<long>(HoneTelemetry.TrialsFinished, "{trial}", "Trials finished, by state");

    public static readonly Histogram<double> SuggestDuration = Meter.CreateHistogram<double>(HoneTelemetry.SuggestDuration, "s", "Time to suggest one parameter");

    public static readonly Histogram<double> HeartbeatGap = Meter.CreateHistogram<double>(HoneTelemetry.HeartbeatGap, "s", "Time between two heartbeats of a running trial");

    public static KeyValuePair<string, object?> Study(string name) => new("study", name);

    /// <summary>Seconds since a <see cref="Stopwatch.GetTimestamp"/> value.</summary>
    public static double SecondsSince(long start) => Stopwatch.GetElapsedTime(start).TotalSeconds;
}
