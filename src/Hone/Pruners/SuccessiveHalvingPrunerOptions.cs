using System.Globalization;

namespace Hone.Pruners;

/// <summary>Settings of a <see cref="SuccessiveHalvingPruner"/>. The defaults are Optuna's.</summary>
public sealed class SuccessiveHalvingPrunerOptions
{
    /// <summary>The resource (step) of the first rung, r: rung k is at step r·η^(s+k), with η the reduction factor and s the minimum early-stopping rate.</summary>
    /// <value>Null: estimated once a trial is complete, as max(last step ÷ 100, 1) (Optuna's "auto"). When set, must be 1 or more.</value>
    public int? MinResource { get; init; }

    /// <summary>The reduction factor η: at each rung, a trial continues only if it is in the best 1/η of the trials that reached the rung.</summary>
    /// <value>4. Must be 2 or more.</value>
    public int ReductionFactor { get; init; } = 4;

    /// <summary>The minimum early-stopping rate s: the first rung is at step r·η^s.</summary>
    /// <value>0. Must be 0 or more.</value>
    public int MinEarlyStoppingRate { get; init; }

    /// <summary>A trial is pruned at a rung until more than this many trials (itself included) have reached it.</summary>
    /// <value>0. Must be 0 or more; a positive value needs <see cref="MinResource"/>.</value>
    public int BootstrapCount { get; init; }

    internal string? Problems()
    {
        var problems = new List<string>();
        if (MinResource is < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MinResource must be 1 or more (or null for automatic), got {MinResource}."));
        }

        if (ReductionFactor < 2)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"ReductionFactor must be 2 or more, got {ReductionFactor}."));
        }

        if (MinEarlyStoppingRate < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MinEarlyStoppingRate must be 0 or more, got {MinEarlyStoppingRate}."));
        }

        if (BootstrapCount < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"BootstrapCount must be 0 or more, got {BootstrapCount}."));
        }
        else if (BootstrapCount > 0 && MinResource is null)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"BootstrapCount = {BootstrapCount} needs MinResource to be set (automatic MinResource cannot bootstrap)."));
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
