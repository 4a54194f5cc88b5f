using System.Diagnostics.Metrics;
using Hone.Telemetry;

namespace Hone.Storage.Relational;

/// <summary>The relational storages' instruments on the <see cref="HoneTelemetry.MeterName"/> meter.</summary>
internal static class StorageInstruments
{
    private static readonly Meter Meter = new(HoneTelemetry.MeterName, typeof(StorageInstruments).Assembly.GetName().Version?.ToString());

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(HoneTelemetry.StorageDuration, "s", "Time of one storage operation");
}
