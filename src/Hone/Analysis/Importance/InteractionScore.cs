namespace Hone.Analysis.Importance;

/// <summary>
/// fANOVA's pairwise interaction of two parameters: the share of the objective's variance that the two explain
/// together beyond what each explains alone (Hutter, Hoos and Leyton-Brown 2014, section 3).
/// </summary>
public sealed class InteractionScore
{
    internal InteractionScore(string first, string second, double varianceFraction, double spread)
    {
        First = first;
        Second = second;
        VarianceFraction = varianceFraction;
        Spread = spread;
    }

    /// <summary>The name of one parameter of the pair: the first of the two in ordinal name order.</summary>
    public string First { get; }

    /// <summary>The second parameter's name.</summary>
    public string Second { get; }

    /// <summary>The fraction of the variance due to the pair's interaction, averaged over the trees; on the scale of <see cref="ParameterScore.VarianceFraction"/>.</summary>
    public double VarianceFraction { get; }

    /// <summary>The standard deviation of that fraction across the trees.</summary>
    public double Spread { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{First} × {Second}: {VarianceFraction:0.####} ± {Spread:0.####}");
}
