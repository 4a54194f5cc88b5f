using System.Globalization;

namespace Hone.Pruners;

/// <summary>Settings of a <see cref="HyperbandPruner"/>. The defaults are Optuna's.</summary>
public sealed class HyperbandPrunerOptions
{
    /// <summary>The smallest resource (step) a trial is given before it can be pruned, r.</summary>
    /// <value>1. Must be 1 or more.</value>
    public int MinResource { get; init; } = 1;

    /// <summary>The largest resource a trial uses, R (the number of steps of a full run, e.g. epochs).</summary>
    /// <value>Null: the last step + 1 of the first complete trial (Optuna's "auto"); no trial is pruned before one completes. When set, must be at least <see cref="MinResource"/>.</value>
    public int? MaxResource { get; init; }

    /// <summary>The reduction factor η of every bracket's successive halving; the brackets number ⌊log_η(R/r)⌋ + 1.</summary>
    /// <value>3. Must be 2 or more.</value>
    public int ReductionFactor { get; init; } = 3;

    /// <summary>A trial is pruned at a rung until more than this many trials of its bracket have reached it.</summary>
    /// <value>0. Must be 0 or more; a positive value needs <see cref="MaxResource"/>.</value>
    public int BootstrapCount { get; init; }

    internal string? Problems()
    {
        var problems = new List<string>();
        if (MinResource < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MinResource must be 1 or more, got {MinResource}."));
        }

        if (MaxResource is { } max && max < Math.Max(MinResource, 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MaxResource must be at least MinResource ({MinResource}) (or null for automatic), got {max}."));
        }

        if (ReductionFactor < 2)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"ReductionFactor must be 2 or more, got {ReductionFactor}."));
        }

        if (BootstrapCount < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"BootstrapCount must be 0 or more, got {BootstrapCount}."));
        }
        else if (BootstrapCount > 0 && MaxResource is null)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"BootstrapCount = {BootstrapCount} needs MaxResource to be set (automatic MaxResource cannot bootstrap)."));
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
