using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hone.Bench.Cli;
using Hone.Bench.Results;
using Hone.MLNet;
using Hone.MLNet.Data;
using Hone.MLNet.Metrics;
using Hone.MLNet.Statistics;
using Hone.MLNet.Tuning;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;
using MathNet.Numerics.Distributions;
using Microsoft.ML;

namespace Hone.Bench.Commands;

/// <summary>
/// Does re-evaluating the best configurations on fresh folds (<see cref="TuneOptions.ReevaluateTop"/>) pick models that
/// score better on the test set than spending the same fits on more trials? For each dataset and seed: arm A tunes N
/// trials and then re-evaluates; arm B tunes without re-evaluation, with extra trials until it has made at least as many
/// fold fits as arm A (tuning fits + re-evaluation fits; a pruned trial counts the folds it ran). Both arms use the same
/// seed, so the same test split and tuning folds, and with --jobs 1 arm B's first N trials are arm A's. The refit
/// winners' test scores are compared pair by pair.
/// </summary>
internal static class ReevaluationCommand
{
    public const string Usage =
        "reevaluation [--datasets breast_cancer,wine,iris,penguins,diabetes] [--seeds 5] [--first-seed 0] [--trials 30] [--top 5] [--repeats 2] [--jobs 1]";

    private static readonly Dictionary<string, (string File, string Label, TuningTask Task)> Datasets = new(StringComparer.Ordinal)
    {
        ["breast_cancer"] = ("breast_cancer.csv", "target", TuningTask.BinaryClassification),
        ["wine"] = ("wine_data.csv", "target", TuningTask.MulticlassClassification),
        ["iris"] = ("iris.csv", "target", TuningTask.MulticlassClassification),
        ["penguins"] = ("penguins.csv", "species", TuningTask.MulticlassClassification),
        ["diabetes"] = ("diabetes.csv", "target", TuningTask.Regression),
    };

    public static int Run(BenchArgs args)
    {
        var names = args.List("datasets", ["breast_cancer", "wine", "iris", "penguins", "diabetes"]);
        var seedCount = args.Int("seeds", 5, min: 2);
        var firstSeed = args.Int("first-seed", 0);
        var trials = args.Int("trials", 30, min: 2);
        var top = args.Int("top", 5, min: 1);
        var repeats = args.Int("repeats", 2, min: 1);
        var jobs = args.Int("jobs", 1, min: 1);
        args.ThrowIfUnknown();
        foreach (var name in names.Where(n => !Datasets.ContainsKey(n)))
        {
            throw new UsageException($"--datasets: unknown \"{name}\"; use {string.Join(", ", Datasets.Keys)}.");
        }

        var rows = new List<Row>();
        foreach (var name in names)
        {
            var (file, label, task) = Datasets[name];
            var table = TabularData.LoadCsv(Path.Combine(RepoPaths.Root, "data", file));
            for (var seed = firstSeed; seed < firstSeed + seedCount; seed++)
            {
                var row = RunPair(name, table, label, task, seed, trials, top, repeats, jobs);
                rows.Add(row);
                Console.Error.WriteLine(FormattableString.Invariant(
                    $"  {name} seed {seed}: A {row.TestA:0.0000} ({row.FitsA} fits, winner {(row.WinnerChanged ? "changed" : "kept")}, gap {row.Gap:0.0000}) B {row.TestB:0.0000} ({row.FitsB} fits, {row.TrialsB} trials)  {row.SecondsA:0.0}s/{row.SecondsB:0.0}s"));
            }
        }

        Print(rows, trials, top, repeats, jobs, seedCount);
        return 0;
    }

    private sealed record Row(
        string Dataset, string Metric, bool Maximize, int Seed, double TestA, double TestB, int FitsA, int ReevaluationFits, int FitsB, int TrialsB,
        double Gap, bool WinnerChanged, double SecondsA, double SecondsB)
    {
        /// <summary>A − B, signed so that positive means arm A (re-evaluation) tested better.</summary>
        public double Difference => (Maximize ? 1 : -1) * (TestA - TestB);
    }

    private static Row RunPair(string name, TabularData table, string label, TuningTask task, int seed, int trials, int top, int repeats, int jobs)
    {
        var watch = Stopwatch.StartNew();
        var a = Tune(table, label, task, seed, trials, top, repeats, jobs, new InMemoryStorage(), loadIfExists: false);
        var secondsA = watch.Elapsed.TotalSeconds;
        var reevaluationFits = a.Reevaluation?.Fits ?? 0;
        var fitsA = TuningFits(a.Study) + reevaluationFits;
        var folds = a.Folds.Count;

        watch.Restart();
        var storage = new InMemoryStorage();
        var b = Tune(table, label, task, seed, trials + (int)Math.Ceiling((double)reevaluationFits / folds), 0, repeats, jobs, storage, loadIfExists: false);
        var fitsB = TuningFits(b.Study);
        for (var round = 0; fitsB < fitsA && round < 10; round++)
        {
            // Pruned trials fit fewer folds: top the study up until arm B has made as many fits as arm A.
            b = Tune(table, label, task, seed, (int)Math.Ceiling((double)(fitsA - fitsB) / folds), 0, repeats, jobs, storage, loadIfExists: true);
            fitsB = TuningFits(b.Study);
        }

        var secondsB = watch.Elapsed.TotalSeconds;
        return new Row(name, a.Metric.ShortName(), a.Direction == StudyDirection.Maximize, seed, a.Test!.Value, b.Test!.Value, fitsA, reevaluationFits, fitsB,
            b.Study.Trials.Count, a.Reevaluation?.Gap ?? double.NaN, a.Reevaluation?.WinnerChanged ?? false, secondsA, secondsB);
    }

