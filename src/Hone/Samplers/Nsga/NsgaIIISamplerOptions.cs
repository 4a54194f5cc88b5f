namespace Hone.Samplers.Nsga;

/// <summary>How an <see cref="NsgaIIISampler"/> searches: the options of NSGA-II and the reference points' density.</summary>
public sealed class NsgaIIISamplerOptions : NsgaIISamplerOptions
{
    /// <summary>
    /// The number of divisions p of each objective's axis in Das and Dennis's structured reference points: the points are
    /// every vector of multiples of 1/p summing to 1, C(M + p − 1, p) of them for M objectives.
    /// </summary>
    /// <value>Null: the largest p whose points number at most <see cref="NsgaIISamplerOptions.PopulationSize"/> (at least 1); e.g. 8 (45 points) for three objectives and a population of 50.</value>
    public int? ReferencePointDivisions { get; init; }

    /// <inheritdoc/>
    public override string? Problems()
    {
        var problems = base.Problems();
        if (ReferencePointDivisions is { } p && p < 1)
        {
            var mine = $"ReferencePointDivisions is {p}; it must be 1 or more, or null to fit the population.";
            return problems is null ? mine : problems + " " + mine;
        }

        return problems;
    }
}
