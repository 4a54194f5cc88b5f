using System.Diagnostics;
using Hone.Cli.Sweep;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Running;

/// <summary>Settings of one <c>hone optimize</c> (or <c>hone worker</c>) run that come from the command line.</summary>
/// <param name="Drain">
/// After the interrupt, how long running trials may go on to finish before they are stopped (<c>hone worker --drain</c>);
/// null stops them at once.
/// </param>
internal sealed record RunSettings(int? Trials, int? Jobs, TimeSpan? Timeout, bool RequeueInterrupted, TimeSpan? Drain = null);

/// <summary>
/// The optimize loop of the CLI: <c>jobs</c> workers, each asking the study for a trial, running the program
/// and telling the outcome, until the trial budget, the timeout, an exhausted sampler or Ctrl+C.
/// </summary>
internal sealed class SweepRunner
{
    /// <summary>System attribute of a trial stopped by Ctrl+C: it does not count toward the sweep's trial budget.</summary>
    public const string InterruptedKey = "hone_interrupted";

    /// <summary>Study system attribute holding the sweep file the study runs (its text and path), for <c>hone worker</c>.</summary>
    public const string SweepKey = "hone:sweep";

    /// <summary>
    /// How often a running trial's heartbeat is recorded, so that runs on other machines can tell it is alive (a run on
    /// the same machine checks the trial's process itself, at once).
    /// </summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);

    private readonly SweepFile _sweep;
    private readonly RunSettings _settings;
    private readonly RunDisplay _display;
    private readonly TrialRunner _runner;
    private readonly Lock _gate = new();
    private int _launched;
    private int? _allowance;
    private Exception? _fatal;

    public SweepRunner(SweepFile sweep, RunSettings settings, RunDisplay display)
    {
        _sweep = sweep;
        _settings = settings;
        _display = display;
        _runner = new TrialRunner(sweep);
    }

    /// <summary>Runs the sweep; returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken interrupt, CancellationToken killNow)
    {
        // The storage is closed by the command's storage scope (StorageFactory.BeginScope), after the study stops beating.
        using var study = Study.Create(new StudyOptions
        {
            Name = _sweep.StudyName,
            Directions = _sweep.Directions,
            Sampler = _sweep.CreateSampler(),
            Pruner = _sweep.CreatePruner(),
            Storage = StorageFactory.Open(_sweep.Storage),
            // Checkpoints (scheduler: pbt) beside a database file, else with the trial logs.
            ArtifactStore = Artifacts.ArtifactStores.ForStorage(_sweep.Storage)
                ?? new Artifacts.FileSystemArtifactStore(Path.Combine(_sweep.LogDirectory, "artifacts")),
            LoadIfExists = true,
            HeartbeatInterval = HeartbeatInterval,
            RetryFailedTrials = _sweep.Retries > 0 ? new TrialRetryPolicy { MaxRetries = _sweep.Retries } : null,
        });
        return await RunAsync(study, interrupt, killNow).ConfigureAwait(false);
    }

