using Hone.Trials;

namespace Hone.Studies;

/// <summary>How long and how wide <see cref="Study.Optimize(Func{Trial, double}, OptimizeOptions?, CancellationToken)"/> runs.</summary>
public sealed class OptimizeOptions
{
    /// <summary>How many trials this call starts (all workers together), whatever the study already holds.</summary>
    /// <value>Null runs until <see cref="TotalTrials"/>, <see cref="Timeout"/>, cancellation, <see cref="Study.Stop"/>, or an exhausted sampler.</value>
    /// <remarks>
    /// On a resumed study (<see cref="StudyOptions.LoadIfExists"/>) this runs that many <em>more</em> trials. For a
    /// target over the whole study, which a rerun tops up rather than repeats, use <see cref="TotalTrials"/>.
    /// </remarks>
    public int? Trials { get; init; }

    /// <summary>
    /// The number of trials the study should reach: before each start the run counts the study's Complete, Pruned
    /// and Running trials (by any process, earlier runs included) and starts none once they reach this number.
    /// </summary>
    /// <value>Null: no study-wide target.</value>
    /// <remarks>
    /// <para>This is Optuna's <c>MaxTrialsCallback</c>, except that Pruned trials count too (Optuna's counts only
    /// Complete by default): a pruned trial is an evaluation the pruner chose to cut short, and with Hyperband or
    /// successive halving most trials end pruned, so not counting them would run many more trials than asked.</para>
    /// <para>Failed trials do not count, so rerunning after failures runs the missing ones; within one run they use
    /// up the run's allowance (the target minus what the study held when the run began), so an objective that
    /// always fails does not run forever. Waiting (enqueued) trials count once they start.</para>
    /// <para>With <see cref="Trials"/> set too, the run stops at whichever comes first. Within one run exactly the
    /// target is reached; runs in other processes (or other <see cref="Study"/> objects) counting at the same
    /// instant may each overshoot by one trial per worker, as with Optuna.</para>
    /// </remarks>
    public int? TotalTrials { get; init; }

    /// <summary>After this long no new trial starts; running ones finish.</summary>
    /// <value>Null: no time limit.</value>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How many trials run at once: on dedicated threads for a synchronous objective, as concurrent tasks for an async one.</summary>
    /// <value>1.</value>
    public int Parallelism { get; init; } = 1;

    /// <summary>
    /// Exception types that mark a trial Fail and let the study go on. Any other exception is recorded on
    /// its trial as Fail and then stops the run and is rethrown.
    /// </summary>
    /// <value>Every exception (<see cref="Exception"/>): a failing trial is recorded and never stops the study. Set an empty list to stop at the first failure.</value>
    /// <remarks>A <see cref="Samplers.SamplerException"/> always stops the run: it would fail every later trial too.</remarks>
    public IReadOnlyList<Type> Catch { get; init; } = [typeof(Exception)];

    /// <summary>Called after each trial is stored, one call at a time, on the worker that ran it.</summary>
    public IReadOnlyList<Action<Study, FrozenTrial>> Callbacks { get; init; } = [];

    /// <summary>Receives a report after each trial.</summary>
    public IProgress<OptimizeProgress>? Progress { get; init; }

    internal void Validate()
    {
        var errors = new List<string>();
        if (Trials is < 0)
        {
            errors.Add($"Trials must be zero or more, got {Trials}.");
        }

        if (TotalTrials is < 1)
        {
            errors.Add($"TotalTrials must be at least 1 (the number of Complete, Pruned and Running trials the study should reach), got {TotalTrials}; leave it null for no study-wide target.");
        }

        if (Timeout is { } t && t <= TimeSpan.Zero)
        {
            errors.Add($"Timeout must be positive, got {t}.");
        }

        if (Parallelism < 1)
        {
            errors.Add($"Parallelism must be at least 1, got {Parallelism}.");
        }

        ArgumentNullException.ThrowIfNull(Catch);
        ArgumentNullException.ThrowIfNull(Callbacks);
        foreach (var type in Catch)
        {
            if (type is null || !typeof(Exception).IsAssignableFrom(type))
            {
                errors.Add($"Catch may only hold exception types, got {type?.FullName ?? "null"}.");
            }
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid OptimizeOptions: " + string.Join(" ", errors));
        }
    }
}
