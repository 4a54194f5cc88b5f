using MathNet.Numerics.Distributions;

namespace Hone.MLNet.Statistics;

/// <summary>The result of a two-sided paired test.</summary>
/// <param name="Statistic">The test statistic (Wilcoxon: min(W+, W−); t-test: t).</param>
/// <param name="PValue">The two-sided p-value.</param>
/// <param name="Method">How the p-value was computed, e.g. "exact" or "normal approximation".</param>
public sealed record TestResult(double Statistic, double PValue, string Method);

/// <summary>Two-sided paired tests of x versus y (e.g. the tuned and the default configuration's scores on the same folds).</summary>
public static class PairedTests
{
    /// <summary>
    /// The Wilcoxon signed-rank test, as scipy.stats.wilcoxon(x, y) (1.10) computes it by default: the exact null
    /// distribution when there are at most 50 pairs and no zero difference, else the normal approximation with zero
    /// differences dropped and the tie correction (no continuity correction).
    /// </summary>
    /// <remarks>With n differences the smallest exact two-sided p-value is 2/2^n (0.0625 for 5 folds).</remarks>
    public static TestResult Wilcoxon(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var all = Differences(x, y);
        var d = all.Where(v => v != 0).ToArray();
        var zeros = all.Length - d.Length;
        var n = d.Length;
        if (n == 0)
        {
            return new TestResult(0, 1, "all differences are zero");
        }

        var ranks = Ranks(d.Select(Math.Abs).ToArray(), out var tieGroups);
        double rPlus = 0, rMinus = 0;
        for (var i = 0; i < n; i++)
        {
            if (d[i] > 0)
            {
                rPlus += ranks[i];
            }
            else
            {
                rMinus += ranks[i];
            }
        }

        var statistic = Math.Min(rPlus, rMinus);
        var mean = n * (n + 1) * 0.25;
        if (all.Length <= 50 && zeros == 0)
        {
            // As scipy: the exact null distribution, with W+ truncated to an integer when tied ranks make it fractional.
            var pmf = SignedRankDistribution(n);
            var r = (int)rPlus;
            if (r == (pmf.Length - 1) / 2)
            {
                return new TestResult(statistic, 1, "exact");
            }

            double less = 0, greater = 0;
            for (var k = 0; k < pmf.Length; k++)
            {
                if (k <= r)
                {
                    less += pmf[k];
                }

                if (k >= r)
                {
                    greater += pmf[k];
                }
            }

            return new TestResult(statistic, Math.Clamp(2 * Math.Min(less, greater), 0, 1), tieGroups.Count == 0 ? "exact" : "exact, ties");
        }

        var variance = n * (n + 1.0) * ((2.0 * n) + 1);
        foreach (var t in tieGroups)
        {
            variance -= 0.5 * t * ((t * (double)t) - 1);
        }

        var se = Math.Sqrt(variance / 24);
        var z = se == 0 ? 0 : (rPlus - mean) / se;
        return new TestResult(statistic, Math.Min(2 * Normal.CDF(0, 1, -Math.Abs(z)), 1), "normal approximation");
    }

    /// <summary>The paired t-test (scipy.stats.ttest_rel): t = mean(d) / (sd(d)/√n) with n − 1 degrees of freedom.</summary>
    public static TestResult PairedT(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var d = Differences(x, y);
        var n = d.Length;
        if (n < 2)
        {
            return new TestResult(double.NaN, double.NaN, "needs at least 2 pairs");
        }

        var mean = d.Average();
        var sd = Math.Sqrt(d.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        if (sd == 0)
        {
            return mean == 0
                ? new TestResult(double.NaN, double.NaN, "all differences are zero")
                : new TestResult(Math.CopySign(double.PositiveInfinity, mean), 0, "constant nonzero differences");
        }

        var t = mean / (sd / Math.Sqrt(n));
        return new TestResult(t, 2 * StudentT.CDF(0, 1, n - 1, -Math.Abs(t)), $"t with {n - 1} df");
    }

    private static double[] Differences(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"Paired samples must have the same length; got {x.Count} and {y.Count}.", nameof(y));
        }

        var d = new double[x.Count];
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = x[i] - y[i];
        }

        return d;
    }

    /// <summary>Average ranks (1-based) and the sizes of tie groups.</summary>
    private static double[] Ranks(double[] values, out List<int> tieGroups)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        tieGroups = [];
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            var rank = ((start + end) / 2.0) + 1;
            for (var i = start; i <= end; i++)
            {
                ranks[order[i]] = rank;
            }

            if (end > start)
            {
                tieGroups.Add(end - start + 1);
            }

            start = end + 1;
        }

        return ranks;
    }

    /// <summary>P(W+ = k) for k = 0..n(n+1)/2 under the null hypothesis.</summary>
    private static double[] SignedRankDistribution(int n)
    {
        var max = n * (n + 1) / 2;
        var counts = new double[max + 1];
        counts[0] = 1;
        for (var i = 1; i <= n; i++)
        {
            for (var k = max; k >= i; k--)
            {
                counts[k] += counts[k - i];
            }
        }

        var total = Math.Pow(2, n);
        for (var k = 0; k <= max; k++)
        {
            counts[k] /= total;
        }

        return counts;
    }
}
