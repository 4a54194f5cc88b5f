using System.Runtime.CompilerServices;

namespace Hone.Samplers.Tpe;

/// <summary>
/// The standard normal distribution truncated to [a, b]: log-density, log of the probability mass of an
/// interval, cdf and quantile function, computed in log space where the tails would underflow.
/// </summary>
/// <remarks>
/// <para>The complementary error function is the Chebyshev fit of Press et al. (Numerical Recipes, erfcc), whose
/// relative error is below 1.2e-7 everywhere, and whose form t·exp(−z² + P(t)) gives log erfc without underflow
/// far into the tail. The normal quantile is Acklam's rational approximation (relative error below 1.2e-9).</para>
/// <para>Masses of narrow intervals (the discrete kernels of integer and stepped parameters) are computed from a
/// Hermite expansion around the midpoint instead of as a difference of two cdfs, so they keep their precision.</para>
/// </remarks>
internal static class TruncatedNormal
{
    /// <summary>log(√(2π)).</summary>
    public const double LogSqrt2Pi = 0.91893853320467274178;

    private const double Sqrt1Over2 = 0.70710678118654752440;
    private const double Ln2 = 0.69314718055994530942;

    /// <summary>log Φ(x) for the standard normal cdf Φ, accurate deep into both tails.</summary>
    public static double LogNdtr(double x)
    {
        if (x > 5)
        {
            // Φ(x) = 1 − Φ(−x) with Φ(−x) tiny.
            return -Ndtr(-x);
        }

        return LogErfc(-x * Sqrt1Over2) - Ln2;
    }

    /// <summary>Φ(x), the standard normal cdf, with small relative error in the left tail.</summary>
    public static double Ndtr(double x)
    {
        var z = x * Sqrt1Over2;
        return z < 0 ? 0.5 * ErfcPositive(-z) : 1 - (0.5 * ErfcPositive(z));
    }

    /// <summary>log of the standard normal mass of [a, b] (−∞ when the interval is empty).</summary>
    public static double LogGaussMass(double a, double b)
    {
        if (!(b > a))
        {
            return double.NegativeInfinity;
        }

        var half = 0.5 * (b - a);
        var mid = 0.5 * (a + b);
        if (half * Math.Max(1, Math.Abs(mid)) < 0.1)
        {
            return LogNarrowMass(mid, half);
        }

        if (a >= 0)
        {
            // Work in the left tail, where the cdf keeps its relative precision.
            (a, b) = (-b, -a);
        }

        if (b <= 0)
        {
            var logB = LogNdtr(b);
            var logA = LogNdtr(a);
            return logB + Log1MExp(logA - logB);
        }

        // a < 0 < b: one minus the two tails, which vanish (below 1e-19) beyond nine deviations.
        if (a <= -9 && b >= 9)
        {
            return 0;
        }

        return Log1P(-(Ndtr(a) + Ndtr(-b)));
    }

    /// <summary>The log-density at <paramref name="x"/> of the standard normal truncated to [a, b].</summary>
    public static double LogPdf(double x, double a, double b) =>
        x < a || x > b ? double.NegativeInfinity : (-0.5 * x * x) - LogSqrt2Pi - LogGaussMass(a, b);

    /// <summary>The cdf at <paramref name="x"/> of the standard normal truncated to [a, b].</summary>
    public static double Cdf(double x, double a, double b)
    {
        if (x <= a)
        {
            return 0;
        }

        if (x >= b)
        {
            return 1;
        }

        return Math.Exp(LogGaussMass(a, x) - LogGaussMass(a, b));
    }

    /// <summary>The quantile <paramref name="q"/> ∈ [0, 1] of the standard normal truncated to [a, b].</summary>
    public static double Ppf(double q, double a, double b)
    {
        if (!(b > a))
        {
            return a == b ? a : double.NaN;
        }

        if (q <= 0)
        {
            return a;
        }

        if (q >= 1)
        {
            return b;
        }

        double x;
        if (a < 0)
        {
            x = LeftPpf(q, a, b);
        }
        else
        {
            x = -LeftPpf(1 - q, -b, -a);
        }

        return Math.Clamp(x, a, b);
    }

    /// <summary>A draw from the normal with mean <paramref name="mu"/>, deviation <paramref name="sigma"/> truncated to [low, high].</summary>
    public static double Sample(SeededRandom rng, double mu, double sigma, double low, double high)
    {
        var z = Ppf(rng.NextDouble(), (low - mu) / sigma, (high - mu) / sigma);
        return Math.Clamp(mu + (sigma * z), low, high);
    }

