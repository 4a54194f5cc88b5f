namespace Hone.Samplers.Gp;

/// <summary>
/// The Matérn-5/2 kernel with automatic relevance determination (Rasmussen and Williams, "Gaussian Processes for Machine
/// Learning", 2006, eq. 4.17), k(x, x') = σ² (1 + √5 r + 5r²/3) exp(−√5 r), on the weighted distance
/// r² = Σⱼ wⱼ δⱼ(x, x')² with wⱼ = 1/ℓⱼ² the inverse squared length scales. For numeric coordinates δⱼ is the
/// difference; for categorical ones it is 0 for the same choice and 1 otherwise (the Hamming distance inside the
/// Matérn kernel, as Optuna's GPSampler does), so choices are not treated as ordered.
/// </summary>
internal static class MaternKernel
{
    private static readonly double Sqrt5 = Math.Sqrt(5);

    /// <summary>The weighted squared distance r² between two points.</summary>
    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> w, bool[] categorical)
    {
        var s = 0.0;
        for (var j = 0; j < a.Length; j++)
        {
            s += w[j] * Delta(a[j], b[j], categorical[j]);
        }

        return s;
    }

    /// <summary>δⱼ², the squared per-coordinate distance.</summary>
    public static double Delta(double a, double b, bool categorical)
    {
        if (categorical)
        {
            return a == b ? 0 : 1;
        }

        var d = a - b;
        return d * d;
    }

    /// <summary>The kernel's correlation (σ² = 1) at squared distance <paramref name="r2"/>.</summary>
    public static double Correlation(double r2)
    {
        var r = Math.Sqrt(r2);
        return (1 + (Sqrt5 * r) + (5.0 / 3 * r2)) * Math.Exp(-Sqrt5 * r);
    }

    /// <summary>The derivative of the correlation with respect to r², −(5/6)(1 + √5 r) exp(−√5 r): finite at r = 0.</summary>
    public static double CorrelationDerivative(double r2)
    {
        var r = Math.Sqrt(r2);
        return -5.0 / 6 * (1 + (Sqrt5 * r)) * Math.Exp(-Sqrt5 * r);
    }
}
