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

    /// <summary>
    /// The one-sided Wilcoxon signed-rank test of paired differences a − b where lower is better: the p-value of
    /// "a is better" (differences tend below zero). Zero differences are dropped (Wilcoxon's convention), tied
    /// |differences| get their average rank, and the p-value is exact: the probability, over the 2^n equally likely
    /// sign assignments of the observed ranks, of a sum of positive ranks at most the observed one. NaN without
    /// nonzero differences.
    /// </summary>
    public static double WilcoxonSignedRankLess(IReadOnlyList<double> differences)
    {
        var nonzero = differences.Where(d => d != 0).ToArray();
        var n = nonzero.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        // Ranks doubled, so that the average rank of a tie is an integer and the distribution fits an array.
        var order = Enumerable.Range(0, n).OrderBy(i => Math.Abs(nonzero[i])).ToArray();
        var doubledRank = new int[n];
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && Math.Abs(nonzero[order[end + 1]]) == Math.Abs(nonzero[order[start]]))
            {
                end++;
            }

            for (var j = start; j <= end; j++)
            {
                doubledRank[order[j]] = start + end + 2;
            }

            start = end + 1;
        }

        var observed = 0;
        for (var i = 0; i < n; i++)
        {
            observed += nonzero[i] > 0 ? doubledRank[i] : 0;
        }

        var total = doubledRank.Sum();
        var probability = new double[total + 1];
        probability[0] = 1;
        var reach = 0;
        foreach (var r in doubledRank)
        {
            reach += r;
            for (var s = reach; s >= 0; s--)
            {
                probability[s] = (0.5 * probability[s]) + (s >= r ? 0.5 * probability[s - r] : 0);
            }
        }

        var p = 0.0;
        for (var s = 0; s <= observed; s++)
        {
            p += probability[s];
        }

        return Math.Min(1, p);
    }

    /// <summary>
    /// The one-sided sign test: the probability of at least <paramref name="wins"/> wins in wins + losses fair coin
    /// flips (ties left out before calling), i.e. the p-value of "the winner is better". NaN without games.
    /// </summary>
    public static double SignTestGreater(int wins, int losses)
    {
        var n = wins + losses;
        if (n == 0)
        {
            return double.NaN;
        }

        var p = 0.0;
        for (var k = wins; k <= n; k++)
        {
            p += Math.Exp(LogChoose(n, k) - (n * Math.Log(2)));
        }

        return Math.Min(1, p);
    }

    private static double LogChoose(int n, int k)
    {
        var result = 0.0;
        for (var i = 1; i <= k; i++)
        {
            result += Math.Log(n - k + i) - Math.Log(i);
        }

        return result;
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
