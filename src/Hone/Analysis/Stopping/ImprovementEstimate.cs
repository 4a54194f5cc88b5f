namespace Hone.Analysis.Stopping;

/// <summary>
/// How much better than the best trial so far the study could still get (<see cref="RegretBound"/>), next to how much
/// the objective varies by chance (<see cref="Noise"/>). When the bound is below the noise, further trials are unlikely
/// to find an improvement that is more than luck, and tuning can stop (Makarova et al. 2022).
/// </summary>
/// <param name="RegretBound">An upper bound, in the objective's units, on how far the best trial's value is from the best value the search space allows.</param>
/// <param name="Noise">The objective's noise, in its units: the standard error of the best trial's cross-validation score, or the given or estimated noise.</param>
/// <param name="NoiseSource">Where <paramref name="Noise"/> came from, in words.</param>
/// <param name="TrialCount">The complete trials the estimate was made from.</param>
/// <param name="BestTrialNumber">The number of the best complete trial.</param>
public sealed record ImprovementEstimate(double RegretBound, double Noise, string NoiseSource, int TrialCount, int BestTrialNumber)
{
    /// <summary>Whether the possible improvement is below the noise, so that more tuning is unlikely to be worth it.</summary>
    public bool ShouldStop => RegretBound < Noise;
}
