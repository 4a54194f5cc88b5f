using Hone.Artifacts;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Population;

/// <summary>
/// Population-based training (Jaderberg et al. 2017, "Population Based Training of Neural Networks"), asynchronous: a
/// population of members trains in parallel; after every <see cref="PbtOptions.Interval"/> steps a member in the bottom
/// quantile copies the checkpoint and hyperparameters of a member in the top quantile (exploit) and then perturbs or
/// resamples them (explore), or with <see cref="PbtExploreMethod.Pb2"/> chooses them by PB2's GP bandit (Parker-Holder
/// et al. 2020), so hyperparameters change during training.
/// </summary>
/// <remarks>
/// <para>Each segment of a member is a trial of the study; its system attributes (<c>pbt:member</c>,
/// <c>pbt:generation</c>, <c>pbt:parent</c>, <c>checkpoint_from</c>) and checkpoints are in the storage, so several
/// processes running <see cref="RunAsync"/> on one study share one population, and the lineage of any member can be
/// replayed as a fixed schedule (<see cref="PbtLineage"/>). A worker claims a segment by writing its claim and then reading
/// the others: of two workers claiming one segment the later reader always sees the other and gives way, so no segment is
/// trained twice. A failed segment is recorded and trained again from the same parent.</para>
/// <para>Run it on a study of its own, single-objective; the study's sampler draws the first hyperparameters of every
/// member. Checkpoints need the study's <see cref="Study.ArtifactStore"/>.</para>
/// </remarks>
public sealed class PopulationBasedTraining
{
    private readonly Random _rng;
    private readonly Lock _planning = new();
    private long _lastStaleCheck;

    /// <summary>Creates the trainer.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public PopulationBasedTraining(PbtOptions? options = null)
    {
        Options = options ?? new PbtOptions();
        Options.Validate();
        _rng = Options.Seed is { } seed ? new Random(seed) : new Random();
    }

    /// <summary>The settings.</summary>
    public PbtOptions Options { get; }

