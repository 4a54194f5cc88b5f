using Hone.Distributions;

namespace Hone.MLNet.SearchSpaces;

/// <summary>One tunable option of a trainer: its ML.NET option name, the range Hone searches, and ML.NET's default.</summary>
/// <param name="Name">The ML.NET option name, e.g. NumberOfLeaves (the study parameter is "Trainer.Name").</param>
/// <param name="Distribution">The range: a <see cref="FloatDistribution"/>, <see cref="IntDistribution"/> or <see cref="CategoricalDistribution"/>.</param>
/// <param name="Default">The trainer's documented default, or null when ML.NET chooses it from the data ("auto").</param>
public sealed record HyperParameter(string Name, Distribution Distribution, object? Default)
{
    /// <summary>
    /// Whether training takes longer as the value grows (trees, leaves, iterations). Cost-aware tuning
    /// (<see cref="Tuning.TuneOptions.CostAware"/>) starts such a parameter at the low end of its range and lets it grow
    /// step by step.
    /// </summary>
    /// <value>False.</value>
    public bool CostGrowsWithValue { get; init; }
}
