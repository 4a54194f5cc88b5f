using System.Globalization;

/// <summary>The iris data set and a small k-nearest-neighbours classifier to tune on it.</summary>
internal static class Iris
{
    public static (double[][] Features, int[] Labels) Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
        var features = rows.Select(r => r[..^1].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var labels = rows.Select(r => int.Parse(r[^1], CultureInfo.InvariantCulture)).ToArray();
        return (features, labels);
    }

    public static double CrossValidatedAccuracy(double[][] x, int[] y, int k, bool distanceWeighted, double p, bool scale, int folds, int seed)
    {
        var order = Enumerable.Range(0, x.Length).ToArray();
        new Random(seed).Shuffle(order);
        var data = scale ? Standardize(x) : x;
        var correct = 0;
        for (var fold = 0; fold < folds; fold++)
        {
            var test = order.Where((_, i) => i % folds == fold).ToArray();
            var train = order.Where((_, i) => i % folds != fold).ToArray();
            foreach (var i in test)
            {
                correct += Predict(data, y, train, data[i], k, distanceWeighted, p) == y[i] ? 1 : 0;
            }
        }

        return (double)correct / x.Length;
    }

    private static int Predict(double[][] x, int[] y, int[] train, double[] query, int k, bool distanceWeighted, double p)
    {
        var neighbours = train
            .Select(i => (Index: i, Distance: Minkowski(x[i], query, p)))
            .OrderBy(n => n.Distance)
            .Take(k);
        var votes = new Dictionary<int, double>();
        foreach (var (index, distance) in neighbours)
        {
            votes[y[index]] = votes.GetValueOrDefault(y[index]) + (distanceWeighted ? 1 / (distance + 1e-9) : 1);
        }

        return votes.MaxBy(v => v.Value).Key;
    }

    private static double Minkowski(double[] a, double[] b, double p)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Pow(Math.Abs(a[i] - b[i]), p);
        }

        return Math.Pow(sum, 1 / p);
    }

    private static double[][] Standardize(double[][] x)
    {
        var d = x[0].Length;
        var mean = Enumerable.Range(0, d).Select(j => x.Average(r => r[j])).ToArray();
        var std = Enumerable.Range(0, d).Select(j => Math.Sqrt(x.Average(r => (r[j] - mean[j]) * (r[j] - mean[j])))).ToArray();
        return x.Select(r => r.Select((v, j) => (v - mean[j]) / std[j]).ToArray()).ToArray();
    }
}