    /// <summary>
    /// Trains the population with <paramref name="parallelism"/> workers in this process until every member has trained
    /// <see cref="PbtOptions.Generations"/> segments (other processes may train some of them).
    /// </summary>
    /// <param name="study">A single-objective study of its own.</param>
    /// <param name="objective">Trains one segment and returns the member's score after it.</param>
    /// <param name="parallelism">Segments trained at once in this process.</param>
    /// <param name="cancellationToken">Stops starting segments; a running segment gets the token.</param>
    public async Task RunAsync(Study study, Func<PbtSegment, CancellationToken, Task<double>> objective, int parallelism = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        if (study.IsMultiObjective)
        {
            throw new ArgumentException($"Population-based training ranks members by one value; study \"{study.Name}\" has {study.Directions.Count} objectives.", nameof(study));
        }

        var workers = new Task[parallelism];
        for (var i = 0; i < parallelism; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(study, objective, cancellationToken), cancellationToken);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    /// <summary>Trains the population with a synchronous objective; see <see cref="RunAsync"/>.</summary>
    public void Run(Study study, Func<PbtSegment, double> objective, int parallelism = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        RunAsync(study, (s, _) => Task.FromResult(objective(s)), parallelism, cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>
    /// The trials whose checkpoints the population may still start from: the latest complete segment of every member,
    /// and the parent of every segment still waiting or running (it may not have loaded its parent's checkpoint yet,
    /// though a newer segment of the parent's member has finished). Pass them to
    /// <see cref="StudyCheckpoints.CleanCheckpoints"/> to clean up during a run.
    /// </summary>
    public static IReadOnlySet<int> SegmentsInUse(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return SegmentsInUse(study.Trials);
    }

    private static HashSet<int> SegmentsInUse(IReadOnlyList<FrozenTrial> trials)
    {
        var latest = new Dictionary<int, (int Segment, int Number)>();
        var inUse = new HashSet<int>();
        foreach (var t in trials)
        {
            if (t.State == TrialState.Complete && PbtAttributes.Claim(t) is { } claim
                && (!latest.TryGetValue(claim.Member, out var known) || claim.Segment > known.Segment))
            {
                latest[claim.Member] = (claim.Segment, t.Number);
            }
            else if (t.State is TrialState.Running or TrialState.Waiting && PbtAttributes.Int(t, PbtAttributes.ParentKey) is { } parent)
            {
                inUse.Add(parent);
            }
        }

        inUse.UnionWith(latest.Values.Select(v => v.Number));
        return inUse;
    }

    private async Task WorkAsync(Study study, Func<PbtSegment, CancellationToken, Task<double>> objective, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var claimed = await ClaimAsync(study, ct).ConfigureAwait(false);
            if (claimed is null)
            {
                return;
            }

            var (trial, segment) = claimed.Value;
            FrozenTrial finished;
            try
            {
                var value = await objective(segment, ct).ConfigureAwait(false);
                finished = study.Tell(trial, value);
            }
            catch (TrialPrunedException)
            {
                finished = study.Tell(trial, TrialState.Pruned);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                Options.SegmentFinished?.Invoke(study.TellFail(trial, "Cancelled: population-based training was stopped during this segment."));
                throw;
            }
            catch (Exception e) when (e is not TrialFinishedException)
            {
                finished = study.TellFail(trial, $"{e.GetType().FullName}: {e.Message}");
            }

            if (Options.Retention is { } retention)
            {
                lock (_planning)
                {
                    // Other workers' segments finish outside the lock, so one running when the trials are read here may
                    // be its member's latest by the time the clean-up reads them again: keep every segment running now
                    // too, or the member's next segment would find its parent's checkpoint deleted and start afresh.
                    var trials = study.Trials;
                    var keep = SegmentsInUse(trials);
                    keep.UnionWith(trials.Where(t => t.State is TrialState.Running or TrialState.Waiting).Select(t => t.Number));
                    study.CleanCheckpoints(retention, keep);
                }
            }

            Options.SegmentFinished?.Invoke(finished);
        }
    }

    /// <summary>Plans a segment, asks a trial for it and claims it; null when the population is done.</summary>
    private async Task<(Trial, PbtSegment)?> ClaimAsync(Study study, CancellationToken ct)
    {
        Trial? trial = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            PbtPlan? plan;
            PbtPlanner.Outcome outcome;
            lock (_planning)
            {
                outcome = PbtPlanner.Plan(study, study.Trials, trial?.Number ?? -1, Options, _rng, out plan);

                if (outcome == PbtPlanner.Outcome.Train)
                {
                    trial ??= study.Ask();
                    var live = (LiveTrial)trial;
                    var claim = new Dictionary<string, int> { ["member"] = plan!.Member, ["segment"] = plan.Segment, ["generation"] = plan.Generation };
                    study.SetTrialSystemAttr(live.Snapshot(), PbtAttributes.SegmentKey, claim);
                    var rival = study.Trials.Any(t => t.Number != trial.Number && t.State is not (TrialState.Fail or TrialState.Pruned)
                        && PbtAttributes.Claim(t) is { } other && other.Member == plan.Member && other.Segment == plan.Segment);
                    if (!rival && ParentStillThere(study, live, plan))
                    {
                        return (trial, Start(study, live, plan));
                    }

                    study.SetTrialSystemAttr(live.Snapshot(), PbtAttributes.SegmentKey, null);
                    if (live.CheckpointSource() is not null)
                    {
                        Set(study, live, live.Snapshot(), CheckpointAttributes.CheckpointFromKey, null);
                    }
                }
            }

            if (outcome == PbtPlanner.Outcome.Done)
            {
                if (trial is not null)
                {
                    study.TellFail(trial, "Population-based training finished before this trial got a segment to train (another worker took the last one).");
                }

                return null;
            }

            // A member whose segment's worker died holds no one up for ever: with heartbeats, its trial is failed as
            // stale and the segment planned again.
            if (study.HeartbeatInterval is not null && Environment.TickCount64 - Interlocked.Read(ref _lastStaleCheck) > 1000)
            {
                Interlocked.Exchange(ref _lastStaleCheck, Environment.TickCount64);
                study.FailStaleTrials();
            }

            int wait;
            lock (_planning)
            {
                wait = (int)(Options.PollInterval.TotalMilliseconds * (0.5 + _rng.NextDouble()));
            }

            await Task.Delay(wait, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Records where the segment starts from, then checks that the parent's checkpoint was not cleaned up by another
    /// process in between (a clean-up protects the sources of running trials once they are recorded).
    /// </summary>
    private static bool ParentStillThere(Study study, LiveTrial trial, PbtPlan plan)
    {
        if (plan.Parent is not { } parent || CheckpointAttributes.ReadCheckpoints(parent).Count == 0)
        {
            return true;
        }

        TrialCheckpoints.SetSource(trial, parent.Number);
        return study.GetCheckpoints(parent.Number).Count > 0;
    }

    private PbtSegment Start(Study study, LiveTrial trial, PbtPlan plan)
    {
        var start = plan.Generation * Options.Interval;
        var end = start + Options.Interval;
        var snapshot = trial.Snapshot();
        Set(study, trial, snapshot, PbtAttributes.MemberKey, plan.Member);
        Set(study, trial, snapshot, PbtAttributes.GenerationKey, plan.Generation);
        Set(study, trial, snapshot, PbtAttributes.ParentKey, plan.Parent?.Number);
        Set(study, trial, snapshot, PbtAttributes.StartStepKey, start);
        Set(study, trial, snapshot, PbtAttributes.EndStepKey, end);
        if (plan.ExploitedMember is { } exploited)
        {
            Set(study, trial, snapshot, PbtAttributes.ExploitedKey, exploited);
        }

        if (plan.Parent is { } parent)
        {
            TrialCheckpoints.SetSource(trial, parent.Number);
        }

        if (plan.InternalParams is { } values && plan.Parent is { } from)
        {
            var external = new Dictionary<string, object?>();
            foreach (var (name, x) in values)
            {
                external[name] = from.Distributions[name].ToExternal(x);
            }

            trial.FixParams(external);
        }

        return new PbtSegment(trial, plan.Member, plan.Generation, start, end, plan.Parent?.Number, plan.ExploitedMember);
    }

    private static void Set(Study study, LiveTrial trial, FrozenTrial snapshot, string key, object? value)
    {
        study.SetTrialSystemAttr(snapshot, key, value);
        trial.NoteSystemAttr(key, AttributeValue.From(key, value));
    }
}
