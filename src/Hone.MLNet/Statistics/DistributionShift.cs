using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Hone.MLNet.Statistics;

/// <summary>
/// Has the data moved since a model was tuned? Each column of the new data is tested against the reference data, a
/// two-sample Kolmogorov–Smirnov test for numeric columns with many values and a chi-squared test of homogeneity for
/// categories (and numeric columns with few values), and the p-values are corrected for testing many columns at once
/// with Holm's step-down method (Holm 1979, "A Simple Sequentially Rejective Multiple Test Procedure"), which controls
/// the chance of any false alarm without assuming the columns independent.
/// </summary>
public static class DistributionShift
{
    /// <summary>Numeric columns with at most this many distinct values are tested as categories.</summary>
    public const int MaxCategories = 10;

    private static readonly HashSet<string> Missing = new(["", "NA", "N/A", "NaN", "nan", "?", "null", "NULL"], StringComparer.Ordinal);

    /// <summary>Tests every column present in both tables, given as raw cell text by column name.</summary>
    /// <param name="reference">The data the model was tuned on.</param>
    /// <param name="current">The new data.</param>
    /// <param name="alpha">The significance level for <see cref="ColumnShift.Shifted"/>.</param>
    /// <returns>One result per shared column, most significant first.</returns>
    public static IReadOnlyList<ColumnShift> Compare(
        IReadOnlyDictionary<string, IReadOnlyList<string>> reference, IReadOnlyDictionary<string, IReadOnlyList<string>> current, double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The significance level must be in (0, 1).");
        }

        var raw = new List<(string Column, string Test, double Statistic, double P, int N1, int N2)>();
        foreach (var (column, a) in reference.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!current.TryGetValue(column, out var b))
            {
                continue;
            }

            var x = Numbers(a);
            var y = Numbers(b);
            if (x is not null && y is not null && x.Concat(y).Distinct().Count() > MaxCategories)
            {
                var (d, p) = KolmogorovSmirnov(x, y);
                raw.Add((column, "ks", d, p, x.Length, y.Length));
            }
            else
            {
                var (chi, _, p) = ChiSquared(a.Select(Category).ToList(), b.Select(Category).ToList());
                raw.Add((column, "chi2", chi, p, a.Count, b.Count));
            }
        }

        var adjusted = Holm(raw.Select(r => r.P).ToList());
        return raw.Select((r, i) => new ColumnShift(r.Column, r.Test, r.Statistic, r.P, adjusted[i], adjusted[i] < alpha, r.N1, r.N2))
            .OrderBy(s => s.AdjustedPValue)
            .ThenBy(s => s.Column, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The two-sample Kolmogorov–Smirnov statistic D (the largest gap between the empirical distribution functions) and
    /// its asymptotic p-value, with the small-sample correction λ = (√n + 0.12 + 0.11/√n)·D, n = n₁n₂/(n₁+n₂) (Stephens 1970).
    /// </summary>
    public static (double D, double PValue) KolmogorovSmirnov(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0)
        {
            return (0, 1);
        }

        var x = a.Order().ToArray();
        var y = b.Order().ToArray();
        int i = 0, j = 0;
        var d = 0.0;
        while (i < x.Length && j < y.Length)
        {
            var v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] == v)
            {
                i++;
            }

            while (j < y.Length && y[j] == v)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs(((double)i / x.Length) - ((double)j / y.Length)));
        }

        var n = (double)x.Length * y.Length / (x.Length + y.Length);
        var lambda = (Math.Sqrt(n) + 0.12 + (0.11 / Math.Sqrt(n))) * d;
        return (d, KolmogorovTail(lambda));
    }

    /// <summary>The chi-squared test of homogeneity of two samples of categories: statistic, degrees of freedom and p-value.</summary>
    public static (double ChiSquared, int DegreesOfFreedom, double PValue) ChiSquared(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var ca = a.GroupBy(v => v, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var cb = b.GroupBy(v => v, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var categories = ca.Keys.Union(cb.Keys, StringComparer.Ordinal).ToList();
        if (categories.Count < 2 || a.Count == 0 || b.Count == 0)
        {
            return (0, 0, 1);
        }

        double na = a.Count, nb = b.Count, total = na + nb;
        var chi = 0.0;
        foreach (var c in categories)
        {
            var oa = ca.GetValueOrDefault(c);
            var ob = cb.GetValueOrDefault(c);
            var column = oa + ob;
            var ea = na * column / total;
            var eb = nb * column / total;
            chi += ((oa - ea) * (oa - ea) / ea) + ((ob - eb) * (ob - eb) / eb);
        }

        var df = categories.Count - 1;
        return (chi, df, 1 - MathNet.Numerics.Distributions.ChiSquared.CDF(df, chi));
    }

    /// <summary>Holm's step-down adjustment of <paramref name="pValues"/>, in their order.</summary>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var k = 0; k < m; k++)
        {
            running = Math.Max(running, Math.Min(1, (m - k) * pValues[order[k]]));
            adjusted[order[k]] = running;
        }

        return adjusted;
    }

    /// <summary>Q(λ) = 2 Σ (−1)^(j−1) exp(−2j²λ²), the Kolmogorov distribution's upper tail.</summary>
    private static double KolmogorovTail(double lambda)
    {
        if (lambda < 0.2)
        {
            return 1;
        }

        var sum = 0.0;
        for (var j = 1; j <= 100; j++)
        {
            var term = Math.Exp(-2 * j * j * lambda * lambda);
            sum += (j % 2 == 1 ? 1 : -1) * term;
            if (term < 1e-12)
            {
                break;
            }
        }

        return Math.Clamp(2 * sum, 0, 1);
    }

    private static double[]? Numbers(IReadOnlyList<string> cells)
    {
        var values = new List<double>(cells.Count);
        foreach (var cell in cells)
        {
            var text = cell.Trim();
            if (Missing.Contains(text))
            {
                continue;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                return null;
            }

            values.Add(v);
        }

        return [.. values];
    }

    private static string Category(string cell) => Missing.Contains(cell.Trim()) ? "(missing)" : cell.Trim();
}
