namespace Hone.Samplers.CostAware;

/// <summary>Settings of a <see cref="CostAwareSampler"/>.</summary>
public sealed class CostAwareSamplerOptions
{
    /// <summary>The categorical parameter whose choices are the arms, e.g. the trainer of an ML pipeline.</summary>
    /// <value>"trainer".</value>
    public string ChoiceParameter { get; init; } = "trainer";

    /// <summary>
    /// Numeric parameters whose cost grows with their value (trees, leaves, iterations). Within an arm, a trial may
    /// take such a parameter to at most <see cref="GrowthFactor"/> times the largest value a finished trial of the
    /// study has used, so an arm's cost grows step by step from its cheapest configurations (CFO, Wu et al. 2021).
    /// Only parameters with a positive lower bound are capped.
    /// </summary>
    /// <value>None.</value>
    public IReadOnlyCollection<string> CostParameters { get; init; } = [];

    /// <summary>How far a cost parameter may grow beyond the largest value tried so far, as a factor.</summary>
    /// <value>2, the factor by which CFO lets a trial's cost grow per step. Must be more than 1.</value>
    public double GrowthFactor { get; init; } = 2;

    /// <summary>
    /// The share of choices drawn uniformly over the arms instead of by estimated cost, so that no arm is starved
    /// by a few unlucky early trials.
    /// </summary>
    /// <value>0.05. Must be in [0, 1].</value>
    public double Exploration { get; init; } = 0.05;

    /// <summary>
    /// The cost of a finished trial, e.g. the CPU seconds its objective recorded in a user attribute; null when the
    /// trial did not record one, which then falls back to its wall-clock duration.
    /// </summary>
    /// <value>Null: every trial's wall-clock duration. CPU time is the steadier measure on a busy machine.</value>
    public Func<Trials.FrozenTrial, double?>? TrialCost { get; init; }

    /// <summary>The seed of the arm draws.</summary>
    /// <value>Null: a random seed.</value>
    public long? Seed { get; init; }

    /// <summary>What is wrong with these options, every problem in one message, or null when they are valid.</summary>
    public string? Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(ChoiceParameter))
        {
            problems.Add("ChoiceParameter is empty; name the categorical parameter whose choices are the arms.");
        }

        if (!(GrowthFactor > 1) || double.IsInfinity(GrowthFactor))
        {
            problems.Add($"GrowthFactor is {GrowthFactor}; it must be a finite number above 1.");
        }

        if (!(Exploration >= 0 && Exploration <= 1))
        {
            problems.Add($"Exploration is {Exploration}; it must be in [0, 1].");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
