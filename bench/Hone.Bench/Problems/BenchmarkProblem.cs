using System.Globalization;
using Hone.Distributions;
using Hone.Trials;

namespace Hone.Bench.Problems;

/// <summary>
/// A minimization problem of the synthetic suite: a define-by-run objective over a search space declared
/// once, here, with its known optimum. The Python side (bench/optuna/functions.py) reads the space and the
/// optimum from bench/functions.json, which <c>functions</c> writes from these definitions, and
/// <c>suite --check</c> verifies that both sides give the same values at the same points.
/// </summary>
internal abstract class BenchmarkProblem
{
    /// <summary>The name used on the command line and in result files.</summary>
    public abstract string Name { get; }

    /// <summary>One line on what the problem is.</summary>
    public abstract string Description { get; }

    /// <summary>The global minimum.</summary>
    public abstract double Optimum { get; }

    /// <summary>
    /// Every parameter the objective may ask for (for a conditional space, those of every branch), by name,
    /// in the order they are declared.
    /// </summary>
    public abstract IReadOnlyList<KeyValuePair<string, Distribution>> Space { get; }

    /// <summary>A point where the objective takes <see cref="Optimum"/>, as the objective sees its parameters.</summary>
    public abstract IReadOnlyDictionary<string, object?> Minimizer { get; }

    /// <summary>Suggests what it needs from <paramref name="trial"/> and returns the value to minimize.</summary>
    public abstract double Evaluate(Trial trial);

    /// <summary>Suggests a numeric parameter of <see cref="Space"/> (a float, or an int returned as double).</summary>
    protected static double SuggestNumber(Trial trial, string name, Distribution distribution) => distribution switch
    {
        FloatDistribution f => trial.SuggestFloat(name, f.Low, f.High, f.Log, f.Step),
        IntDistribution i => trial.SuggestInt(name, i.Low, i.High, i.Log, i.Step),
        _ => throw new ArgumentException($"Parameter \"{name}\" is {distribution}, not numeric.", nameof(distribution)),
    };

    /// <summary>Suggests a categorical parameter of <see cref="Space"/>; returns the choice as a string.</summary>
    protected static string SuggestChoice(Trial trial, string name, CategoricalDistribution distribution) =>
        Convert.ToString(trial.SuggestCategorical(name, distribution.Choices), CultureInfo.InvariantCulture)!;
}
