namespace Hone.Pruners;

/// <summary>
/// The one-sample (paired) Wilcoxon signed-rank test (Wilcoxon 1945, "Individual comparisons by ranking methods"),
/// with the conventions of <c>scipy.stats.wilcoxon</c>: zero differences split between the positive and negative rank
/// sums ("zsplit", Pratt's companion rule), average ranks for ties, no continuity correction.
/// </summary>
/// <remarks>
/// <para>The p-value is exact, from the distribution of the positive rank sum under the null (every sign equally
/// likely; counts of subsets of {1..n} by sum), when n ≤ 50 and there are no zero and no tied |differences|.
/// Otherwise it is the normal approximation with mean n(n+1)/4 and variance n(n+1)(2n+1)/24 less
/// Σ(t³ − t)/48 over groups of t tied ranks (Lehmann 1975, "Nonparametrics", §3.2).</para>
/// <para>SciPy 1.10 also takes the exact path with ties (truncating the rank sum); Hone uses the approximation there,
/// which respects the ties (newer SciPy does the same).</para>
/// </remarks>
internal static class WilcoxonSignedRank
{
    /// <summary>The largest sample with an exact p-value.</summary>
    public const int MaxExact = 50;

    /// <summary>
    /// The p-value for the alternative that the differences tend to be greater than zero
    /// (<paramref name="greater"/>) or less than zero; NaN for an empty sample.
    /// </summary>
    public static double PValue(ReadOnlySpan<double> differences, bool greater)
    {
        var n = differences.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        var order = new int[n];
        var abs = new double[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
            abs[i] = Math.Abs(differences[i]);
        }

        Array.Sort((double[])abs.Clone(), order);

        // Average ranks (1-based) of |d|; tie groups for the variance correction.
        var ranks = new double[n];
        var tieCorrection = 0.0;
        var hasTies = false;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && abs[order[j + 1]] == abs[order[i]])
            {
                j++;
            }

            var t = j - i + 1;
            var rank = (i + j + 2) / 2.0;
            for (var k = i; k <= j; k++)
            {
                ranks[order[k]] = rank;
            }

            if (t > 1)
            {
                hasTies = true;
                tieCorrection += 0.5 * t * (((double)t * t) - 1);
            }

            i = j + 1;
        }

        var rPlus = 0.0;
        var zeros = 0;
        for (var i = 0; i < n; i++)
        {
            var d = differences[i];
            if (d > 0)
            {
                rPlus += ranks[i];
            }
            else if (d == 0)
            {
                rPlus += ranks[i] / 2;
                zeros++;
            }
        }

        if (n <= MaxExact && zeros == 0 && !hasTies)
        {
            return ExactPValue(n, (int)Math.Round(rPlus), greater);
        }

        var mean = n * (n + 1.0) * 0.25;
        var variance = ((n * (n + 1.0) * ((2.0 * n) + 1.0)) - tieCorrection) / 24.0;
        if (!(variance > 0))
        {
            return 1.0;
        }

        var z = (rPlus - mean) / Math.Sqrt(variance);
        return greater ? NormalSf(z) : NormalSf(-z);
    }

    /// <summary>P(T ≥ t) (<paramref name="greater"/>) or P(T ≤ t) for the positive rank sum T of n untied, non-zero differences.</summary>
    public static double ExactPValue(int n, int rPlus, bool greater)
    {
        var max = n * (n + 1) / 2;

        // counts[s] = number of subsets of {1..n} with sum s (at most 2^50, exact in a double).
        var counts = new double[max + 1];
        counts[0] = 1;
        var reach = 0;
        for (var k = 1; k <= n; k++)
        {
            reach += k;
            for (var s = reach; s >= k; s--)
            {
                counts[s] += counts[s - k];
            }
        }

        var tail = 0.0;
        if (greater)
        {
            for (var s = Math.Max(rPlus, 0); s <= max; s++)
            {
                tail += counts[s];
            }
        }
        else
        {
            for (var s = 0; s <= Math.Min(rPlus, max); s++)
            {
                tail += counts[s];
            }
        }

        return Math.Clamp(tail / Math.Pow(2, n), 0, 1);
    }

    /// <summary>The standard normal survival function, P(Z &gt; z) = erfc(z/√2)/2.</summary>
    public static double NormalSf(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    /// <summary>
    /// The complementary error function to about 1e-14 relative accuracy: for x &lt; 2 the everywhere-positive series
    /// erf(x) = 2x e^(−x²)/√π Σ (2x²)^k / (1·3···(2k+1)) (Abramowitz and Stegun 7.1.6), for x ≥ 2 the continued fraction
    /// of A&amp;S 7.1.14 evaluated by the modified Lentz method, and erfc(−x) = 2 − erfc(x).
    /// </summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        if (x < 2)
        {
            var x2 = x * x;
            var term = 1.0;
            var sum = 1.0;
            for (var k = 1; k < 200; k++)
            {
                term *= 2 * x2 / ((2 * k) + 1);
                sum += term;
                if (term < sum * 1e-17)
                {
                    break;
                }
            }

            return 1 - (2 * x / Math.Sqrt(Math.PI) * Math.Exp(-x2) * sum);
        }

        if (x > 27)
        {
            return 0;
        }

        // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))).
        const double Tiny = 1e-300;
        var f = x;
        var c = x;
        var dd = 0.0;
        for (var k = 1; k < 500; k++)
        {
            var a = k / 2.0;
            dd = x + (a * dd);
            dd = Math.Abs(dd) < Tiny ? Tiny : dd;
            c = x + (a / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            dd = 1 / dd;
            var delta = c * dd;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }
}
