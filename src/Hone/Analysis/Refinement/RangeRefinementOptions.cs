namespace Hone.Analysis.Refinement;

/// <summary>How <see cref="RangeRefinement"/> narrows a search space: which trials count as good, and how much room is left around them.</summary>
public sealed class RangeRefinementOptions
{
    /// <summary>The share of complete trials, best first, whose values span the narrowed range.</summary>
    /// <value>0.25. At least <see cref="MinTopTrials"/> trials are used whatever the share.</value>
    public double Quantile { get; init; } = 0.25;

    /// <summary>
    /// Room added on each side of the good trials' span, as a fraction of the parameter's whole range (in log space for a
    /// log parameter), so that an optimum just outside the span the good trials happened to cover stays reachable.
    /// </summary>
    /// <value>0.1.</value>
    public double Margin { get; init; } = 0.1;

    /// <summary>The fewest good trials a range is narrowed from.</summary>
    /// <value>3.</value>
    public int MinTopTrials { get; init; } = 3;

    /// <summary>What is wrong with these options, every problem in one message, or null when they are valid.</summary>
    public string? Problems()
    {
        var problems = new List<string>();
        if (!(Quantile > 0 && Quantile <= 1))
        {
            problems.Add($"Quantile is {Quantile}; it must be a fraction in (0, 1], such as 0.25.");
        }

        if (!(Margin >= 0 && Margin <= 1))
        {
            problems.Add($"Margin is {Margin}; it must be a fraction of the range in [0, 1], such as 0.1.");
        }

        if (MinTopTrials < 1)
        {
            problems.Add($"MinTopTrials is {MinTopTrials}; it must be 1 or more.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
