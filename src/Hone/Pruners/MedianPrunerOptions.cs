namespace Hone.Pruners;

/// <summary>Settings of a <see cref="MedianPruner"/>. The defaults are Optuna's.</summary>
public sealed class MedianPrunerOptions
{
    /// <summary>Pruning is disabled until this many trials of the study are complete.</summary>
    /// <value>5. Must be 0 or more.</value>
    public int StartupTrials { get; init; } = 5;

    /// <summary>Pruning is disabled until the trial reports a step of at least this value (steps count from 0).</summary>
    /// <value>0. Must be 0 or more.</value>
    public int WarmupSteps { get; init; }

    /// <summary>Steps between pruning checks, counted from <see cref="WarmupSteps"/>; a check with no value reported at its step waits for the next report.</summary>
    /// <value>1. Must be 1 or more.</value>
    public int IntervalSteps { get; init; } = 1;

    /// <summary>The fewest complete trials with a value at the step for a decision; with fewer, the trial is not pruned.</summary>
    /// <value>1. Must be 1 or more.</value>
    public int MinTrials { get; init; } = 1;

    internal PercentilePrunerOptions AsPercentile() => new()
    {
        Percentile = 50.0,
        StartupTrials = StartupTrials,
        WarmupSteps = WarmupSteps,
        IntervalSteps = IntervalSteps,
        MinTrials = MinTrials,
    };
}
