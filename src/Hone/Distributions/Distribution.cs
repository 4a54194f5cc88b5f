namespace Hone.Distributions;

/// <summary>
/// The set of values one parameter may take. A sampler works on the <em>internal</em>
/// representation, a <see cref="double"/>: floats and integers are their own value and a
/// categorical is the index of its choice (the representation Optuna uses, so that studies
/// stored by either tool read the same).
/// </summary>
/// <remarks>
/// The three concrete kinds are <see cref="FloatDistribution"/>, <see cref="IntDistribution"/> and
/// <see cref="CategoricalDistribution"/>; outsiders cannot add a kind, because every sampler must
/// know how to draw from every kind.
/// </remarks>
public abstract record Distribution
{
    private protected Distribution()
    {
    }

    /// <summary>Whether the distribution holds exactly one value, so there is nothing to sample.</summary>
    public abstract bool IsSingle { get; }

    /// <summary>Maps a value as the user sees it to the internal representation.</summary>
    /// <exception cref="ArgumentException">The value is not of this distribution.</exception>
    public abstract double ToInternal(object? externalValue);

    /// <summary>Maps an internal value back to the value the user sees (double, int, or a choice).</summary>
    public abstract object? ToExternal(double internalValue);

    /// <summary>Whether an internal value lies in the distribution (on its grid, for stepped kinds).</summary>
    public abstract bool Contains(double internalValue);

    /// <summary>The distribution in Optuna's JSON format.</summary>
    public string ToJson() => DistributionJson.Serialize(this);

    /// <summary>Reads a distribution written by <see cref="ToJson"/> or by Optuna (legacy names included).</summary>
    public static Distribution FromJson(string json) => DistributionJson.Deserialize(json);

    /// <summary>
    /// Whether two distributions may be used for the same parameter in different trials of one study.
    /// Numeric ranges may change between trials; a categorical's choices may not (Optuna's rule).
    /// </summary>
    public static bool AreCompatible(Distribution a, Distribution b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return (a, b) switch
        {
            (CategoricalDistribution ca, CategoricalDistribution cb) => ca.Equals(cb),
            (FloatDistribution, FloatDistribution) => true,
            (IntDistribution, IntDistribution) => true,
            _ => false,
        };
    }
}
