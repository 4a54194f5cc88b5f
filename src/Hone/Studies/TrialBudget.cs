using Hone.Trials;

namespace Hone.Studies;

/// <summary>
/// How many trials one optimize run may still start: <see cref="OptimizeOptions.Trials"/> counts this run's
/// own starts; <see cref="OptimizeOptions.TotalTrials"/> is a target over the whole study, counted as
/// Complete + Pruned + Running trials (any process, earlier runs included) before each start, as Optuna's
/// <c>MaxTrialsCallback</c> does.
/// </summary>
/// <remarks>
/// Failed trials do not count toward the target, so a later run replaces them; within one run they use up
/// its allowance (the target minus what the study had when the run began), so an objective that always
/// fails cannot keep a run going forever. Waiting (enqueued) trials count once they start.
/// </remarks>
internal sealed class TrialBudget
{
    private readonly Study _study;
    private readonly int? _total;
    private int _started;

    public TrialBudget(Study study, OptimizeOptions options)
    {
        _study = study;
        _total = options.TotalTrials;
        var missing = _total is { } total ? Math.Max(0, total - Counted(study)) : (int?)null;
        Planned = (options.Trials, missing) switch
        {
            ({ } a, { } b) => Math.Min(a, b),
            ({ } a, null) => a,
            (null, var b) => b,
        };
    }

    /// <summary>The most trials this run starts, or null when only a timeout, cancellation or the sampler ends it.</summary>
    public int? Planned { get; }

    /// <summary>Reserves one start; false when the run's allowance is used up or the study has reached its target.</summary>
    public bool TryReserve()
    {
        if (Planned is { } allowance && Interlocked.Increment(ref _started) > allowance)
        {
            return false;
        }

        return _total is not { } total || Counted(_study) < total;
    }

    /// <summary>The trials that count toward <see cref="OptimizeOptions.TotalTrials"/>.</summary>
    public static int Counted(Study study) => study.GetTrials(TrialState.Complete, TrialState.Pruned, TrialState.Running).Count;
}
