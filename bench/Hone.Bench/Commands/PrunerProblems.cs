using System.Globalization;
using System.IO.Compression;
using Hone.Bench.Cli;
using Hone.Trials;

namespace Hone.Bench.Commands;

/// <summary>
/// The problems of the pruner benchmark, written the same way as in bench/optuna/pruners.py: an objective that
/// reports one value per step (1..steps) and records, per trial, how many steps it ran and its final value (null
/// when pruned).
/// </summary>
internal static class PrunerProblems
{
    public static readonly string[] Names = ["curves", "digits", "instances", "lightgbm", "fasttree"];

    /// <summary>The ML.NET problems: Hone only (Optuna has no ML.NET).</summary>
    public static readonly string[] MLNetNames = ["lightgbm", "fasttree"];

    public delegate double Objective(Trial trial, Action<int, double?> record);

    /// <summary>A trial's noise seed from the run's seed and the trial number; the same in every process (HashCode is not).</summary>
    private static int TrialSeed(int seed, int trialNumber) => unchecked((seed * 1_000_003) + trialNumber);

    public static Objective Create(string name, int seed, int steps) => name switch
    {
        "curves" => Curves(seed, steps),
        "digits" => Digits(seed, steps, DigitsData.Value),
        "instances" => Instances(seed, steps),
        "lightgbm" or "fasttree" => BoostingProblem.Create(name, seed, steps),
        _ => throw new UsageException($"Unknown pruner problem \"{name}\"; known: {string.Join(", ", Names)}."),
    };

    /// <summary>
    /// Synthetic learning curves (minimize): y(t) = f + t^−a + o·(t/R)² + 0.002·ε_t, with u = log10(lr) ∈ [−4, 0],
    /// w = log2(width) ∈ [3, 9], p = dropout ∈ [0, 0.6]; asymptote f = 0.05 + 0.08(u + 1.5)² + 0.02(w − 7)² + 0.5(p − 0.25)²,
    /// speed a = 0.3 + 0.15(u + 4), overfitting o = 0.05·max(0, w − 6)/3·(1 − p/0.6).
    /// </summary>
    public static double CurveValue(double lr, int width, double dropout, int t, int steps)
    {
        var u = Math.Log10(lr);
        var w = Math.Log2(width);
        var f = 0.05 + (0.08 * (u + 1.5) * (u + 1.5)) + (0.02 * (w - 7) * (w - 7)) + (0.5 * (dropout - 0.25) * (dropout - 0.25));
        var a = 0.3 + (0.15 * (u + 4));
        var o = 0.05 * Math.Max(0, w - 6) / 3 * (1 - (dropout / 0.6));
        var r = (double)t / steps;
        return f + Math.Pow(t, -a) + (o * r * r);
    }

    private static Objective Curves(int seed, int steps) => (trial, record) =>
    {
        var lr = trial.SuggestFloat("lr", 1e-4, 1.0, log: true);
        var width = trial.SuggestInt("width", 8, 512, log: true);
        var dropout = trial.SuggestFloat("dropout", 0.0, 0.6);
        var rng = new Random(TrialSeed(seed, trial.Number));
        var y = double.NaN;
        for (var t = 1; t <= steps; t++)
        {
            y = CurveValue(lr, width, dropout, t, steps) + (0.002 * Gaussian(rng));
            trial.Report(y, t);
            if (trial.ShouldPrune())
            {
                record(t, null);
                throw new TrialPrunedException();
            }
        }

        record(steps, y);
        return y;
    };

    /// <summary>
    /// Per-instance scores, for the Wilcoxon pruner (minimize the mean): instance i (of R) has centre
    /// c_i = 0.8·(sin 1.7i, cos 2.3i) and loss |x − c_i|² + 0.1·|x|₁ over x ∈ [−1, 1]²; each trial evaluates the
    /// instances in a shuffled order and reports instance i's loss at step i; the value is the mean, and the budget
    /// counts the instances evaluated.
    /// </summary>
    public static double InstanceLoss(double x1, double x2, int i)
    {
        var c1 = 0.8 * Math.Sin(1.7 * i);
        var c2 = 0.8 * Math.Cos(2.3 * i);
        return ((x1 - c1) * (x1 - c1)) + ((x2 - c2) * (x2 - c2)) + (0.1 * (Math.Abs(x1) + Math.Abs(x2)));
    }

    private static Objective Instances(int seed, int steps) => (trial, record) =>
    {
        var x1 = trial.SuggestFloat("x1", -1, 1);
        var x2 = trial.SuggestFloat("x2", -1, 1);
        var order = Enumerable.Range(0, steps).ToArray();
        new Random(TrialSeed(seed, trial.Number)).Shuffle(order);
        var sum = 0.0;
        for (var k = 0; k < steps; k++)
        {
            var loss = InstanceLoss(x1, x2, order[k]);
            sum += loss;
            trial.Report(loss, order[k]);
            if (trial.ShouldPrune())
            {
                record(k + 1, null);
                throw new TrialPrunedException();
            }
        }

        record(steps, sum / steps);
        return sum / steps;
    };

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static readonly Lazy<DigitsSet> DigitsData = new(LoadDigits);

