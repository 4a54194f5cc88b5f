using System.Globalization;

namespace Hone.Analysis.Importance;

/// <summary>Settings of <see cref="ParameterImportance.Evaluate"/>. The defaults are Optuna's where Optuna has the setting.</summary>
public sealed class ImportanceOptions
{
    /// <summary>The method.</summary>
    /// <value><see cref="ImportanceMethod.Fanova"/> (Optuna's default evaluator).</value>
    public ImportanceMethod Method { get; init; } = ImportanceMethod.Fanova;

    /// <summary>The parameters to assess.</summary>
    /// <value>
    /// Null: the parameters every complete trial has with the same distribution (the intersection search space, as
    /// Optuna's importance uses), so conditional parameters are left out. When names are given, only the complete
    /// trials that have all of them are used.
    /// </value>
    public IReadOnlyList<string>? Parameters { get; init; }

    /// <summary>Which objective's value is explained, for a study with several objectives.</summary>
    /// <value>0.</value>
    public int Objective { get; init; }

    /// <summary>The seed of the random forest's bootstrap samples and feature subsets, and of PED-ANOVA's resamples.</summary>
    /// <value>Null: a random seed, so two evaluations may differ slightly.</value>
    public long? Seed { get; init; }

    /// <summary>The number of trees of the random forest (fANOVA, mean decrease in impurity).</summary>
    /// <value>64 (Optuna's). Must be 1 or more.</value>
    public int Trees { get; init; } = 64;

    /// <summary>The maximum depth of a tree.</summary>
    /// <value>64 (Optuna's). Must be 1 or more.</value>
    public int MaxDepth { get; init; } = 64;

    /// <summary>The fraction of the parameters a tree node considers for its split, drawn at random at each node.</summary>
    /// <value>1.0: every parameter, as Optuna's forest (scikit-learn's default). Must be in (0, 1].</value>
    /// <remarks>Smaller values make the trees more diverse and faster to grow, and spread importance onto weak parameters.</remarks>
    public double FeatureFraction { get; init; } = 1.0;

    /// <summary>Whether fANOVA also computes the variance explained by each pair of parameters together.</summary>
    /// <value>True. The cost grows with the square of the number of parameters.</value>
    public bool Interactions { get; init; } = true;

    /// <summary>PED-ANOVA's γ: the fraction of the best trials whose parameters are compared with the baseline.</summary>
    /// <value>0.1 (the paper's and Optuna's). Must be in (0, 1); at least 2 trials are always taken.</value>
    public double Quantile { get; init; } = 0.1;

    /// <summary>PED-ANOVA's γ′: the fraction of the best trials that forms the baseline distribution.</summary>
    /// <value>1.0: all trials (importance within the region the study explored). Must be in (<see cref="Quantile"/>, 1].</value>
    public double BaselineQuantile { get; init; } = 1.0;

    /// <summary>How many bootstrap resamples of the trials give PED-ANOVA's <see cref="ParameterScore.Spread"/>.</summary>
    /// <value>32. 0 leaves the spread at 0.</value>
    public int Resamples { get; init; } = 32;

    /// <summary>Every problem with these settings, one a line; empty when they are valid.</summary>
    internal List<string> Problems()
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(Method))
        {
            problems.Add($"ImportanceOptions.Method is {(int)Method}, which is not an ImportanceMethod.");
        }

        if (Objective < 0)
        {
            problems.Add($"ImportanceOptions.Objective must be 0 or more, got {Objective}.");
        }

        if (Trees < 1)
        {
            problems.Add($"ImportanceOptions.Trees must be 1 or more, got {Trees}.");
        }

        if (MaxDepth < 1)
        {
            problems.Add($"ImportanceOptions.MaxDepth must be 1 or more, got {MaxDepth}.");
        }

        if (!(FeatureFraction > 0 && FeatureFraction <= 1))
        {
            problems.Add($"ImportanceOptions.FeatureFraction must be in (0, 1], got {Show(FeatureFraction)}.");
        }

        if (!(Quantile > 0 && Quantile < 1))
        {
            problems.Add($"ImportanceOptions.Quantile must be in (0, 1), got {Show(Quantile)}.");
        }

        if (!(BaselineQuantile > Quantile && BaselineQuantile <= 1))
        {
            problems.Add($"ImportanceOptions.BaselineQuantile must be in (Quantile = {Show(Quantile)}, 1], got {Show(BaselineQuantile)}.");
        }

        if (Resamples < 0)
        {
            problems.Add($"ImportanceOptions.Resamples must be 0 or more, got {Resamples}.");
        }

        if (Parameters is { } names)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            if (names.Count == 0)
            {
                problems.Add("ImportanceOptions.Parameters is empty; give at least one name, or null for every parameter all complete trials have.");
            }

            foreach (var name in names)
            {
                if (string.IsNullOrEmpty(name))
                {
                    problems.Add("ImportanceOptions.Parameters holds a null or empty name.");
                }
                else if (!seen.Add(name))
                {
                    problems.Add($"ImportanceOptions.Parameters names \"{name}\" twice.");
                }
            }
        }

        return problems;
    }

    private static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
