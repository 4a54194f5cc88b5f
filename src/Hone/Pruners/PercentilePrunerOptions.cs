using System.Globalization;

namespace Hone.Pruners;

/// <summary>Settings of a <see cref="PercentilePruner"/>. The defaults are Optuna's.</summary>
public sealed class PercentilePrunerOptions
{
    /// <summary>The percentile of the other trials' values at the same step below which a trial is pruned (kept: the best <c>Percentile</c>%).</summary>
    /// <value>25.0. Must be between 0 and 100.</value>
    public double Percentile { get; init; } = 25.0;

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

    internal string? Problems(bool withPercentile)
    {
        var problems = new List<string>();
        if (withPercentile && !(Percentile >= 0 && Percentile <= 100))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Percentile must be between 0 and 100, got {Percentile}."));
        }

        CheckCommon(problems, StartupTrials, WarmupSteps, IntervalSteps, MinTrials);
        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    internal static void CheckCommon(List<string> problems, int startupTrials, int warmupSteps, int intervalSteps, int minTrials)
    {
        if (startupTrials < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"StartupTrials must be 0 or more, got {startupTrials}."));
        }

        if (warmupSteps < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"WarmupSteps must be 0 or more, got {warmupSteps}."));
        }

        if (intervalSteps < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"IntervalSteps must be 1 or more, got {intervalSteps}."));
        }

        if (minTrials < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MinTrials must be 1 or more, got {minTrials}."));
        }
    }
}
