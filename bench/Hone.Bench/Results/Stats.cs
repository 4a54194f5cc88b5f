namespace Hone.Bench.Results;

internal static class Stats
{
    /// <summary>The median (mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// The Mann–Whitney U comparison of two samples where lower is better: the probability that a draw
    /// from <paramref name="a"/> is below one from <paramref name="b"/> (ties count half; 0.5 means no
    /// difference), and the two-sided p-value of the normal approximation (no tie correction; fine for
    /// continuous regrets and 10+ runs a side).
    /// </summary>
    public static (double ProbabilityALower, double PValue) MannWhitney(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var u = 0.0;
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                u += x < y ? 1 : x == y ? 0.5 : 0;
            }
        }

        double n1 = a.Count, n2 = b.Count;
        var mean = n1 * n2 / 2;
        var sd = Math.Sqrt(n1 * n2 * (n1 + n2 + 1) / 12);
        var z = Math.Abs(u - mean) / sd;
        return (u / (n1 * n2), Erfc(z / Math.Sqrt(2)));
    }

    /// <summary>The complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7).</summary>
    private static double Erfc(double x)
    {
        ReadOnlySpan<double> c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        var z = Math.Abs(x);
        var t = 1 / (1 + (0.5 * z));
        var poly = 0.0;
        for (var i = c.Length - 1; i >= 0; i--)
        {
            poly = c[i] + (t * poly);
        }

        var r = t * Math.Exp(-(z * z) + poly);
        return x >= 0 ? r : 2 - r;
    }
}
