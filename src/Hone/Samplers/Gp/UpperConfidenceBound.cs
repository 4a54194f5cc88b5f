namespace Hone.Samplers.Gp;

/// <summary>
/// The upper confidence bound μ + κσ (Srinivas, Krause, Kakade and Seeger, "Gaussian Process Optimization in the Bandit
/// Setting: No Regret and Experimental Design", ICML 2010), maximised. Used by PB2's explore step
/// (<see cref="Population.Pb2Explorer"/>).
/// </summary>
internal sealed class UpperConfidenceBound : IAcquisitionFunction
{
    /// <param name="kappa">κ = √β, the weight of the posterior standard deviation; non-negative.</param>
    public UpperConfidenceBound(double kappa)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(kappa);
        Kappa = kappa;
    }

    /// <summary>The weight of the posterior standard deviation.</summary>
    public double Kappa { get; }

    /// <summary>
    /// κ = √β for the n-th round of GP-UCB: β = 2 ln(n² π² / (6δ)) with δ = 0.1 (Srinivas et al. 2010, Theorem 1), scaled
    /// by <paramref name="scale"/> since the theory's constants are loose in practice.
    /// </summary>
    public static double KappaFor(int n, double scale)
    {
        var rounds = Math.Max(1, n);
        var beta = 2 * Math.Log(rounds * (double)rounds * Math.PI * Math.PI / (6 * 0.1));
        return Math.Sqrt(scale * beta);
    }

    /// <inheritdoc/>
    public double Value(double mean, double variance) => mean + (Kappa * Math.Sqrt(variance));

    /// <inheritdoc/>
    public (double Value, double MeanCoefficient, double VarianceCoefficient) WithGradient(double mean, double variance)
    {
        var sigma = Math.Sqrt(variance);
        return (mean + (Kappa * sigma), 1, Kappa / (2 * sigma));
    }
}
