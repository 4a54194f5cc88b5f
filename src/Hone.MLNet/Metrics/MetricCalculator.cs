namespace Hone.MLNet.Metrics;

/// <summary>Metric formulas over <see cref="Predictions"/>, optionally on a subset (or resample) of rows.</summary>
internal static class MetricCalculator
{
    private const double ProbabilityFloor = 1e-15;

    public static double Compute(TuningMetric metric, Predictions p, IReadOnlyList<int>? rows)
    {
        if (!metric.Fits(p.Task))
        {
            throw new ArgumentException($"Metric {metric.ShortName()} does not fit task {p.Task.ShortName()}.", nameof(metric));
        }

        var n = rows?.Count ?? p.Count;
        if (n == 0)
        {
            return double.NaN;
        }

        int Row(int i) => rows is null ? i : rows[i];
        switch (metric)
        {
            case TuningMetric.Accuracy:
                {
                    var right = 0;
                    for (var i = 0; i < n; i++)
                    {
                        var r = Row(i);
                        if (p.PredictedClasses![r] == (int)p.Labels[r])
                        {
                            right++;
                        }
                    }

                    return (double)right / n;
                }

            case TuningMetric.MacroAccuracy:
                {
                    var k = p.ClassCount;
                    var total = new int[k];
                    var right = new int[k];
                    for (var i = 0; i < n; i++)
                    {
                        var r = Row(i);
                        var y = (int)p.Labels[r];
                        total[y]++;
                        if (p.PredictedClasses![r] == y)
                        {
                            right[y]++;
                        }
                    }

                    double sum = 0;
                    var present = 0;
                    for (var c = 0; c < k; c++)
                    {
                        if (total[c] > 0)
                        {
                            sum += (double)right[c] / total[c];
                            present++;
                        }
                    }

                    return sum / present;
                }

            case TuningMetric.F1:
                return F1(p, n, Row);

            case TuningMetric.LogLoss:
                {
                    double sum = 0;
                    for (var i = 0; i < n; i++)
                    {
                        var r = Row(i);
                        var y = (int)p.Labels[r];
                        double prob = p.Task == TuningTask.BinaryClassification
                            ? (y == 1 ? p.Probabilities![r] : 1 - p.Probabilities![r])
                            : p.Probabilities![(r * p.ClassCount) + y];
                        sum -= Math.Log(Math.Max(prob, ProbabilityFloor));
                    }

                    return sum / n;
                }

            case TuningMetric.Auc:
                return Auc(p, n, Row);

            case TuningMetric.Rmse:
                {
                    double sum = 0;
                    for (var i = 0; i < n; i++)
                    {
                        var r = Row(i);
                        var e = p.Scores[r] - p.Labels[r];
                        sum += e * e;
                    }

                    return Math.Sqrt(sum / n);
                }

            case TuningMetric.Mae:
                {
                    double sum = 0;
                    for (var i = 0; i < n; i++)
                    {
                        var r = Row(i);
                        sum += Math.Abs(p.Scores[r] - p.Labels[r]);
                    }

                    return sum / n;
                }

            case TuningMetric.RSquared:
                {
                    double mean = 0;
                    for (var i = 0; i < n; i++)
                    {
                        mean += p.Labels[Row(i)];
                    }

                    mean /= n;
                    double ssRes = 0, ssTot = 0;
                    for (var i = 0; i < n; i++)
                    {
                        var r = Row(i);
                        var e = p.Scores[r] - p.Labels[r];
                        var d = p.Labels[r] - mean;
                        ssRes += e * e;
                        ssTot += d * d;
                    }

                    return ssTot == 0 ? double.NaN : 1 - (ssRes / ssTot);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(metric), metric, null);
        }
    }

    private static double F1(Predictions p, int n, Func<int, int> row)
    {
        var k = p.ClassCount;
        var tp = new int[k];
        var fp = new int[k];
        var fn = new int[k];
        for (var i = 0; i < n; i++)
        {
            var r = row(i);
            var y = (int)p.Labels[r];
            var yhat = p.PredictedClasses![r];
            if (y == yhat)
            {
                tp[y]++;
            }
            else
            {
                fp[yhat]++;
                fn[y]++;
            }
        }

        static double F1Of(int tp, int fp, int fn) => tp == 0 ? 0 : 2.0 * tp / ((2.0 * tp) + fp + fn);
        if (p.Task == TuningTask.BinaryClassification)
        {
            return F1Of(tp[1], fp[1], fn[1]);
        }

        double sum = 0;
        var present = 0;
        for (var c = 0; c < k; c++)
        {
            if (tp[c] + fp[c] + fn[c] > 0)
            {
                sum += F1Of(tp[c], fp[c], fn[c]);
                present++;
            }
        }

        return present == 0 ? double.NaN : sum / present;
    }

    /// <summary>AUC by the rank-sum (Mann–Whitney) formula, ties counted half.</summary>
    private static double Auc(Predictions p, int n, Func<int, int> row)
    {
        var items = new (double Score, bool Positive)[n];
        long positives = 0;
        for (var i = 0; i < n; i++)
        {
            var r = row(i);
            var positive = p.Labels[r] > 0.5;
            items[i] = (p.Scores[r], positive);
            if (positive)
            {
                positives++;
            }
        }

        var negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        Array.Sort(items, (a, b) => a.Score.CompareTo(b.Score));
        double rankSumPositives = 0;
        var start = 0;
        while (start < n)
        {
            var end = start;
            while (end + 1 < n && items[end + 1].Score.Equals(items[start].Score))
            {
                end++;
            }

            var averageRank = ((start + end) / 2.0) + 1;
            for (var i = start; i <= end; i++)
            {
                if (items[i].Positive)
                {
                    rankSumPositives += averageRank;
                }
            }

            start = end + 1;
        }

        return (rankSumPositives - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}
