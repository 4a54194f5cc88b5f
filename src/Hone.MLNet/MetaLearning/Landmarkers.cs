namespace Hone.MLNet.MetaLearning;

/// <summary>
/// Two cheap learners whose cross-validated scores describe a dataset (landmarking, Pfahringer et al. 2000): a decision
/// stump and a nearest-centroid classifier (for regression, the best one-column least-squares line). Scores are
/// accuracy for classification and R² clamped to [−1, 1] for regression, over 5 folds (stratified for classification).
/// </summary>
internal static class Landmarkers
{
    private const int Folds = 5;

    /// <summary>The stump's and the second learner's cross-validated scores.</summary>
    public static (double Stump, double Centroid) Scores(LandmarkTable table, int seed)
    {
        var fold = FoldOf(table, seed);
        var k = fold.Max() + 1;
        double stump = 0, centroid = 0;
        for (var f = 0; f < k; f++)
        {
            var train = Enumerable.Range(0, table.RowCount).Where(r => fold[r] != f).ToArray();
            var valid = Enumerable.Range(0, table.RowCount).Where(r => fold[r] == f).ToArray();
            stump += Score(table, valid, Stump.Fit(table, train)) * valid.Length;
            centroid += Score(table, valid, table.Classification ? Centroids(table, train) : BestLine(table, train)) * valid.Length;
        }

        return (stump / table.RowCount, centroid / table.RowCount);
    }

    /// <summary>Each row's fold: rows shuffled with the seed, then (classification) ordered by class, dealt out in turn.</summary>
    internal static int[] FoldOf(LandmarkTable table, int seed)
    {
        var n = table.RowCount;
        var order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        if (table.Classification)
        {
            order = [.. order.OrderBy(r => table.Labels[r])];
        }

        var k = Math.Min(Folds, n);
        var fold = new int[n];
        for (var i = 0; i < n; i++)
        {
            fold[order[i]] = i % k;
        }

        return fold;
    }

    /// <summary>Accuracy, or R² around the validation rows' mean clamped to [−1, 1].</summary>
    internal static double Score(LandmarkTable table, int[] rows, Func<int, double> predict)
    {
        if (table.Classification)
        {
            return rows.Count(r => predict(r) == table.Labels[r]) / (double)rows.Length;
        }

        var mean = rows.Average(r => table.Labels[r]);
        double sse = 0, sst = 0;
        foreach (var r in rows)
        {
            sse += Math.Pow(table.Labels[r] - predict(r), 2);
            sst += Math.Pow(table.Labels[r] - mean, 2);
        }

        return sst > 0 ? Math.Clamp(1 - (sse / sst), -1, 1) : (sse > 0 ? -1 : 1);
    }

    /// <summary>Nearest class centroid on the numeric columns standardized over <paramref name="train"/> (missing at the mean).</summary>
    private static Func<int, double> Centroids(LandmarkTable table, int[] train)
    {
        var majority = Stump.Majority(table, train);
        var d = table.Numeric.Length;
        if (d == 0)
        {
            return _ => majority;
        }

        var (mean, scale) = Standardization(table, train);
        var k = table.ClassCount;
        var sums = new double[k, d];
        var counts = new int[k];
        foreach (var r in train)
        {
            var c = (int)table.Labels[r];
            counts[c]++;
            for (var j = 0; j < d; j++)
            {
                sums[c, j] += Standard(table.Numeric[j][r], mean[j], scale[j]);
            }
        }

        return r =>
        {
            var best = majority;
            var bestDistance = double.PositiveInfinity;
            for (var c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                {
                    continue;
                }

                double distance = 0;
                for (var j = 0; j < d; j++)
                {
                    var diff = Standard(table.Numeric[j][r], mean[j], scale[j]) - (sums[c, j] / counts[c]);
                    distance += diff * diff;
                }

                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = c;
                }
            }

            return best;
        };
    }

    /// <summary>The least-squares line on the one numeric column (missing at its mean) that fits <paramref name="train"/> best.</summary>
    private static Func<int, double> BestLine(LandmarkTable table, int[] train)
    {
        var labelMean = train.Average(r => table.Labels[r]);
        Func<int, double> best = _ => labelMean;
        var total = train.Sum(r => Math.Pow(table.Labels[r] - labelMean, 2));
        var bestSse = total;
        var (mean, _) = Standardization(table, train);
        for (var j = 0; j < table.Numeric.Length; j++)
        {
            var column = table.Numeric[j];
            var m = mean[j];
            double sxy = 0, sxx = 0;
            foreach (var r in train)
            {
                var x = double.IsNaN(column[r]) ? 0 : column[r] - m;
                sxy += x * (table.Labels[r] - labelMean);
                sxx += x * x;
            }

            if (sxx <= 0)
            {
                continue;
            }

            var slope = sxy / sxx;
            var sse = total - (slope * sxy);
            if (sse < bestSse)
            {
                bestSse = sse;
                best = r => labelMean + (slope * (double.IsNaN(column[r]) ? 0 : column[r] - m));
            }
        }

        return best;
    }

    private static (double[] Mean, double[] Scale) Standardization(LandmarkTable table, int[] train)
    {
        var d = table.Numeric.Length;
        var mean = new double[d];
        var scale = new double[d];
        for (var j = 0; j < d; j++)
        {
            var values = train.Select(r => table.Numeric[j][r]).Where(v => !double.IsNaN(v)).ToArray();
            mean[j] = values.Length == 0 ? 0 : values.Average();
            var variance = values.Length == 0 ? 0 : values.Average(v => (v - mean[j]) * (v - mean[j]));
            scale[j] = variance > 0 ? Math.Sqrt(variance) : 1;
        }

        return (mean, scale);
    }

    private static double Standard(double value, double mean, double scale) => double.IsNaN(value) ? 0 : (value - mean) / scale;
}
