using System.Globalization;

namespace Hone.Pruners;

/// <summary>Settings of a <see cref="PatientPruner"/>. The defaults are Optuna's.</summary>
public sealed class PatientPrunerOptions
{
    /// <summary>The pruner consulted once the trial has stopped improving; null prunes as soon as it has.</summary>
    /// <value>Null.</value>
    public IPruner? WrappedPruner { get; init; }

    /// <summary>How many reported steps without improvement are tolerated.</summary>
    /// <value>0. Must be 0 or more.</value>
    public int Patience { get; init; }

    /// <summary>The smallest change of the best value that counts as an improvement.</summary>
    /// <value>0. Must be 0 or more.</value>
    public double MinDelta { get; init; }

    internal string? Problems()
    {
        var problems = new List<string>();
        if (Patience < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Patience must be 0 or more, got {Patience}."));
        }

        if (!(MinDelta >= 0) || double.IsPositiveInfinity(MinDelta))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MinDelta must be a finite number of 0 or more, got {MinDelta}."));
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
