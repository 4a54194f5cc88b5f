namespace Hone.MLNet.Statistics;

/// <summary>Percentile bootstrap confidence intervals.</summary>
public static class Bootstrap
{
    /// <summary>The default number of resamples.</summary>
    public const int DefaultResamples = 10_000;

    /// <summary>A percentile bootstrap interval for the mean of <paramref name="values"/>.</summary>
    /// <param name="values">The sample (e.g. one score per fold).</param>
    /// <param name="level">The coverage, e.g. 0.95.</param>
    /// <param name="resamples">How many resamples.</param>
    /// <param name="seed">The resampling seed.</param>
    public static (double Low, double High) MeanInterval(IReadOnlyList<double> values, double level = 0.95, int resamples = DefaultResamples, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Interval(values.Count, rows =>
        {
            double sum = 0;
            foreach (var r in rows)
            {
                sum += values[r];
            }

            return sum / rows.Length;
        }, level, resamples, seed);
    }

    /// <summary>
    /// A percentile bootstrap interval for any statistic of <paramref name="count"/> rows: the statistic is computed
    /// on <paramref name="resamples"/> resamples of row indices (drawn with replacement); resamples where it is NaN
    /// (e.g. AUC with one class only) are skipped.
    /// </summary>
    public static (double Low, double High) Interval(int count, Func<int[], double> statistic, double level = 0.95, int resamples = DefaultResamples, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must be strictly between 0 and 1.");
        }

        var random = new Random(seed);
        var estimates = new List<double>(resamples);
        var rows = new int[count];
        for (var b = 0; b < resamples; b++)
        {
            for (var i = 0; i < count; i++)
            {
                rows[i] = random.Next(count);
            }

            var value = statistic(rows);
            if (!double.IsNaN(value))
            {
                estimates.Add(value);
            }
        }

        if (estimates.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        estimates.Sort();
        var alpha = (1 - level) / 2;
        return (Quantile(estimates, alpha), Quantile(estimates, 1 - alpha));
    }

    /// <summary>The q-quantile of sorted values with linear interpolation (NumPy's default).</summary>
    internal static double Quantile(List<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