    /// <summary>The standard normal quantile Φ⁻¹(p) (Acklam's algorithm).</summary>
    public static double Ndtri(double p)
    {
        if (p <= 0)
        {
            return double.NegativeInfinity;
        }

        if (p >= 1)
        {
            return double.PositiveInfinity;
        }

        const double PLow = 0.02425;
        if (p < PLow)
        {
            return TailQuantile(Math.Sqrt(-2 * Math.Log(p)));
        }

        if (p > 1 - PLow)
        {
            return -TailQuantile(Math.Sqrt(-2 * Log1P(-p)));
        }

        var q = p - 0.5;
        var r = q * q;
        var num = (((((-3.969683028665376e+01 * r) + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
            + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00;
        var den = (((((-5.447609879822406e+01 * r) + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
            + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1;
        return num * q / den;
    }

    /// <summary>erfc(z) for z ≥ 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ErfcPositive(double z)
    {
        var t = 1 / (1 + (0.5 * z));
        return t * Math.Exp(ErfcPolynomial(t) - (z * z));
    }

    /// <summary>log erfc(z) for any z, without underflow for large z.</summary>
    public static double LogErfc(double z) => z >= 0 ? LogErfcPositive(z) : Math.Log(2 - ErfcPositive(-z));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double LogErfcPositive(double z)
    {
        var t = 1 / (1 + (0.5 * z));
        return Math.Log(t) - (z * z) + ErfcPolynomial(t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ErfcPolynomial(double t) =>
        -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));

    /// <summary>
    /// log ∫ φ over [m − h, m + h] for a narrow interval: φ(m)·2h·Σ He₂ₖ(m) h²ᵏ / ((2k+1)!) (probabilists' Hermite).
    /// </summary>
    private static double LogNarrowMass(double m, double h)
    {
        var m2 = m * m;
        var h2 = h * h;
        var he2 = m2 - 1;
        var he4 = (m2 * (m2 - 6)) + 3;
        var he6 = (m2 * ((m2 * (m2 - 15)) + 45)) - 15;
        var series = 1 + (h2 * ((he2 / 6) + (h2 * ((he4 / 120) + (h2 * he6 / 5040)))));
        return (-0.5 * m2) - LogSqrt2Pi + Math.Log(2 * h) + Math.Log(series);
    }

    /// <summary>log(1 − eˣ) for x ≤ 0.</summary>
    private static double Log1MExp(double x) =>
        x > -Ln2 ? Math.Log(-ExpM1(x)) : Log1P(-Math.Exp(x));

    /// <summary>The quantile for a &lt; 0, where Φ(a) has no cancellation.</summary>
    private static double LeftPpf(double q, double a, double b)
    {
        var logMass = LogGaussMass(a, b);
        var logPa = LogNdtr(a);

        // log Φ(x) = log(Φ(a) + q·mass)
        var logTarget = LogAddExp(logPa, Math.Log(q) + logMass);
        if (logTarget > -700)
        {
            return Ndtri(Math.Exp(logTarget));
        }

        // Far in the left tail (not reached when the mean lies in [a, b]): invert the asymptotic
        // log Φ(x) ≈ −x²/2 − log(−x) − log √(2π) by fixed-point iteration.
        var x = -Math.Sqrt(-2 * logTarget);
        for (var i = 0; i < 8; i++)
        {
            x = -Math.Sqrt(Math.Max(0, -2 * (logTarget + Math.Log(-x) + LogSqrt2Pi)));
        }

        return x;
    }

    private static double LogAddExp(double x, double y)
    {
        if (double.IsNegativeInfinity(x))
        {
            return y;
        }

        if (double.IsNegativeInfinity(y))
        {
            return x;
        }

        var max = Math.Max(x, y);
        return max + Log1P(Math.Exp(-Math.Abs(x - y)));
    }

    /// <summary>log(1 + x), accurate for small x (Goldberg's trick; double.LogP1 is log(1 + x) as written).</summary>
    internal static double Log1P(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>eˣ − 1, accurate for small x (Kahan's trick).</summary>
    internal static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1)
        {
            return x;
        }

        var um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }

    private static double TailQuantile(double q) =>
        (((((((-7.784894002430293e-03 * q) - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
            - 2.549732539343734e+00) * q) + 4.374664141464968e+00) * q + 2.938163982698783e+00)
        / ((((((7.784695709041462e-03 * q) + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
            + 3.754408661907416e+00) * q) + 1);
}
