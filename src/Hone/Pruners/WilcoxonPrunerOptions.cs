using System.Globalization;

namespace Hone.Pruners;

/// <summary>Settings of a <see cref="WilcoxonPruner"/>. The defaults are Optuna's.</summary>
public sealed class WilcoxonPrunerOptions
{
    /// <summary>
    /// The p-value below which a trial is pruned: the larger, the more aggressive. The test is repeated at every
    /// report, so expect about twice this rate of good trials pruned by mistake.
    /// </summary>
    /// <value>0.1. Must be between 0 and 1.</value>
    public double PThreshold { get; init; } = 0.1;

    /// <summary>No trial is pruned before it shares this many steps (instances, folds) with the best trial.</summary>
    /// <value>0. Must be 0 or more.</value>
    public int StartupSteps { get; init; }

    internal string? Problems()
    {
        var problems = new List<string>();
        if (!(PThreshold >= 0 && PThreshold <= 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"PThreshold must be between 0 and 1, got {PThreshold}."));
        }

        if (StartupSteps < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"StartupSteps must be 0 or more, got {StartupSteps}."));
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
