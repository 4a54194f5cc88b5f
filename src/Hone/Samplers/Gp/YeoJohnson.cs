namespace Hone.Samplers.Gp;

/// <summary>
/// The Yeo–Johnson power transformation (Yeo and Johnson, "A new family of power transformations to improve normality or
/// symmetry", Biometrika 87(4), 2000), with its exponent λ chosen by maximum likelihood, as HEBO warps the outputs it
/// models (Cowen-Rivers et al., "HEBO: Pushing the Limits of Sample-Efficient Hyperparameter Optimisation", JAIR 2022).
/// Monotone, so the order of the outputs (and the incumbent) is kept; heavy tails are pulled in.
/// </summary>
internal static class YeoJohnson
{
    private const double MinLambda = -3;
    private const double MaxLambda = 3;

    /// <summary>ψ(y, λ).</summary>
    public static double Transform(double y, double lambda)
    {
        if (y >= 0)
        {
            return Math.Abs(lambda) < 1e-12 ? Math.Log(y + 1) : (Math.Pow(y + 1, lambda) - 1) / lambda;
        }

        return Math.Abs(lambda - 2) < 1e-12 ? -Math.Log(-y + 1) : -(Math.Pow(-y + 1, 2 - lambda) - 1) / (2 - lambda);
    }

    /// <summary>The λ in [−3, 3] that maximises the Gaussian profile log-likelihood of the transformed values (golden-section search).</summary>
    public static double FitLambda(ReadOnlySpan<double> y)
    {
        var values = y.ToArray();
        var jacobian = 0.0;
        foreach (var v in values)
        {
            jacobian += Math.Sign(v) * Math.Log(Math.Abs(v) + 1);
        }

        double LogLikelihood(double lambda)
        {
            var mean = 0.0;
            foreach (var v in values)
            {
                mean += Transform(v, lambda);
            }

            mean /= values.Length;
            var ss = 0.0;
            foreach (var v in values)
            {
                var t = Transform(v, lambda) - mean;
                ss += t * t;
            }

            var variance = ss / values.Length;
            return variance > 0 && double.IsFinite(variance)
                ? (-0.5 * values.Length * Math.Log(variance)) + ((lambda - 1) * jacobian)
                : double.NegativeInfinity;
        }

        var ratio = (Math.Sqrt(5) - 1) / 2;
        double a = MinLambda, b = MaxLambda;
        var c = b - (ratio * (b - a));
        var d = a + (ratio * (b - a));
        double fc = LogLikelihood(c), fd = LogLikelihood(d);
        for (var i = 0; i < 60 && b - a > 1e-6; i++)
        {
            if (fc >= fd)
            {
                b = d;
                d = c;
                fd = fc;
                c = b - (ratio * (b - a));
                fc = LogLikelihood(c);
            }
            else
            {
                a = c;
                c = d;
                fc = fd;
                d = a + (ratio * (b - a));
                fd = LogLikelihood(d);
            }
        }

        var lambdaHat = 0.5 * (a + b);
        return double.IsFinite(LogLikelihood(lambdaHat)) ? lambdaHat : 1;
    }
}
