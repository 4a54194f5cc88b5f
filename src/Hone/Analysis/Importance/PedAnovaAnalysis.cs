using Hone.Samplers;

namespace Hone.Analysis.Importance;

/// <summary>
/// PED-ANOVA (Watanabe, Bansal and Hutter, "PED-ANOVA: Efficiently Quantifying Hyperparameter Importance in
/// Arbitrary Subspaces", IJCAI 2023): the importance of a parameter for reaching the best γ of the trials is the
/// Pearson divergence between its density among those trials and its density among the best γ′ (all trials by
/// default), Σ p′(x) (p(x)/p′(x) − 1)² over a grid, with the densities of <see cref="ScottParzenEstimator"/>. The
/// paper proves this is the local variance that the parameter explains, without fitting a surrogate.
/// </summary>
internal static class PedAnovaAnalysis
{
    /// <summary>The top set always has at least this many trials (Optuna's min_n_top_trials).</summary>
    private const int MinTopTrials = 2;

    public static (double[] Importance, double[] Spread) Run(ImportanceData data, ImportanceOptions options, long seed)
    {
        var n = data.Count;
        var all = Enumerable.Range(0, n).ToArray();
        var importance = Normalized(data, all, options);
        var d = importance.Length;
        var resamples = new List<double[]>();
        for (var r = 0; r < options.Resamples; r++)
        {
            var random = SeededRandom.ForTrial(seed, r, "importance-ped-anova");
            var sample = new int[n];
            for (var i = 0; i < n; i++)
            {
                sample[i] = random.NextInt(n);
            }

            resamples.Add(Normalized(data, sample, options));
        }

        var spread = new double[d];
        for (var i = 0; i < d; i++)
        {
            spread[i] = FanovaAnalysis.MeanStd(resamples.Select(x => x[i])).Std;
        }

        return (importance, spread);
    }

    /// <summary>The divergences of the trials (rows of the data, repeats allowed), normalized to sum to 1 (equal shares when all are 0).</summary>
    private static double[] Normalized(ImportanceData data, int[] rows, ImportanceOptions options)
    {
        var top = Best(data, rows, options.Quantile);
        var baseline = options.BaselineQuantile >= 1 ? rows : Best(data, rows, options.BaselineQuantile);
        var d = data.Dimensions.Count;
        var divergence = new double[d];
        for (var i = 0; i < d; i++)
        {
            var dim = data.Dimensions[i];
            var size = ScottParzenEstimator.GridSize(dim);
            var pTop = ScottParzenEstimator.Density(Counts(data.Columns[i], dim, size, top), dim.IsCategorical);
            var pBase = ScottParzenEstimator.Density(Counts(data.Columns[i], dim, size, baseline), dim.IsCategorical);
            var sum = 0.0;
            for (var k = 0; k < size; k++)
            {
                var p = pTop[k] + 1e-12;
                var q = pBase[k] + 1e-12;
                var ratio = (p / q) - 1;
                sum += q * ratio * ratio;
            }

            divergence[i] = sum;
        }

        var total = divergence.Sum();
        return total > 0 ? [.. divergence.Select(x => x / total)] : [.. Enumerable.Repeat(1.0 / d, d)];
    }

    /// <summary>The rows whose value is within the best fraction (at least <see cref="MinTopTrials"/>; ties at the cut kept).</summary>
    private static int[] Best(ImportanceData data, int[] rows, double fraction)
    {
        var sign = data.LowerIsBetter ? 1.0 : -1.0;
        var losses = rows.Select(r => sign * data.Targets[r]).ToArray();
        var sorted = (double[])losses.Clone();
        Array.Sort(sorted);
        var keep = Math.Clamp(Math.Max(MinTopTrials, (int)Math.Ceiling(fraction * rows.Length)), 1, rows.Length);
        var cutoff = sorted[keep - 1];
        return [.. rows.Where((_, i) => losses[i] <= cutoff)];
    }

    private static int[] Counts(double[] column, ImportanceDimension dim, int size, int[] rows)
    {
        var counts = new int[size];
        foreach (var r in rows)
        {
            counts[ScottParzenEstimator.GridIndex(dim, size, column[r])]++;
        }

        return counts;
    }
}
