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
internal sealed class OptimizeLoop
{
    private readonly Study _study;
    private readonly OptimizeOptions _options;
    private readonly CancellationToken _cancellation;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly Lock _callbackGate = new();
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
        if (study.Heartbeats is not null)
        {
            // Trials of dead workers are failed before the budget counts the study's Running trials.
            study.FailStaleTrials();
        }

        _budget = new TrialBudget(study, options);
        study.ResetStop();
    }

    public static void Run(Study study, Func<Trial, double[]> objective, OptimizeOptions options, CancellationToken cancellation)
    {
        var loop = new OptimizeLoop(study, options, cancellation);
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
        var loop = new OptimizeLoop(study, options, cancellation);
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
            CancellationTokenSource? linked = null;
            try
            {
                // The objective stops both when the run is cancelled and when another process finishes its trial.
                var token = _study.Heartbeats is null
                    ? _cancellation
                    : (linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellation, trial.FinishedElsewhere)).Token;
                values = await objective(trial, token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                error = e;
            }
            finally
            {
                linked?.Dispose();
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
            if (_study.Heartbeats is not null)
            {
                _study.FailStaleTrials();
            }

            var asked = TrialLifecycle.Ask(_study, checkExhausted: true, deferParamWrites: true);
            if (asked is null)
            {
                _study.Stop();
                return false;
            }

            trial = asked;
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
        if (trial.IsFinishedElsewhere)
        {
            // Another process finished this trial (found it dead): it keeps that outcome, and this worker goes on.
            Abandon(trial);
            return;
        }

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
        catch (TrialFinishedException) when (trial.IsFinishedElsewhere)
        {
            Abandon(trial);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _fatal, ExceptionDispatchInfo.Capture(e), null);
            FailIfStillRunning(trial, e);
        }
    }

    /// <summary>A trial another process finished: nothing more is written to it; it counts as one this run finished.</summary>
    private void Abandon(LiveTrial trial)
    {
        _study.Heartbeats?.Remove(trial);
        lock (_callbackGate)
        {
            _finished++;
        }
    }

    /// <summary>Nothing may be left Running: if telling the outcome itself threw, record the trial as Fail.</summary>
    private void FailIfStillRunning(LiveTrial trial, Exception cause)
    {
        _study.Heartbeats?.Remove(trial);
        try
        {
            _study.Storage.SetTrialStateValues(trial.TrialId, TrialState.Fail, null,
                TrialLifecycle.FailReason($"{cause.GetType().FullName}: {cause.Message}"));
        }
#pragma warning disable CA1031 // best effort: the cause is already the run's error; a trial still Running is failed later by its missing heartbeats
        catch (Exception)
#pragma warning restore CA1031
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

    private void Finish()
    {
        _fatal?.Throw();
        _cancellation.ThrowIfCancellationRequested();
    }
}
