namespace Hone.Samplers.Gp;

/// <summary>
/// An acquisition function of the GP's posterior at a point, larger is better, written as a function of the posterior
/// mean μ and variance σ² so that <see cref="AcquisitionOptimizer"/> can follow its gradient through theirs.
/// </summary>
internal interface IAcquisitionFunction
{
    /// <summary>The acquisition value at posterior mean <paramref name="mean"/> and variance <paramref name="variance"/>.</summary>
    double Value(double mean, double variance);

    /// <summary>The value and the coefficients of its gradient: ∂a/∂x = MeanCoefficient ∂μ/∂x + VarianceCoefficient ∂σ²/∂x.</summary>
    (double Value, double MeanCoefficient, double VarianceCoefficient) WithGradient(double mean, double variance);
}
