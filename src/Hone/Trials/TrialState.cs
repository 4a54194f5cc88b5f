namespace Hone.Trials;

/// <summary>The life cycle of a trial: Waiting (enqueued) → Running → one of the finished states.</summary>
public enum TrialState
{
    /// <summary>The objective is being evaluated.</summary>
    Running = 0,

    /// <summary>The objective returned valid values.</summary>
    Complete = 1,

    /// <summary>A pruner stopped the trial early.</summary>
    Pruned = 2,

    /// <summary>The objective threw, returned NaN or the wrong number of values, or the run was cancelled.</summary>
    Fail = 3,

    /// <summary>Enqueued and not yet taken by a worker.</summary>
    Waiting = 4,
}

/// <summary>Helpers on <see cref="TrialState"/>.</summary>
public static class TrialStateExtensions
{
    /// <summary>Whether the state is final (Complete, Pruned or Fail): a finished trial never changes again.</summary>
    public static bool IsFinished(this TrialState state) =>
        state is TrialState.Complete or TrialState.Pruned or TrialState.Fail;
}
