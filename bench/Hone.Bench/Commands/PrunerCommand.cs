using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Hone.Bench.Cli;
using Hone.Bench.Python;
using Hone.Bench.Results;
using Hone.Pruners;
using Hone.Samplers.Tpe;
using Hone.Studies;

namespace Hone.Bench.Commands;

/// <summary>
/// The pruner benchmark: each problem × pruner × seed runs TPE until it has run <c>--trials</c> trials and used the
/// budget of that many full runs (<c>--trials</c> × <c>--steps</c> steps), or <c>--max-trials</c> trials. Reports, as
/// medians over seeds, the budget used by the first <c>--trials</c> trials, the best final value found by then, the best
/// found within a third of the budget and within the whole budget, and wall time; bench/optuna/pruners.py runs the
/// same on Optuna in the same run (unless <c>--no-optuna</c>).
/// </summary>
internal static class PrunerCommand
{
    public const string Usage =
        "pruners [--problems curves,digits,instances,lightgbm,fasttree] [--pruners none,median,percentile,threshold,patient,asha,hyperband,wilcoxon]\n" +
        "            [--seeds 10] [--trials 100] [--max-trials 600] [--steps 27] [--no-optuna] [--out file.jsonl] [--python /usr/bin/python3]";

    private static readonly string[] PrunerNames = ["none", "median", "percentile", "threshold", "patient", "asha", "hyperband", "wilcoxon"];

    public static int Run(BenchArgs args)
    {
        var problems = args.List("problems", ["curves"]);
        var pruners = args.List("pruners", PrunerNames);
        var seeds = args.Int("seeds", 10, min: 1);
        var trials = args.Int("trials", 100, min: 1);
        var maxTrials = args.Int("max-trials", 600, min: 1);
        var steps = args.Int("steps", 27, min: 1);
        var noOptuna = args.Flag("no-optuna");
        var outFile = args.String("out");
        var python = new PythonRunner(args.String("python", PythonRunner.DefaultExecutable));
        args.ThrowIfUnknown();
        foreach (var p in pruners.Where(p => !PrunerNames.Contains(p)))
        {
            throw new UsageException($"Unknown pruner \"{p}\"; known: {string.Join(", ", PrunerNames)}.");
        }

        // The ML.NET problems rest on the staged evaluation of boosted trees: check it before spending the budget.
        foreach (var problem in problems.Where(p => PrunerProblems.MLNetNames.Contains(p)))
        {
            Console.Error.WriteLine(BoostingProblem.Verify(problem, seed: 0));
        }

        var runs = new List<PrunerRun>();
        foreach (var problem in problems)
        {
            foreach (var pruner in pruners)
            {
                for (var seed = 0; seed < seeds; seed++)
                {
                    var run = RunHone(problem, pruner, seed, trials, maxTrials, steps);
                    Console.Error.WriteLine($"hone {problem} {pruner} seed {seed}: {run.Steps.Length} trials, {run.Seconds:0.0} s");
                    runs.Add(run);
                }
            }
        }

        // Optuna 3.1 has no Wilcoxon pruner and Optuna no ML.NET: those rows are Hone's only.
        var optunaPruners = pruners.Where(p => p != "wilcoxon").ToList();
        var optunaProblems = problems.Where(p => !PrunerProblems.MLNetNames.Contains(p)).ToList();
        if (!noOptuna && optunaPruners.Count > 0 && optunaProblems.Count > 0)
        {
            var stdout = python.Run(RepoPaths.OptunaScript("pruners.py"),
                "--problems", string.Join(',', optunaProblems), "--pruners", string.Join(',', optunaPruners),
                "--seeds", seeds.ToString(CultureInfo.InvariantCulture), "--trials", trials.ToString(CultureInfo.InvariantCulture),
                "--max-trials", maxTrials.ToString(CultureInfo.InvariantCulture), "--steps", steps.ToString(CultureInfo.InvariantCulture),
                "--root", RepoPaths.Root);
            foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                runs.Add(PrunerRun.FromJson(line));
            }
        }

        if (outFile is not null)
        {
            File.WriteAllLines(outFile, runs.Select(r => r.ToJson()));
        }

