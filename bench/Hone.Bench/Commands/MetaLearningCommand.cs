using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hone.Bench.Cli;
using Hone.MLNet;
using Hone.MLNet.Metrics;
using Hone.MLNet.MetaLearning;
using Hone.MLNet.SearchSpaces;
using Hone.MLNet.Tuning;
using Hone.MLNet.Validation;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;
using Microsoft.ML;

namespace Hone.Bench.Commands;

/// <summary>
/// Warm start and meta-learning, leave one dataset out: on each dataset's half B and each seed, the best
/// cross-validated score after 10 and 25 trials of (a) the plain AutoSampler, (b) meta-learning from the other
/// datasets' studies (their half A, every variant of the target's own dataset left out), (c) warm start from a study of
/// the same dataset on its half A with another seed (re-tuning once new data arrived).
/// </summary>
internal static class MetaLearningCommand
{
    public const string Usage =
        "meta-learning [--datasets breast_cancer,...,digits600_odd] [--seeds 5] [--trials 25] [--source-trials 30] [--folds 3] [--trainers all] [--jobs 1] [--out file.jsonl] [--report file.jsonl]";

    private static readonly string[] Arms = ["plain", "meta", "warm"];

    public static int Run(BenchArgs args)
    {
        var names = args.List("datasets", MetaLearningDatasets.Names);
        var seeds = args.Int("seeds", 5, min: 1);
        var trials = args.Int("trials", 25, min: 10);
        var sourceTrials = args.Int("source-trials", 30, min: 1);
        var folds = args.Int("folds", 3, min: 2);
        var outFile = args.String("out");
        var trainers = args.List("trainers", []);
        var jobs = args.Int("jobs", 1, min: 1);
        var reportFrom = args.String("report");
        args.ThrowIfUnknown();
        if (reportFrom is not null)
        {
            // The report of a finished or interrupted run's lines.
            var saved = File.ReadLines(reportFrom).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<MetaRun>(l)!).ToList();
            var complete = saved.GroupBy(r => (r.Dataset, r.Seed)).Where(g => g.Select(r => r.Arm).Distinct().Count() == Arms.Length).SelectMany(g => g).ToList();
            var order = names.Where(n => complete.Any(r => r.Dataset == n)).Select(MetaLearningDatasets.Load).ToArray();
            Console.WriteLine(Report(complete, order, trials, complete.Select(r => r.Seed).Distinct().Count()));
            return 0;
        }

        var total = Stopwatch.StartNew();
        var datasets = names.Select(MetaLearningDatasets.Load).ToArray();
        Console.Error.WriteLine($"meta-learning: {datasets.Length} datasets, {seeds} seeds, {trials} trials, sources {sourceTrials} trials, {folds}-fold CV; {Environment.ProcessorCount} cores; load {Load()}");

