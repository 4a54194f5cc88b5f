using MathNet.Numerics;

namespace Hone.Samplers.Gp;

/// <summary>
/// The logarithm of the probability that a constraint modelled by a GP is satisfied, log Φ((t − μ)/σ) for the
/// (standardised) threshold t, computed without underflow through the scaled complementary error function; the
/// acquisition of a constrained study adds it to the objective's log acquisition for every constraint (Gardner, Kusner,
/// Xu, Weinberger and Cunningham, "Bayesian Optimization with Inequality Constraints", ICML 2014), as Optuna's
/// GPSampler does, and maximises it alone while no trial is feasible.
/// </summary>
internal static class LogProbabilityOfFeasibility
{
    private static readonly double Sqrt2 = Math.Sqrt(2);
    private static readonly double SqrtTwoOverPi = Math.Sqrt(2 / Math.PI);

    /// <summary>log Φ(z), finite for every finite z.</summary>
    public static double LogCdf(double z)
    {
        if (z > 0)
        {
            return SpecialFunctions.Log1p(-0.5 * SpecialFunctions.Erfc(z / Sqrt2));
        }

        var u = -z / Sqrt2;
        return Math.Log(0.5 * LogExpectedImprovement.Erfcx(u)) - (u * u);
    }

    /// <summary>d log Φ(z)/dz = φ(z)/Φ(z).</summary>
    public static double LogCdfDerivative(double z)
    {
        if (z > 0)
        {
            var phi = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
            return phi / (1 - (0.5 * SpecialFunctions.Erfc(z / Sqrt2)));
        }

        return SqrtTwoOverPi / LogExpectedImprovement.Erfcx(-z / Sqrt2);
    }

    /// <summary>
    /// log P(C ≤ <paramref name="threshold"/>) for C ~ N(<paramref name="mean"/>, <paramref name="variance"/>), and the
    /// coefficients of its gradient: ∂/∂x = a ∂μ/∂x + b ∂σ²/∂x.
    /// </summary>
    public static (double Value, double MeanCoefficient, double VarianceCoefficient) WithGradient(double mean, double variance, double threshold)
    {
        var sigma = Math.Sqrt(variance);
        var z = (threshold - mean) / sigma;
        var dz = LogCdfDerivative(z);
        return (LogCdf(z), -dz / sigma, -dz * z / (2 * variance));
    }
}
