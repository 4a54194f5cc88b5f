namespace Hone.Analysis.Stopping;

/// <summary>Settings of <see cref="ImprovementEstimator"/>. The defaults are those of Optuna's Terminator.</summary>
public sealed class ImprovementEstimateOptions
{
    /// <summary>The fewest complete trials before an estimate is made; with fewer, the estimate is null and nothing stops.</summary>
    /// <value>20 (Optuna's <c>min_n_trials</c>). Must be 2 or more.</value>
    public int MinTrials { get; init; } = 20;

    /// <summary>The fraction of the complete trials, best first, that the Gaussian process is fitted on.</summary>
    /// <value>0.5 (Optuna's <c>top_trials_ratio</c>): the bound is about the region where the optimum is, so poor trials far away do not shape the model. Must be in (0, 1].</value>
    public double TopTrialsRatio { get; init; } = 0.5;

    /// <summary>The confidence parameter δ of the GP-UCB bound: the bound holds with probability about 1 − δ.</summary>
    /// <value>0.1. Must be in (0, 1).</value>
    public double Delta { get; init; } = 0.1;

    /// <summary>The number of random points (plus local moves around the best) searched for the largest upper confidence bound.</summary>
    /// <value>2048. Must be 1 or more.</value>
    public int Candidates { get; init; } = 2048;

    /// <summary>The seed of the random candidates.</summary>
    /// <value>0: the same estimate for the same trials.</value>
    public int Seed { get; init; }

    /// <summary>The noise level to compare the bound with when the best trial has no cross-validation scores.</summary>
    /// <value>
    /// Null: the noise standard deviation the Gaussian process estimated from the trials. Give the evaluation's known
    /// noise (for example the standard deviation of the score between two runs with different seeds) when you have it.
    /// </value>
    public double? Noise { get; init; }

    internal void Validate()
    {
        var errors = new List<string>();
        if (MinTrials < 2)
        {
            errors.Add($"MinTrials must be 2 or more, not {MinTrials}");
        }

        if (!(TopTrialsRatio > 0 && TopTrialsRatio <= 1))
        {
            errors.Add($"TopTrialsRatio must be in (0, 1], not {TopTrialsRatio}");
        }

        if (!(Delta > 0 && Delta < 1))
        {
            errors.Add($"Delta must be in (0, 1), not {Delta}");
        }

        if (Candidates < 1)
        {
            errors.Add($"Candidates must be 1 or more, not {Candidates}");
        }

        if (Noise is { } noise && !(noise >= 0 && double.IsFinite(noise)))
        {
            errors.Add($"Noise must be a finite number of 0 or more, not {noise}");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("ImprovementEstimateOptions: " + string.Join("; ", errors) + ".");
        }
    }
}
