namespace Hone.Pruners;

/// <summary>Settings of a <see cref="DominancePruner"/>. Startup, warm-up, interval and minimum-trials settings mean what they mean for <see cref="MedianPruner"/>.</summary>
public sealed class DominancePrunerOptions
{
    /// <summary>
    /// The share of the complete trials that reported at the step which the trial's vector there must be dominated by
    /// (strictly more than this share) for it to be pruned.
    /// </summary>
    /// <value>0.5: pruned when more than half of them are at least as good in every objective and better in one, which for
    /// a single objective is "worse than the median". Must be in [0, 1); larger prunes less, 0 prunes a trial that any
    /// other dominates.</value>
    public double Share { get; init; } = 0.5;

    /// <summary>Pruning is disabled until this many trials of the study are complete.</summary>
    /// <value>5. Must be 0 or more.</value>
    public int StartupTrials { get; init; } = 5;

    /// <summary>Pruning is disabled until the trial reports a step of at least this value (steps count from 0).</summary>
    /// <value>0. Must be 0 or more.</value>
    public int WarmupSteps { get; init; }

    /// <summary>Steps between pruning checks, counted from <see cref="WarmupSteps"/>; a check with no report at its step waits for the next report.</summary>
    /// <value>1. Must be 1 or more.</value>
    public int IntervalSteps { get; init; } = 1;

    /// <summary>The fewest complete trials with a vector at the step for a decision; with fewer, the trial is not pruned.</summary>
    /// <value>1. Must be 1 or more.</value>
    public int MinTrials { get; init; } = 1;

    /// <summary>Says everything that is wrong with these options, or null when they are valid.</summary>
    public string? Problems()
    {
        var problems = new List<string>();
        if (!(Share >= 0 && Share < 1))
        {
            problems.Add($"Share must be in [0, 1), got {Share}.");
        }

        if (StartupTrials < 0)
        {
            problems.Add($"StartupTrials must be 0 or more, got {StartupTrials}.");
        }

        if (WarmupSteps < 0)
        {
            problems.Add($"WarmupSteps must be 0 or more, got {WarmupSteps}.");
        }

        if (IntervalSteps < 1)
        {
            problems.Add($"IntervalSteps must be 1 or more, got {IntervalSteps}.");
        }

        if (MinTrials < 1)
        {
            problems.Add($"MinTrials must be 1 or more, got {MinTrials}.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