    private static TuneResult Tune(TabularData table, string label, TuningTask task, int seed, int trials, int top, int repeats, int jobs, IStorage storage, bool loadIfExists) =>
        new MLNetTuner(new MLContext(seed)).Tune(table, label, new TuneOptions
        {
            Task = task,
            Trials = trials,
            Seed = seed,
            Parallelism = jobs,
            ReevaluateTop = top,
            ReevaluationRepeats = repeats,
            Storage = storage,
            StudyName = "bench",
            LoadIfExists = loadIfExists,
        });

    /// <summary>Fold fits the study's trials made: the folds each scored, plus the fit that failed in a failed trial.</summary>
    private static int TuningFits(Study study) =>
        study.Trials.Sum(t => (t.UserAttrs.TryGetValue("fold_scores", out var s) && s.ValueKind == JsonValueKind.Array ? s.GetArrayLength() : 0)
            + (t.State == TrialState.Fail ? 1 : 0));

    private static (double Mean, double Low, double High) TInterval(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var n = values.Count;
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var half = StudentT.InvCDF(0, 1, n - 1, 0.975) * sd / Math.Sqrt(n);
        return (mean, mean - half, mean + half);
    }

    private static string N(double v, string format = "0.0000") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static void Print(List<Row> rows, int trials, int top, int repeats, int jobs, int seeds)
    {
        Console.WriteLine(FormattableString.Invariant(
            $"Arm A: {trials} trials, then re-evaluation of the top {top} on {repeats} fresh split(s) (racing). Arm B: no re-evaluation, extra trials until its fold fits ≥ arm A's. {seeds} seeds per dataset, --jobs {jobs}, default trainers, metric and validation (stratified/plain 5-fold), test fraction 0.2."));
        Console.WriteLine();
        Console.WriteLine("| dataset | metric | pairs | test A (median) | test B (median) | A − B mean [95% t CI] (positive: re-evaluation better) | A better / tie / worse | Wilcoxon p | winner changed | winner's-curse gap (median) | fits A (re-eval) / fits B, mean | seconds A / B, mean |");
        Console.WriteLine("|---|---|---:|---:|---:|---|---|---:|---:|---:|---|---|");
        foreach (var group in rows.GroupBy(r => r.Dataset))
        {
            var g = group.ToList();
            var d = g.Select(r => r.Difference).ToList();
            var (mean, low, high) = TInterval(d);
            var p = PairedTests.Wilcoxon(d, d.Select(_ => 0.0).ToList()).PValue;
            Console.WriteLine(FormattableString.Invariant(
                $"| {group.Key} | {g[0].Metric} | {g.Count} | {N(Stats.Median(g.Select(r => r.TestA)))} | {N(Stats.Median(g.Select(r => r.TestB)))} | {N(mean, "+0.0000;-0.0000;0")} [{N(low, "+0.0000;-0.0000;0")}, {N(high, "+0.0000;-0.0000;0")}] | {d.Count(x => x > 0)} / {d.Count(x => x == 0)} / {d.Count(x => x < 0)} | {N(p, "0.00")} | {g.Count(r => r.WinnerChanged)} of {g.Count} | {N(Stats.Median(g.Select(r => r.Gap)))} | {g.Average(r => r.FitsA):0} ({g.Average(r => r.ReevaluationFits):0}) / {g.Average(r => r.FitsB):0} | {g.Average(r => r.SecondsA):0.0} / {g.Average(r => r.SecondsB):0.0} |"));
        }

        // Pooled: metrics differ in scale (AUC, accuracy, RMSE), so each difference is taken relative to arm B's score.
        var relative = rows.Select(r => 100 * r.Difference / Math.Abs(r.TestB)).ToList();
        var (rm, rl, rh) = TInterval(relative);
        var pooledP = PairedTests.Wilcoxon(relative, relative.Select(_ => 0.0).ToList()).PValue;
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant(
            $"Pooled over {rows.Count} pairs, (A − B) / |B| in percent, positive: re-evaluation better: mean {N(rm, "+0.000;-0.000;0")} % [95% t CI {N(rl, "+0.000;-0.000;0")}, {N(rh, "+0.000;-0.000;0")}], median {N(Stats.Median(relative), "+0.000;-0.000;0")} %; A better / tie / worse {relative.Count(x => x > 0)} / {relative.Count(x => x == 0)} / {relative.Count(x => x < 0)}; Wilcoxon p = {N(pooledP, "0.000")}."));
        Console.WriteLine(FormattableString.Invariant(
            $"Re-evaluation chose another trial than the study's best in {rows.Count(r => r.WinnerChanged)} of {rows.Count} runs; median winner's-curse gap (tuning CV − fresh CV of the study's best, positive: optimistic) per metric: {string.Join(", ", rows.GroupBy(r => r.Metric).Select(m => $"{m.Key} {N(Stats.Median(m.Select(r => r.Gap)))}"))}."));
        Console.WriteLine(FormattableString.Invariant(
            $"Re-evaluation cost: {rows.Average(r => r.ReevaluationFits):0.0} fits on average, {100 * rows.Average(r => (double)r.ReevaluationFits / (r.FitsA - r.ReevaluationFits)):0} % of the tuning fits."));
    }
}
