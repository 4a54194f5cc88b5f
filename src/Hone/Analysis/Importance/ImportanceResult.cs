namespace Hone.Analysis.Importance;

/// <summary>What <see cref="ParameterImportance.Evaluate"/> found: one score per parameter, most important first.</summary>
public sealed class ImportanceResult
{
    internal ImportanceResult(
        ImportanceMethod method, int objective, int trialCount, IReadOnlyList<ParameterScore> parameters, IReadOnlyList<InteractionScore> interactions)
    {
        Method = method;
        Objective = objective;
        TrialCount = trialCount;
        Parameters = parameters;
        Interactions = interactions;
    }

    /// <summary>The method used.</summary>
    public ImportanceMethod Method { get; }

    /// <summary>The objective whose value was explained.</summary>
    public int Objective { get; }

    /// <summary>How many complete trials the evaluation used.</summary>
    public int TrialCount { get; }

    /// <summary>Every assessed parameter, by decreasing importance (ties by name); the importances sum to 1.</summary>
    public IReadOnlyList<ParameterScore> Parameters { get; }

    /// <summary>fANOVA's pairwise interactions by decreasing variance fraction (ties by name); empty for the other methods or when not asked for.</summary>
    public IReadOnlyList<InteractionScore> Interactions { get; }

    /// <summary>The score of the named parameter.</summary>
    /// <exception cref="KeyNotFoundException">The parameter was not assessed.</exception>
    public ParameterScore this[string name] =>
        Parameters.FirstOrDefault(p => p.Name == name)
        ?? throw new KeyNotFoundException($"Parameter \"{name}\" was not assessed; assessed: {string.Join(", ", Parameters.Select(p => p.Name))}.");
}
