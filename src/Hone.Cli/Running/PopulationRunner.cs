using System.Collections.Concurrent;
using Hone.Artifacts;
using Hone.Cli.Sweep;
using Hone.Population;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Running;

/// <summary>
/// Runs a sweep with <c>scheduler: pbt</c>: each trial is one segment of a population member. The program gets the
/// checkpoint to start from (<c>{checkpoint_in}</c>, <c>HONE_CHECKPOINT_IN</c>; empty for a fresh member) and where to
/// write its own (<c>{checkpoint_out}</c>, <c>HONE_CHECKPOINT_OUT</c>), trains from <c>{start_step}</c> to <c>{end_step}</c>,
/// and prints its metric; when a member exploits another, its next program starts from the other's checkpoint.
/// </summary>
internal sealed class PopulationRunner(SweepFile sweep, TrialRunner runner, RunDisplay display)
{
    private readonly ConcurrentDictionary<int, TrialOutcome> _outcomes = new();

    public async Task RunAsync(Study study, RunState state, int jobs, Action<Exception> fatal, CancellationToken interrupt, CancellationToken stopRunning, CancellationToken killNow)
    {
        var o = sweep.Pbt!;
        var options = new PbtOptions
        {
            PopulationSize = o.PopulationSize,
            Interval = o.Interval,
            Generations = o.Generations,
            Quantile = o.Quantile,
            ResampleProbability = o.ResampleProbability,
            Explore = o.Explore,
            Seed = o.Seed,
            SegmentFinished = finished =>
            {
                state.Finish(finished);
                var outcome = _outcomes.TryRemove(finished.Number, out var known)
                    ? known
                    : new TrialOutcome(finished.State, finished.Values?.ToArray(), finished.SystemAttrs.TryGetValue("fail_reason", out var r) ? r.GetString() : null, [], false, null);
                display.TrialFinished(state, finished, outcome);
            },
        };

        try
        {
            await new PopulationBasedTraining(options).RunAsync(study, (segment, _) => TrainAsync(study, state, segment, stopRunning, killNow), jobs, interrupt).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            // Ctrl+C: the segments that ran were recorded; the exit code says interrupted.
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or Storage.StorageException)
        {
            fatal(e);
        }
    }

    private async Task<double> TrainAsync(Study study, RunState state, PbtSegment segment, CancellationToken stopRunning, CancellationToken killNow)
    {
        var trial = segment.Trial;
        var parameters = SweepRunner.Suggest(trial, sweep.Parameters);
        state.Start(trial.Number);
        display.TrialStarted(state, trial.Number, parameters);
        Directory.CreateDirectory(sweep.LogDirectory);
        string? input = null;
        if (segment.LoadCheckpoint() is { } checkpoint)
        {
            input = Path.Combine(sweep.LogDirectory, $"trial-{trial.Number:D5}.in.ckpt");
            checkpoint.WriteTo(input);
        }

        var output = Path.Combine(sweep.LogDirectory, $"trial-{trial.Number:D5}.out.ckpt");
        File.Delete(output);
        TrialOutcome outcome;
        try
        {
            outcome = await runner.RunAsync(trial, parameters, study.Name, stopRunning, killNow, display.Note,
                new SegmentFiles(input, output, segment.StartStep, segment.EndStep)).ConfigureAwait(false);
        }
        finally
        {
            if (input is not null)
            {
                File.Delete(input);
            }
        }

        _outcomes[trial.Number] = outcome;
        if (outcome.ExitCode is { } code)
        {
            trial.SetUserAttr("exit_code", code);
        }

        switch (outcome.State)
        {
            case TrialState.Complete:
                if (File.Exists(output))
                {
                    using (var file = File.OpenRead(output))
                    {
                        segment.SaveCheckpoint(file);
                    }

                    File.Delete(output);
                }
                else
                {
                    display.Note($"trial {trial.Number} wrote no checkpoint to {{checkpoint_out}} ({output}); no other member can copy it");
                }

                return outcome.Values![0];
            case TrialState.Pruned:
                throw new TrialPrunedException();
            default:
                throw new SegmentFailedException(outcome.Reason ?? "failed");
        }
    }

    /// <summary>The program of a segment failed; the reason is recorded on its trial.</summary>
    private sealed class SegmentFailedException(string reason) : Exception(reason);
}
