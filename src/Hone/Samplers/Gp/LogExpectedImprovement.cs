using MathNet.Numerics;

namespace Hone.Samplers.Gp;

/// <summary>
/// The logarithm of expected improvement, computed without the underflow that makes plain EI vanish (and its gradient
/// with it) far from the incumbent: LogEI = log h(z) + log σ with h(z) = φ(z) + zΦ(z) and z = (μ − y*)/σ, evaluated
/// through the scaled complementary error function erfcx in the tail and an asymptotic expansion beyond it (Ament,
/// Daulton, Eriksson, Balandat and Bakshy, "Unexpected Improvements to Expected Improvement for Bayesian Optimization",
/// NeurIPS 2023, eq. 9).
/// </summary>
internal static class LogExpectedImprovement
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);
    private static readonly double HalfLogHalfPi = 0.5 * Math.Log(Math.PI / 2);
    private static readonly double SqrtHalfPi = Math.Sqrt(Math.PI / 2);
    private static readonly double InvSqrtEpsilon = 1 / Math.Sqrt(2.220446049250313e-16);

    /// <summary>log h(z), finite for every finite z.</summary>
    public static double LogH(double z)
    {
        if (z > -1)
        {
            return Math.Log(Phi(z) + (z * Cdf(z)));
        }

        if (z > -InvSqrtEpsilon)
        {
            var u = -z / Math.Sqrt(2);
            return (-0.5 * z * z) - HalfLogTwoPi + Log1MinusExp(Math.Log(Erfcx(u) * -z) + HalfLogHalfPi);
        }

        return (-0.5 * z * z) - HalfLogTwoPi - (2 * Math.Log(-z));
    }

    /// <summary>d log h(z)/dz = Φ(z)/h(z), finite for every finite z.</summary>
    public static double LogHDerivative(double z)
    {
        if (z > -1)
        {
            return Cdf(z) / (Phi(z) + (z * Cdf(z)));
        }

        if (z > -1e4)
        {
            var q = Erfcx(-z / Math.Sqrt(2)) * SqrtHalfPi;
            return q / (1 + (z * q));
        }

        return -z - (2 / z);
    }

    /// <summary>LogEI at posterior mean <paramref name="mean"/> and variance <paramref name="variance"/> for incumbent <paramref name="best"/> (maximisation).</summary>
    public static double Value(double mean, double variance, double best)
    {
        var sigma = Math.Sqrt(variance);
        return LogH((mean - best) / sigma) + Math.Log(sigma);
    }

    /// <summary>
    /// LogEI and the coefficients of its gradient: ∂LogEI/∂x = a ∂μ/∂x + b ∂σ²/∂x.
    /// </summary>
    public static (double Value, double MeanCoefficient, double VarianceCoefficient) WithGradient(double mean, double variance, double best)
    {
        var sigma = Math.Sqrt(variance);
        var z = (mean - best) / sigma;
        var dz = LogHDerivative(z);
        // z = (μ - y*)/σ: ∂z/∂μ = 1/σ, ∂z/∂σ² = -z/(2σ²); log σ = ½ log σ².
        return (LogH(z) + Math.Log(sigma), dz / sigma, ((-dz * z) + 1) / (2 * variance));
    }

    /// <summary>The scaled complementary error function exp(x²) erfc(x), for x ≥ 0.</summary>
    internal static double Erfcx(double x)
    {
        if (x < 26)
        {
            return Math.Exp(x * x) * SpecialFunctions.Erfc(x);
        }

        var inv2 = 1 / (x * x);
        return (1 + (inv2 * (-0.5 + (inv2 * (0.75 + (inv2 * (-1.875 + (inv2 * 6.5625)))))))) / (x * Math.Sqrt(Math.PI));
    }

    private static double Phi(double z) => Math.Exp((-0.5 * z * z) - HalfLogTwoPi);

    private static double Cdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2));

    private static double Log1MinusExp(double x) => x > -Math.Log(2) ? Math.Log(-SpecialFunctions.Expm1(x)) : Math.Log(-Math.Exp(x) + 1);
}
