using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Hone.Samplers;
using Hone.Trials;

namespace Hone.Studies;

/// <summary>
/// Runs trials until the budget, the timeout, cancellation, <see cref="Study.Stop"/> or an exhausted sampler
/// says stop: <see cref="OptimizeOptions.Parallelism"/> workers, each asking for a trial, evaluating the
/// objective and telling the outcome. A trial's failure is recorded and, if its exception is in
/// <see cref="OptimizeOptions.Catch"/>, the run goes on; otherwise the run stops and rethrows it.
/// </summary>
internal sealed class OptimizeLoop : IDisposable
{
    private readonly Study _study;
    private readonly OptimizeOptions _options;
    private readonly CancellationToken _cancellation;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly Lock _callbackGate = new();
    private readonly ConcurrentDictionary<long, byte> _running = new();
    private readonly Timer? _heartbeat;
    private readonly TrialBudget _budget;
    private int _finished;
    private double? _bestValue;
    private ExceptionDispatchInfo? _fatal;

    private OptimizeLoop(Study study, OptimizeOptions options, CancellationToken cancellation)
    {
        options.Validate();
        _study = study;
        _options = options;
        _cancellation = cancellation;
        _budget = new TrialBudget(study, options);
        study.ResetStop();
        if (study.HeartbeatInterval is { } interval)
        {
            _heartbeat = new Timer(_ => Beat(), null, interval, interval);
        }
    }

    public static void Run(Study study, Func<Trial, double[]> objective, OptimizeOptions options, CancellationToken cancellation)
    {
        using var loop = new OptimizeLoop(study, options, cancellation);
        if (options.Parallelism == 1)
        {
            loop.Worker(objective);
        }
        else
        {
            var threads = new Thread[options.Parallelism];
            for (var i = 0; i < threads.Length; i++)
            {
                threads[i] = new Thread(() => loop.Worker(objective)) { IsBackground = true, Name = $"hone-worker-{i}" };
                threads[i].Start();
            }

            foreach (var thread in threads)
            {
                thread.Join();
            }
        }

        loop.Finish();
    }

