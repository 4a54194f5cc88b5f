namespace Hone.MLNet.MetaLearning;

/// <summary>
/// A decision stump: the single split on one column that fits the training rows best (correct predictions for
/// classification, squared error for regression). A numeric column splits at a threshold midway between two adjacent
/// values, a categorical one has a leaf per value (Holte's 1R), and missing cells go to a leaf of their own; a leaf
/// predicts its majority class (its mean), and a leaf without training rows the training rows' majority (mean).
/// </summary>
internal static class Stump
{
    public static Func<int, double> Fit(LandmarkTable table, int[] train)
    {
        var fallback = Majority(table, train);
        var bestQuality = Quality(table, Stats(table, train));
        Func<int, double> best = _ => fallback;
        foreach (var column in table.Numeric)
        {
            var (quality, predict) = NumericSplit(table, column, train, fallback);
            if (quality > bestQuality + 1e-12)
            {
                bestQuality = quality;
                best = predict;
            }
        }

        foreach (var column in table.Categorical)
        {
            var leaves = new Dictionary<int, double[]>();
            foreach (var r in train)
            {
                if (!leaves.TryGetValue(column[r], out var s))
                {
                    s = NewStats(table);
                    leaves[column[r]] = s;
                }

                Add(table, s, r);
            }

            var quality = leaves.Values.Sum(s => Quality(table, s));
            if (quality > bestQuality + 1e-12)
            {
                bestQuality = quality;
                var predictions = leaves.ToDictionary(kv => kv.Key, kv => Prediction(table, kv.Value, fallback));
                best = r => predictions.TryGetValue(column[r], out var p) ? p : fallback;
            }
        }

        return best;
    }

    /// <summary>The training rows' majority class (classification) or mean (regression).</summary>
    public static double Majority(LandmarkTable table, int[] train) => Prediction(table, Stats(table, train), 0);

    private static (double Quality, Func<int, double> Predict) NumericSplit(LandmarkTable table, double[] column, int[] train, double fallback)
    {
        var missing = NewStats(table);
        var present = new List<int>(train.Length);
        foreach (var r in train)
        {
            if (double.IsNaN(column[r]))
            {
                Add(table, missing, r);
            }
            else
            {
                present.Add(r);
            }
        }

        var missingPrediction = Prediction(table, missing, fallback);
        var missingQuality = Quality(table, missing);
        var sorted = present.OrderBy(r => column[r]).ToArray();
        var left = NewStats(table);
        var right = Stats(table, sorted);
        var bestQuality = double.NegativeInfinity;
        var threshold = double.PositiveInfinity;
        double leftPrediction = fallback, rightPrediction = fallback;
        for (var i = 0; i < sorted.Length - 1; i++)
        {
            Add(table, left, sorted[i]);
            Remove(table, right, sorted[i]);
            var a = column[sorted[i]];
            var b = column[sorted[i + 1]];
            if (a == b)
            {
                continue;
            }

            var quality = Quality(table, left) + Quality(table, right);
            if (quality > bestQuality)
            {
                bestQuality = quality;
                threshold = a + ((b - a) / 2);
                leftPrediction = Prediction(table, left, fallback);
                rightPrediction = Prediction(table, right, fallback);
            }
        }

        if (double.IsNegativeInfinity(bestQuality))
        {
            return (double.NegativeInfinity, _ => fallback);
        }

        return (bestQuality + missingQuality, r => double.IsNaN(column[r]) ? missingPrediction : column[r] <= threshold ? leftPrediction : rightPrediction);
    }

    /// <summary>Class counts (classification), or count, sum and sum of squares (regression).</summary>
    private static double[] NewStats(LandmarkTable table) => new double[table.Classification ? table.ClassCount : 3];

    private static double[] Stats(LandmarkTable table, IEnumerable<int> rows)
    {
        var s = NewStats(table);
        foreach (var r in rows)
        {
            Add(table, s, r);
        }

        return s;
    }

    private static void Add(LandmarkTable table, double[] s, int r) => Update(table, s, r, 1);

    private static void Remove(LandmarkTable table, double[] s, int r) => Update(table, s, r, -1);

    private static void Update(LandmarkTable table, double[] s, int r, double sign)
    {
        var y = table.Labels[r];
        if (table.Classification)
        {
            s[(int)y] += sign;
        }
        else
        {
            s[0] += sign;
            s[1] += sign * y;
            s[2] += sign * y * y;
        }
    }

    /// <summary>Correct predictions of the leaf (classification), or minus its squared error (regression).</summary>
    private static double Quality(LandmarkTable table, double[] s) =>
        table.Classification ? s.Max() : s[0] > 0 ? -(s[2] - (s[1] * s[1] / s[0])) : 0;

    private static double Prediction(LandmarkTable table, double[] s, double fallback)
    {
        if (table.Classification)
        {
            var best = -1;
            for (var c = 0; c < s.Length; c++)
            {
                if (s[c] > 0 && (best < 0 || s[c] > s[best]))
                {
                    best = c;
                }
            }

            return best < 0 ? fallback : best;
        }

        return s[0] > 0 ? s[1] / s[0] : fallback;
    }
}
