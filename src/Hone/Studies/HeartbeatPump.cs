using System.Diagnostics;
using Hone.Storage;
using Hone.Telemetry;
using Hone.Trials;

namespace Hone.Studies;

/// <summary>
/// Sends the heartbeats of every trial a <see cref="Study"/> object has started and not yet finished, from one
/// dedicated thread, so that neither a busy thread pool nor the objective's own work delays a beat. A beat that
/// finds its trial finished by another process (failed as stale, say) tells the trial, which stops.
/// </summary>
internal sealed class HeartbeatPump : IDisposable
{
    private readonly IStorage _storage;
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, LiveTrial> _trials = [];
    private readonly Dictionary<long, long> _lastBeat = [];
    private readonly ManualResetEventSlim _stop = new();
    private Thread? _thread;
    private bool _disposed;

    public HeartbeatPump(IStorage storage, TimeSpan interval)
    {
        _storage = storage;
        _interval = interval;
    }

    /// <summary>Starts beating for a trial (its first beat was written when it was created).</summary>
    public void Add(LiveTrial trial)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _trials[trial.TrialId] = trial;
            _lastBeat[trial.TrialId] = Stopwatch.GetTimestamp();
            if (_thread is null)
            {
                _thread = new Thread(Loop) { IsBackground = true, Name = "hone-heartbeat", Priority = ThreadPriority.AboveNormal };
                _thread.Start();
            }
        }
    }

    /// <summary>Stops beating for a trial.</summary>
    public void Remove(LiveTrial trial)
    {
        lock (_gate)
        {
            _trials.Remove(trial.TrialId);
            _lastBeat.Remove(trial.TrialId);
        }
    }

    private void Loop()
    {
        var due = new List<LiveTrial>();
        while (!_stop.Wait(_interval))
        {
            due.Clear();
            lock (_gate)
            {
                due.AddRange(_trials.Values);
            }

            foreach (var trial in due)
            {
                try
                {
                    if (!_storage.RecordHeartbeat(trial.TrialId))
                    {
                        Remove(trial);
                        HoneLog.FinishedElsewhere(HoneLog.Study, trial.Number);
                        trial.MarkFinishedElsewhere();
                        continue;
                    }

                    RecordGap(trial);
                }
#pragma warning disable CA1031 // a missed beat must not end the process or the pump; the next round beats again
                catch (Exception e)
#pragma warning restore CA1031
                {
                    HoneLog.HeartbeatFailed(HoneLog.Study, e, trial.Number, _interval);
                }
            }
        }
    }

    private void RecordGap(LiveTrial trial)
    {
        var now = Stopwatch.GetTimestamp();
        long last;
        lock (_gate)
        {
            if (!_lastBeat.TryGetValue(trial.TrialId, out last))
            {
                return;
            }

            _lastBeat[trial.TrialId] = now;
        }

        HoneInstruments.HeartbeatGap.Record(Stopwatch.GetElapsedTime(last, now).TotalSeconds, HoneInstruments.Study(trial.Study.Name));
    }

    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _trials.Clear();
            _lastBeat.Clear();
            thread = _thread;
        }

        _stop.Set();
        if (thread is null || (thread != Thread.CurrentThread && thread.Join(TimeSpan.FromSeconds(30))))
        {
            _stop.Dispose();
        }
    }
}
