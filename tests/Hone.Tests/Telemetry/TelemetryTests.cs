using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Hone.Samplers;
using Hone.Studies;
using Hone.Telemetry;
using Hone.Trials;
using Microsoft.Extensions.Logging;

namespace Hone.Tests.Telemetry;

/// <summary>Hone's meter and log messages, seen as a user's MeterListener and logger provider see them.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public void Meter_CountsTrialsByState_AndTimesEverySuggestion()
    {
        var study = Study.Create(new StudyOptions { Name = $"metrics-{Guid.NewGuid():N}", Sampler = new RandomSampler(1) });
        var counts = new ConcurrentDictionary<string, long>();
        var suggestions = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == HoneTelemetry.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (TagOf(tags, "study") == study.Name)
            {
                counts.AddOrUpdate(instrument.Name + ":" + (TagOf(tags, "state") ?? string.Empty), value, (_, v) => v + value);
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == HoneTelemetry.SuggestDuration && TagOf(tags, "study") == study.Name)
            {
                Assert.True(value >= 0);
                Assert.Equal(nameof(RandomSampler), TagOf(tags, "sampler"));
                Interlocked.Increment(ref suggestions);
            }
        });
        listener.Start();

        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            t.SuggestInt("k", 0, 3);
            return t.Number switch
            {
                3 => throw new InvalidOperationException("boom"),
                4 => throw new TrialPrunedException(),
                _ => x,
            };
        }, new OptimizeOptions { Trials = 6 });

        Assert.Equal(6, counts[HoneTelemetry.TrialsStarted + ":"]);
        Assert.Equal(4, counts[HoneTelemetry.TrialsFinished + ":complete"]);
        Assert.Equal(1, counts[HoneTelemetry.TrialsFinished + ":pruned"]);
        Assert.Equal(1, counts[HoneTelemetry.TrialsFinished + ":fail"]);
        Assert.Equal(12, suggestions);
    }

    [Fact]
    public void LoggerFactory_GetsAWarningForAFailedTrial_WithItsNumberAndReason()
    {
        var name = $"logs-{Guid.NewGuid():N}";
        var messages = new ConcurrentQueue<(LogLevel Level, string Text)>();
        var previous = HoneTelemetry.LoggerFactory;
        using var factory = LoggerFactory.Create(b => b.AddProvider(new CapturingProvider(messages)).SetMinimumLevel(LogLevel.Debug));
        HoneTelemetry.LoggerFactory = factory;
        try
        {
            var study = Study.Create(new StudyOptions { Name = name });
            study.Optimize(t => t.Number == 1 ? throw new InvalidOperationException("the objective broke") : t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 2 });
        }
        finally
        {
            HoneTelemetry.LoggerFactory = previous;
        }

        var mine = messages.Where(m => m.Text.Contains(name, StringComparison.Ordinal)).ToList();
        var warning = Assert.Single(mine, m => m.Level == LogLevel.Warning);
        Assert.Contains("Trial 1", warning.Text, StringComparison.Ordinal);
        Assert.Contains("the objective broke", warning.Text, StringComparison.Ordinal);
        Assert.Contains(mine, m => m.Level == LogLevel.Debug && m.Text.Contains("Trial 0", StringComparison.Ordinal));
        Assert.Throws<ArgumentNullException>(() => HoneTelemetry.LoggerFactory = null!);
    }

    private static string? TagOf(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    private sealed class CapturingProvider(ConcurrentQueue<(LogLevel, string)> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(sink);

        public void Dispose()
        {
        }

        private sealed class Capturing(ConcurrentQueue<(LogLevel, string)> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