        Console.WriteLine(Report(runs, problems, pruners, trials, steps));
        return 0;
    }

    private static PrunerRun RunHone(string problem, string pruner, int seed, int trials, int maxTrials, int steps)
    {
        var objective = PrunerProblems.Create(problem, seed, steps);
        var study = Study.Create(new StudyOptions
        {
            // Hyperband assigns brackets by hashing the study name with the trial number: a fixed name makes runs repeatable.
            Name = $"pruners-{problem}-{pruner}-{seed}",
            Sampler = new TpeSampler(new() { Seed = seed }),
            Pruner = MakePruner(pruner, problem, steps),
        });
        var used = new List<int>();
        var values = new List<double?>();
        var budget = (long)trials * steps;
        var spent = 0L;
        void Record(int s, double? v)
        {
            used.Add(s);
            values.Add(v);
            spent += s;
        }

        var watch = Stopwatch.StartNew();
        study.Optimize(t => objective(t, Record), new OptimizeOptions
        {
            Trials = maxTrials,
            Callbacks = [(s, _) =>
            {
                if (used.Count >= trials && spent >= budget)
                {
                    s.Stop();
                }
            }],
        });
        return new PrunerRun("hone", problem, pruner, seed, [.. used], [.. values], watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The threshold pruner's upper bound per problem (after the same 3 warm-up steps as the median pruner): a value
    /// no configuration worth finishing still has at step 4. curves: 1.0 (there the t^−a term is 0.29–0.66 and the
    /// best finals are about 0.16); digits: 1.0 nats (a uniform guess is ln 10 ≈ 2.3); instances: 3.0 (per-instance
    /// losses reach about 6.7);
    /// lightgbm and fasttree: 0.6 nats (predicting the class prior scores 0.66).
    /// </summary>
    public static double ThresholdUpper(string problem) => problem switch
    {
        "curves" or "digits" => 1.0,
        "instances" => 3.0,
        _ => 0.6,
    };

    private static IPruner MakePruner(string name, string problem, int steps) => name switch
    {
        "none" => NopPruner.Instance,
        "median" => new MedianPruner(new() { StartupTrials = 5, WarmupSteps = 3 }),
        "percentile" => new PercentilePruner(new() { Percentile = 25, StartupTrials = 5, WarmupSteps = 3 }),
        "threshold" => new ThresholdPruner(new() { Upper = ThresholdUpper(problem), WarmupSteps = 3 }),
        "patient" => new PatientPruner(new()
        {
            WrappedPruner = new MedianPruner(new() { StartupTrials = 5, WarmupSteps = 3 }),
            Patience = 3,
        }),
        "asha" => new SuccessiveHalvingPruner(new() { MinResource = 1, ReductionFactor = 3 }),
        "hyperband" => new HyperbandPruner(new() { MinResource = 1, MaxResource = steps, ReductionFactor = 3 }),
        "wilcoxon" => new WilcoxonPruner(new() { PThreshold = 0.1 }),
        _ => throw new UsageException($"Unknown pruner \"{name}\"."),
    };

    private static string Report(List<PrunerRun> runs, IReadOnlyList<string> problems, IReadOnlyList<string> pruners, int trials, int steps)
    {
        var full = (long)trials * steps;
        var third = full / 3;
        var sb = new StringBuilder();
        foreach (var problem in problems)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"### {problem}: {trials} trials of {steps} steps (budget {full} steps), medians over seeds");
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"| pruner | framework | seeds | budget of {trials} trials | best of {trials} trials | best within ⅓ budget | best within budget | P(⅓-budget best < no-pruning best), p | trials in budget | wall s (budget) |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var framework in new[] { "hone", "optuna" })
            {
                var baseline = runs.Where(r => r.Framework == framework && r.Problem == problem && r.Pruner == "none").ToList();
                var baselineBest = baseline.Select(r => r.BestWithinBudget(full)).ToList();
                foreach (var pruner in pruners)
                {
                    var set = runs.Where(r => r.Framework == framework && r.Problem == problem && r.Pruner == pruner).ToList();
                    if (set.Count == 0)
                    {
                        continue;
                    }

                    var thirdBest = set.Select(r => r.BestWithinBudget(third)).ToList();
                    var (pLower, pValue) = baselineBest.Count > 0 && pruner != "none" ? Stats.MannWhitney(thirdBest, baselineBest) : (double.NaN, double.NaN);
                    var budgetOfN = Stats.Median(set.Select(r => (double)r.BudgetOfFirst(trials)));
                    sb.AppendLine(CultureInfo.InvariantCulture,
                        $"| {pruner} | {framework} | {set.Count} | {budgetOfN:0} ({budgetOfN / full:0%}) | {Stats.Median(set.Select(r => r.BestOfFirst(trials))):0.0000} " +
                        $"| {Stats.Median(thirdBest):0.0000} | {Stats.Median(set.Select(r => r.BestWithinBudget(full))):0.0000} " +
                        $"| {(double.IsNaN(pLower) ? "–" : $"{pLower:0.00}, {pValue:0.00}")} | {Stats.Median(set.Select(r => (double)r.TrialsWithinBudget(full))):0} " +
                        $"| {Stats.Median(set.Select(r => r.Seconds)):0.00} |");
                }
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    private sealed record PrunerRun(string Framework, string Problem, string Pruner, int Seed, int[] Steps, double?[] Values, double Seconds)
    {
        public static PrunerRun FromJson(string line)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            return new PrunerRun(
                root.GetProperty("framework").GetString()!,
                root.GetProperty("problem").GetString()!,
                root.GetProperty("pruner").GetString()!,
                root.GetProperty("seed").GetInt32(),
                [.. root.GetProperty("steps").EnumerateArray().Select(e => e.GetInt32())],
                [.. root.GetProperty("values").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (double?)null : e.GetDouble())],
                root.GetProperty("elapsed_seconds").GetDouble());
        }

        public string ToJson() => JsonSerializer.Serialize(new
        {
            framework = Framework, problem = Problem, pruner = Pruner, seed = Seed, steps = Steps, values = Values, elapsed_seconds = Seconds,
        });

        public long BudgetOfFirst(int n) => Steps.Take(n).Sum(s => (long)s);

        public double BestOfFirst(int n) => Best(Math.Min(n, Steps.Length));

        public double BestWithinBudget(long budget) => Best(TrialsWithinBudget(budget));

        public int TrialsWithinBudget(long budget)
        {
            var spent = 0L;
            var count = 0;
            foreach (var s in Steps)
            {
                spent += s;
                if (spent > budget)
                {
                    break;
                }

                count++;
            }

            return count;
        }

        private double Best(int count)
        {
            var best = double.PositiveInfinity;
            for (var i = 0; i < count; i++)
            {
                if (Values[i] is { } v && v < best)
                {
                    best = v;
                }
            }

            return best;
        }
    }
}