        // One earlier study a dataset, on its half A (seed 100): the warm-start source and the meta-learning portfolio.
        var storage = new InMemoryStorage();
        var sources = new System.Collections.Concurrent.ConcurrentDictionary<string, Study>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = jobs };
        Parallel.ForEach(datasets, parallel, d =>
        {
            var watch = Stopwatch.StartNew();
            var result = Tune(d, d.HalfA, 100, sourceTrials, folds, storage, $"{d.Name}-A", null, [], trainers);
            sources[d.Name] = result.Study;
            var meta = DatasetMetaFeatures.FromJson(result.Study.UserAttrs[DatasetMetaFeatures.AttributeKey]);
            Console.Error.WriteLine($"source {d.Name}: best {result.Best.Mean:0.0000} ({result.BestTrainer}), {watch.Elapsed.TotalSeconds:0} s; meta-features {meta}");
        });

        var all = Portfolio.FromStorage(storage);
        var runs = new List<MetaRun>();
        using var writer = outFile is null ? null : new StreamWriter(outFile) { AutoFlush = true };
        // Seed-major, so that an interrupted run (--report) still covers every dataset.
        var work = Enumerable.Range(1, seeds).SelectMany(seed => datasets.SelectMany(d => Arms.Select(arm => (d, seed, arm)))).ToArray();
        Parallel.ForEach(work, parallel, item =>
        {
            var (d, seed, arm) = item;
            var portfolio = new Portfolio(all.Entries.Where(e => datasets.First(x => x.Name == e.Dataset).Group != d.Group));
            var watch = Stopwatch.StartNew();
            var result = Tune(d, d.HalfB, seed, trials, folds, new InMemoryStorage(), $"{d.Name}-{arm}-{seed}",
                arm == "meta" ? portfolio : null, arm == "warm" ? [sources[d.Name]] : [], trainers);
            var sign = result.Direction == StudyDirection.Maximize ? 1 : -1;
            var ordered = result.Study.Trials.OrderBy(t => t.Number).ToArray();
            double BestAfter(int n) => ordered.Take(n).Where(t => t.State == TrialState.Complete && t.Values is { Count: 1 }).Max(t => sign * t.Values![0]) * sign;
            var neighbours = result.Study.UserAttrs.TryGetValue(Portfolio.SourcesKey, out var record)
                ? string.Join(", ", record.GetProperty("neighbours").EnumerateArray().Take(3).Select(n =>
                    string.Create(CultureInfo.InvariantCulture, $"{n.GetProperty("dataset").GetString()} {n.GetProperty("distance").GetDouble():0.00}")))
                : "";
            var run = new MetaRun(d.Name, d.Task.ShortName(), result.Metric.ShortName(), arm, seed, BestAfter(10), BestAfter(trials), result.Test?.Value ?? double.NaN,
                result.BestTrainer, watch.Elapsed.TotalSeconds, neighbours);
            lock (runs)
            {
                runs.Add(run);
                writer?.WriteLine(JsonSerializer.Serialize(run));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{d.Name} {arm} seed {seed}: @10 {run.At10:0.0000} @{trials} {run.AtEnd:0.0000} test {run.Test:0.0000} ({run.Trainer}, {run.Seconds:0} s){(neighbours.Length > 0 ? " nearest " + neighbours : "")}"));
            }
        });

        Console.WriteLine(Report(runs, datasets, trials, seeds));
        Console.WriteLine($"Total {total.Elapsed.TotalMinutes:0.0} min; load {Load()}");
        return 0;
    }

    private static TuneResult Tune(BenchDataset d, Hone.MLNet.Data.TabularData data, int seed, int trials, int folds, IStorage storage, string name,
        Portfolio? portfolio, IReadOnlyList<Study> warm, IReadOnlyList<string> trainers) =>
        new MLNetTuner(new MLContext(seed)).Tune(data, d.Label, new TuneOptions
        {
            Task = d.Task,
            Trainers = trainers.Count == 0 ? null : TrainerSearchSpaces.Names(d.Task).Where(trainers.Contains).ToArray(),
            Trials = trials,
            Seed = seed,
            Validation = ValidationStrategy.StratifiedKFold(folds),
            Storage = storage,
            StudyName = name,
            MetaLearnFrom = portfolio,
            WarmStartFrom = warm,
            BootstrapResamples = 200,
            StudyUserAttrs = new Dictionary<string, object?> { ["data_file"] = d.Name },
        });

    private static string Report(IReadOnlyList<MetaRun> runs, IReadOnlyList<BenchDataset> datasets, int trials, int seeds)
    {
        var lines = new List<string>
        {
            $"| dataset (metric) | arm | median @10 | median @{trials} | median test @{trials} | Δ vs plain @10, mean [95% CI] | Δ vs plain @{trials}, mean [95% CI] | Δ test @{trials} | wins/ties/losses @10 |",
            "|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var d in datasets.Select(x => x.Name).Append("pooled"))
        {
            var mine = d == "pooled" ? runs : runs.Where(r => r.Dataset == d).ToList();
            var plain = mine.Where(r => r.Arm == "plain").ToDictionary(r => (r.Dataset, r.Seed));
            var metric = d == "pooled" ? "AUC or accuracy" : mine[0].Metric;
            foreach (var arm in Arms)
            {
                var these = mine.Where(r => r.Arm == arm).ToList();
                string Median(Func<MetaRun, double> f) => F(MedianOf(these.Select(f)));
                var d10 = these.Select(r => r.At10 - plain[(r.Dataset, r.Seed)].At10).ToArray();
                var dEnd = these.Select(r => r.AtEnd - plain[(r.Dataset, r.Seed)].AtEnd).ToArray();
                var dTest = these.Select(r => r.Test - plain[(r.Dataset, r.Seed)].Test).ToArray();
                var wins = $"{d10.Count(x => x > 1e-12)}/{d10.Count(x => Math.Abs(x) <= 1e-12)}/{d10.Count(x => x < -1e-12)}";
                lines.Add(arm == "plain"
                    ? $"| {d} ({metric}) | plain | {Median(r => r.At10)} | {Median(r => r.AtEnd)} | {Median(r => r.Test)} | | | | |"
                    : $"| {d} ({metric}) | {arm} | {Median(r => r.At10)} | {Median(r => r.AtEnd)} | {Median(r => r.Test)} | {Ci(d10)} | {Ci(dEnd)} | {Ci(dTest)} | {wins} |");
            }
        }

        var nearest = runs.Where(r => r.Arm == "meta" && r.Seed == 1).Select(r => $"- {r.Dataset}: {r.Neighbours}");
        return string.Join('\n', lines) + $"\n\nNearest earlier datasets (meta arm, seed 1; distance in standardized meta-features):\n{string.Join('\n', nearest)}\n" +
            $"({seeds} seeds a dataset; Δ = arm − plain on the same seed, so the same folds and test rows; 95% CI: mean ± t·sd/√n.)";
    }

    private static string Ci(double[] x)
    {
        var n = x.Length;
        var mean = x.Average();
        if (n < 2)
        {
            return F(mean);
        }

        var sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var half = TQuantile975(n - 1) * sd / Math.Sqrt(n);
        return string.Create(CultureInfo.InvariantCulture, $"{mean:+0.0000;-0.0000;0.0000} [{mean - half:+0.0000;-0.0000;0.0000}, {mean + half:+0.0000;-0.0000;0.0000}]");
    }

    /// <summary>Student's t 97.5% quantile (two-sided 95%) for the degrees of freedom; 1.96 beyond the table.</summary>
    private static double TQuantile975(int df) => df switch
    {
        1 => 12.706, 2 => 4.303, 3 => 3.182, 4 => 2.776, 5 => 2.571, 6 => 2.447, 7 => 2.365, 8 => 2.306, 9 => 2.262,
        <= 14 => 2.145, <= 19 => 2.093, <= 29 => 2.045, <= 59 => 2.001, <= 119 => 1.98, _ => 1.96,
    };

    private static double MedianOf(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    private static string F(double x) => x.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";

    internal sealed record MetaRun(string Dataset, string Task, string Metric, string Arm, int Seed, double At10, double AtEnd, double Test, string Trainer, double Seconds, string Neighbours);
}
