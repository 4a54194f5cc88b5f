namespace Hone.Analysis.Importance;

/// <summary>The importance of one parameter, as <see cref="ParameterImportance.Evaluate"/> found it.</summary>
public sealed class ParameterScore
{
    internal ParameterScore(string name, double importance, double spread, double? varianceFraction)
    {
        Name = name;
        Importance = importance;
        Spread = spread;
        VarianceFraction = varianceFraction;
    }

    /// <summary>The parameter's name.</summary>
    public string Name { get; }

    /// <summary>The importance, normalized so that the importances of all assessed parameters sum to 1 (as Optuna reports them).</summary>
    public double Importance { get; }

    /// <summary>
    /// How uncertain <see cref="Importance"/> is, on the same scale: the standard deviation across the forest's trees
    /// (fANOVA, mean decrease in impurity) or across bootstrap resamples of the trials (PED-ANOVA).
    /// </summary>
    public double Spread { get; }

    /// <summary>
    /// fANOVA only: the fraction of the objective's variance over the search space that this parameter explains
    /// alone, before normalization (the main effects and <see cref="ImportanceResult.Interactions"/> together sum to at
    /// most 1). Null for the other methods.
    /// </summary>
    public double? VarianceFraction { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}: {Importance:0.####} ± {Spread:0.####}");
}