    private sealed record DigitsSet(double[][] TrainX, int[] TrainY, double[][] ValidX, int[] ValidY);

    /// <summary>data/digits.csv.gz: 1,797 × 64 pixels (÷16) and the class; the first 1,200 rows train, the rest validate.</summary>
    private static DigitsSet LoadDigits()
    {
        var path = Path.Combine(RepoPaths.Root, "data", "digits.csv.gz");
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var xs = new List<double[]>();
        var ys = new List<int>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(',');
            xs.Add([.. parts.Take(64).Select(p => double.Parse(p, CultureInfo.InvariantCulture) / 16.0)]);
            ys.Add((int)double.Parse(parts[64], CultureInfo.InvariantCulture));
        }

        return new DigitsSet([.. xs.Take(1200)], [.. ys.Take(1200)], [.. xs.Skip(1200)], [.. ys.Skip(1200)]);
    }

    /// <summary>
    /// Softmax regression on digits by minibatch SGD with momentum and L2; a step is an epoch; the value is the
    /// validation log-loss, capped at 10 (a diverged run reports 10).
    /// </summary>
    private static Objective Digits(int seed, int steps, DigitsSet data) => (trial, record) =>
    {
        var lr = trial.SuggestFloat("lr", 1e-4, 1.0, log: true);
        var l2 = trial.SuggestFloat("l2", 1e-6, 1e-1, log: true);
        var momentum = trial.SuggestFloat("momentum", 0.0, 0.99);
        var batch = trial.SuggestCategorical("batch", [16, 32, 64, 128]);
        var rng = new Random(TrialSeed(seed, trial.Number));
        const int D = 64, K = 10;
        var w = new double[D * K];
        var b = new double[K];
        var vw = new double[D * K];
        var vb = new double[K];
        var gw = new double[D * K];
        var gb = new double[K];
        var z = new double[K];
        var n = data.TrainY.Length;
        var order = Enumerable.Range(0, n).ToArray();
        var y = 10.0;
        for (var t = 1; t <= steps; t++)
        {
            rng.Shuffle(order);
            for (var start = 0; start < n; start += batch)
            {
                var end = Math.Min(start + batch, n);
                Array.Clear(gw);
                Array.Clear(gb);
                for (var i = start; i < end; i++)
                {
                    var x = data.TrainX[order[i]];
                    Softmax(x, w, b, z);
                    z[data.TrainY[order[i]]] -= 1;
                    for (var k = 0; k < K; k++)
                    {
                        var g = z[k] / (end - start);
                        gb[k] += g;
                        for (var d = 0; d < D; d++)
                        {
                            gw[(d * K) + k] += x[d] * g;
                        }
                    }
                }

                for (var j = 0; j < w.Length; j++)
                {
                    vw[j] = (momentum * vw[j]) - (lr * (gw[j] + (l2 * w[j])));
                    w[j] += vw[j];
                }

                for (var k = 0; k < K; k++)
                {
                    vb[k] = (momentum * vb[k]) - (lr * gb[k]);
                    b[k] += vb[k];
                }
            }

            y = ValidationLogLoss(data, w, b, z);
            if (!double.IsFinite(y) || y > 10)
            {
                y = 10.0;
            }

            trial.Report(y, t);
            if (trial.ShouldPrune())
            {
                record(t, null);
                throw new TrialPrunedException();
            }
        }

        record(steps, y);
        return y;
    };

    private static void Softmax(double[] x, double[] w, double[] b, double[] z)
    {
        const int K = 10;
        var max = double.NegativeInfinity;
        for (var k = 0; k < K; k++)
        {
            var s = b[k];
            for (var d = 0; d < x.Length; d++)
            {
                s += x[d] * w[(d * K) + k];
            }

            z[k] = s;
            max = Math.Max(max, s);
        }

        var sum = 0.0;
        for (var k = 0; k < K; k++)
        {
            z[k] = Math.Exp(z[k] - max);
            sum += z[k];
        }

        for (var k = 0; k < K; k++)
        {
            z[k] /= sum;
        }
    }

    private static double ValidationLogLoss(DigitsSet data, double[] w, double[] b, double[] z)
    {
        var total = 0.0;
        for (var i = 0; i < data.ValidY.Length; i++)
        {
            Softmax(data.ValidX[i], w, b, z);
            total -= Math.Log(z[data.ValidY[i]]);
        }

        return total / data.ValidY.Length;
    }
}