    private async Task<int> RunAsync(Study study, CancellationToken interrupt, CancellationToken killNow)
    {
        RecordSweep(study);

        // Running trials are stopped on the interrupt itself, or, when draining, once the drain time has passed.
        using var stopRunning = CancellationTokenSource.CreateLinkedTokenSource(killNow);
        using var onInterrupt = interrupt.Register(() =>
        {
            if (_settings.Drain is { } drain && drain > TimeSpan.Zero)
            {
                _display.Note($"no new trials; running trials have {drain.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s to finish before they are stopped and queued again");
                stopRunning.CancelAfter(drain);
            }
            else
            {
                stopRunning.Cancel();
            }
        });

        // Trials of a hone process that is gone: found at once on this machine (its process no longer exists), after
        // the heartbeat grace period from elsewhere. With retries, each is enqueued again.
        foreach (var stale in study.FailStaleTrials())
        {
            _display.Note($"trial {stale.Number} was left running by a hone process that is gone; recorded as failed{(_sweep.Retries > 0 ? " (retried if it has retries left)" : string.Empty)}");
        }

        // `trials` is a total over the study; failed (and interrupted) trials do not count, so a rerun replaces them.
        var done = study.GetTrials(TrialState.Complete, TrialState.Pruned).Count;
        var target = _settings.Trials ?? _sweep.Trials;
        int? toRun = target is { } n ? Math.Max(0, n - Counted(study)) : null;

        // This run's own starts are bounded too (each planned trial and its retries), so a command that always
        // fails ends the run instead of being started forever.
        _allowance = toRun * (1 + Math.Max(0, _sweep.Retries));
        var jobs = _settings.Jobs ?? _sweep.Jobs;
        var timeout = _settings.Timeout ?? _sweep.Timeout;
        var state = new RunState(study.Name, StorageFactory.Display(_sweep.Storage), toRun, done, jobs, !study.IsMultiObjective && study.Direction == StudyDirection.Maximize)
        {
            PrunedBefore = study.GetTrials(TrialState.Pruned).Count,
            RunningBefore = study.GetTrials(TrialState.Running).Count,
            FailedBefore = study.GetTrials(TrialState.Fail).Count,
        };
        state.SeedBest(study);
        _display.Started(state);

        var deadline = timeout is { } t ? Stopwatch.GetTimestamp() + (long)(t.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        if (_sweep.Pbt is not null)
        {
            await new PopulationRunner(_sweep, _runner, _display).RunAsync(study, state, jobs, SetFatal, interrupt, stopRunning.Token, killNow).ConfigureAwait(false);
        }
        else
        {
            var workers = new Task[jobs];
            for (var i = 0; i < jobs; i++)
            {
                workers[i] = Task.Run(() => WorkerAsync(study, state, target, deadline, interrupt, stopRunning.Token, killNow), CancellationToken.None);
            }

            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        int exitCode;
        if (_fatal is not null)
        {
            _display.Note($"error: {_fatal.Message}");
            exitCode = ExitCodes.Error;
        }
        else if (interrupt.IsCancellationRequested)
        {
            exitCode = ExitCodes.Interrupted;
        }
        else if (state.Finished > 0 && state.Complete == 0 && state.Pruned == 0)
        {
            exitCode = ExitCodes.AllTrialsFailed;
        }
        else
        {
            exitCode = ExitCodes.Ok;
        }

        _display.Finished(state, study, exitCode);
        return exitCode;
    }

    /// <summary>
    /// Starts the next trial, or returns null when the run should stop. The trial budget counts the study's
    /// Running and finished (not interrupted) trials at this moment, so several hone processes sharing a study
    /// (one database, many machines) stop together at the target, as Optuna's MaxTrialsCallback does.
    /// </summary>
    private Trial? TryStart(Study study, int? target, long deadline, CancellationToken interrupt)
    {
        lock (_gate)
        {
            if (_fatal is not null || interrupt.IsCancellationRequested || Stopwatch.GetTimestamp() >= deadline)
            {
                return null;
            }

            if ((target is { } n && Counted(study) >= n) || _launched >= _allowance)
            {
                return null;
            }

            try
            {
                if (study.Sampler.IsExhausted(study))
                {
                    return null;
                }

                _launched++;
                return study.Ask();
            }
            catch (Exception e)
            {
                _fatal ??= e;
                return null;
            }
        }
    }

    /// <summary>
    /// Trials that count toward the target: Complete, Pruned and Running (here or in another process). Failed
    /// trials, Ctrl+C-interrupted ones included, do not count, so a rerun after a broken command runs them again.
    /// </summary>
    private static int Counted(Study study) => study.GetTrials(TrialState.Complete, TrialState.Pruned, TrialState.Running).Count;

    private async Task WorkerAsync(Study study, RunState state, int? target, long deadline, CancellationToken interrupt, CancellationToken stopRunning, CancellationToken killNow)
    {
        while (TryStart(study, target, deadline, interrupt) is { } trial)
        {
            Dictionary<string, object?> parameters;
            try
            {
                parameters = Suggest(trial, _sweep.Parameters);
            }
            catch (Exception e)
            {
                // A sampler failing (or enqueued parameters that do not fit the space) is no fault of the program.
                FrozenTrial failed;
                try
                {
                    failed = TellFail(study, trial, $"could not choose the parameters: {e.Message}", interrupted: false);
                }
                catch (TrialFinishedException)
                {
                    continue;
                }

                state.Finish(failed);
                _display.TrialFinished(state, failed, new TrialOutcome(TrialState.Fail, null, $"could not choose the parameters: {e.Message}", [], false, null));
                if (e is SamplerException)
                {
                    SetFatal(e);
                    return;
                }

                continue;
            }

            state.Start(trial.Number);
            _display.TrialStarted(state, trial.Number, parameters);
            TrialOutcome outcome;
            try
            {
                outcome = await _runner.RunAsync(trial, parameters, study.Name, stopRunning, killNow, _display.Note).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                outcome = new TrialOutcome(TrialState.Fail, null, $"{e.GetType().Name}: {e.Message}", [], false, null);
            }

            FrozenTrial finished;
            try
            {
                if (outcome.ExitCode is { } code && !trial.FinishedElsewhere.IsCancellationRequested)
                {
                    trial.SetUserAttr("exit_code", code);
                }

                var retry = !outcome.Interrupted && _sweep.Retries > 0;
                finished = outcome.State switch
                {
                    TrialState.Complete => study.Tell(trial, outcome.Values!),
                    TrialState.Pruned => study.Tell(trial, TrialState.Pruned),
                    _ => TellFail(study, trial, outcome.Reason ?? "failed", outcome.Interrupted, outcome.StderrTail, retry),
                };
                if (finished.State == TrialState.Fail && retry)
                {
                    _display.Note($"trial {trial.Number} failed; its parameters are queued again unless they used their {_sweep.Retries} retr{(_sweep.Retries == 1 ? "y" : "ies")}");
                }
            }
            catch (TrialFinishedException)
            {
                // Another process finished this trial (it found this run's heartbeats missing): it keeps that outcome.
                _display.Note($"trial {trial.Number} was finished by another process while it ran; its result is not recorded");
                continue;
            }
            catch (Exception e)
            {
                SetFatal(e);
                return;
            }

            state.Finish(finished);
            _display.TrialFinished(state, finished, outcome);

            try
            {
                if (outcome.Interrupted && _settings.RequeueInterrupted)
                {
                    study.Enqueue(parameters, new Dictionary<string, object?> { ["requeued_from"] = trial.Number });
                }
            }
            catch (Exception e)
            {
                SetFatal(e);
                return;
            }
        }
    }

    /// <summary>Keeps the sweep file with the study (when it changed), so that <c>hone worker</c> can run the study by name.</summary>
    private void RecordSweep(Study study)
    {
        if (_sweep.Text.Length == 0)
        {
            return;
        }

        if (study.SystemAttrs.TryGetValue(SweepKey, out var recorded) && recorded.ValueKind == System.Text.Json.JsonValueKind.Object
            && recorded.TryGetProperty("text", out var text) && text.ValueKind == System.Text.Json.JsonValueKind.String && text.GetString() == _sweep.Text
            && recorded.TryGetProperty("path", out var path) && path.ValueKind == System.Text.Json.JsonValueKind.String && path.GetString() == _sweep.Path)
        {
            return;
        }

        study.SetSystemAttr(SweepKey, new Dictionary<string, object?> { ["text"] = _sweep.Text, ["path"] = _sweep.Path });
    }

    private void SetFatal(Exception e)
    {
        lock (_gate)
        {
            _fatal ??= e;
        }
    }

    /// <summary>Suggests each parameter whose conditions hold, in file order.</summary>
    public static Dictionary<string, object?> Suggest(Trial trial, IReadOnlyList<ParameterSpec> space)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in space)
        {
            if (!Active(p, values, space))
            {
                continue;
            }

            values[p.Name] = p.Distribution switch
            {
                FloatDistribution f => trial.SuggestFloat(p.Name, f.Low, f.High, f.Log, f.Step),
                IntDistribution i => trial.SuggestInt(p.Name, i.Low, i.High, i.Log, i.Step),
                CategoricalDistribution c => trial.SuggestCategorical(p.Name, c.Choices),
                _ => throw new InvalidOperationException($"unknown distribution {p.Distribution}"),
            };
        }

        return values;
    }

    private static bool Active(ParameterSpec p, Dictionary<string, object?> values, IReadOnlyList<ParameterSpec> space)
    {
        foreach (var condition in p.When)
        {
            if (!values.TryGetValue(condition.Parameter, out var value) || new CategoricalDistribution(condition.Values).IndexOf(Normalize(value)) < 0)
            {
                return false;
            }
        }

        _ = space;
        return true;
    }

    private static object? Normalize(object? value) => value is int i ? (long)i : value;

    /// <summary>Fails a trial with its reason and details in one atomic write (and, with <paramref name="retry"/>, queues its retry in the same write).</summary>
    private static FrozenTrial TellFail(Study study, Trial trial, string reason, bool interrupted, IReadOnlyList<string>? stderrTail = null, bool retry = false)
    {
        var attrs = new Dictionary<string, object?>();
        if (interrupted)
        {
            attrs[InterruptedKey] = true;
        }

        if (stderrTail is { Count: > 0 })
        {
            attrs["stderr_tail"] = string.Join("\n", stderrTail);
        }

        return study.TellFail(trial, reason, attrs, retry);
    }
}