    public static async Task RunAsync(Study study, Func<Trial, CancellationToken, Task<double[]>> objective, OptimizeOptions options, CancellationToken cancellation)
    {
        using var loop = new OptimizeLoop(study, options, cancellation);
        var workers = new Task[options.Parallelism];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => loop.WorkerAsync(objective), CancellationToken.None);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        loop.Finish();
    }

    private void Worker(Func<Trial, double[]> objective)
    {
        while (TryStart(out var trial))
        {
            double[]? values = null;
            Exception? error = null;
            try
            {
                values = objective(trial);
            }
            catch (Exception e)
            {
                error = e;
            }

            Complete(trial, values, error);
        }
    }

    private async Task WorkerAsync(Func<Trial, CancellationToken, Task<double[]>> objective)
    {
        while (TryStart(out var trial))
        {
            double[]? values = null;
            Exception? error = null;
            try
            {
                values = await objective(trial, _cancellation).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                error = e;
            }

            Complete(trial, values, error);
        }
    }

    private bool TryStart(out LiveTrial trial)
    {
        trial = null!;
        if (ShouldStop())
        {
            return false;
        }

        if (!_budget.TryReserve())
        {
            return false;
        }

        try
        {
            if (_heartbeat is not null)
            {
                _study.FailStaleTrials();
            }

            var asked = TrialLifecycle.Ask(_study, checkExhausted: true);
            if (asked is null)
            {
                _study.Stop();
                return false;
            }

            trial = asked;
            if (_heartbeat is not null)
            {
                _running[trial.TrialId] = 0;
                _study.Storage.RecordHeartbeat(trial.TrialId);
            }

            return true;
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _fatal, ExceptionDispatchInfo.Capture(e), null);
            return false;
        }
    }

    private bool ShouldStop() =>
        Volatile.Read(ref _fatal) is not null
        || _cancellation.IsCancellationRequested
        || _study.IsStopRequested
        || (_options.Timeout is { } timeout && Stopwatch.GetElapsedTime(_startTimestamp) >= timeout);

    /// <summary>Callbacks and progress reports receive the finished trial as stored; without them, state and values suffice.</summary>
    private bool NeedsStoredRecord => _options.Callbacks.Count > 0 || _options.Progress is not null;

    private void Complete(LiveTrial trial, double[]? values, Exception? error)
    {
        _running.TryRemove(trial.TrialId, out _);
        try
        {
            FrozenTrial finished;
            if (error is TrialPrunedException)
            {
                finished = TrialLifecycle.Tell(_study, trial, trial.TrialId, TrialState.Pruned, null, failReason: null, NeedsStoredRecord);
            }
            else if (error is not null)
            {
                var cancelled = error is OperationCanceledException && _cancellation.IsCancellationRequested;
                var reason = cancelled
                    ? "The optimize run was cancelled while the trial was running."
                    : $"{error.GetType().FullName}: {error.Message}";
                finished = TrialLifecycle.Tell(_study, trial, trial.TrialId, TrialState.Fail, null, reason, NeedsStoredRecord);
                if (!cancelled && (error is SamplerException || !IsCaught(error)))
                {
                    Interlocked.CompareExchange(ref _fatal, ExceptionDispatchInfo.Capture(error), null);
                }
            }
            else
            {
                finished = TrialLifecycle.Tell(_study, trial, trial.TrialId, null, values, failReason: null, NeedsStoredRecord);
            }

            AfterTrial(finished);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _fatal, ExceptionDispatchInfo.Capture(e), null);
            FailIfStillRunning(trial, e);
        }
    }

    /// <summary>Nothing may be left Running: if telling the outcome itself threw, record the trial as Fail.</summary>
    private void FailIfStillRunning(LiveTrial trial, Exception cause)
    {
        try
        {
            if (!_study.Storage.GetTrial(trial.TrialId).State.IsFinished())
            {
                _study.Storage.SetTrialSystemAttr(trial.TrialId, TrialLifecycle.FailReasonKey,
                    AttributeValue.From(TrialLifecycle.FailReasonKey, $"{cause.GetType().FullName}: {cause.Message}"));
                _study.Storage.SetTrialStateValues(trial.TrialId, TrialState.Fail, null);
            }
        }
        catch (TrialFinishedException)
        {
        }
    }

    private bool IsCaught(Exception error)
    {
        foreach (var type in _options.Catch)
        {
            if (type.IsInstanceOfType(error))
            {
                return true;
            }
        }

        return false;
    }

    private void AfterTrial(FrozenTrial finished)
    {
        lock (_callbackGate)
        {
            _finished++;
            if (finished.State == TrialState.Complete && !_study.IsMultiObjective)
            {
                var v = finished.Values![0];
                var better = _study.Direction == StudyDirection.Maximize ? v > _bestValue : v < _bestValue;
                if (_bestValue is null || better)
                {
                    _bestValue = v;
                }
            }

            foreach (var callback in _options.Callbacks)
            {
                callback(_study, finished);
            }

            _options.Progress?.Report(new OptimizeProgress(
                _finished, _budget.Planned, finished, _bestValue, Stopwatch.GetElapsedTime(_startTimestamp)));
        }
    }

    /// <summary>Records a heartbeat for every trial this run is evaluating; a failed beat is retried at the next tick.</summary>
    private void Beat()
    {
        foreach (var trialId in _running.Keys)
        {
            try
            {
                _study.Storage.RecordHeartbeat(trialId);
            }
#pragma warning disable CA1031 // a missed beat must not crash the process; the next tick beats again
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    public void Dispose() => _heartbeat?.Dispose();

    private void Finish()
    {
        Dispose();
        _fatal?.Throw();
        _cancellation.ThrowIfCancellationRequested();
    }
}
