using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Hone.Samplers;
using Hone.Studies;
using Hone.Telemetry;

namespace Hone.Storage.Journal.Tests;

/// <summary>The journal storage times its operations on Hone's meter as the relational storages do (hone.storage.duration).</summary>
public sealed class JournalTelemetryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hone-journal-telemetry-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Meter_TimesStorageOperations_TaggedJournalAndOperation()
    {
        var operations = new ConcurrentDictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == HoneTelemetry.MeterName && instrument.Name == HoneTelemetry.StorageDuration)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (TagOf(tags, "storage") == "journal" && TagOf(tags, "operation") is { } operation)
            {
                Assert.True(value >= 0);
                operations.AddOrUpdate(operation, 1, (_, n) => n + 1);
            }
        });
        listener.Start();

        var study = Study.Create(new StudyOptions { StorageUrl = "journal:///" + Path.Combine(_dir, "s.log"), Sampler = new RandomSampler(1) });
        study.Optimize(t => t.SuggestFloat("x", 0, 1) + t.SuggestInt("k", 0, 3), new OptimizeOptions { Trials = 4 });
        listener.Dispose();

        // At least this study's writes (other tests' journals may add to the counts).
        Assert.True(operations.GetValueOrDefault(nameof(JournalStorage.CreateStudy)) >= 1);
        Assert.True(operations.GetValueOrDefault(nameof(JournalStorage.CreateTrial)) >= 4);
        Assert.True(operations.GetValueOrDefault(nameof(JournalStorage.SetTrialStateValues)) >= 4);
        Assert.True(operations.GetValueOrDefault(nameof(JournalStorage.GetStudy)) >= 1, string.Join(", ", operations.Keys));
    }

    private static string? TagOf(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var (k, v) in tags)
        {
            if (k == key)
            {
                return v as string;
            }
        }

        return null;
    }
}
