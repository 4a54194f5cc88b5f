using System.Diagnostics;
using System.Globalization;
using Hone.Bench.Cli;
using Hone.Bench.Problems;
using Hone.Bench.Python;
using Hone.Bench.Results;
using Hone.Bench.Samplers;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Bench.Commands;

/// <summary>
/// The synthetic suite (design.md section 7): every function × sampler × seed for a budget of trials,
/// one JSON line per run with the best-so-far curve, and the median regret at each checkpoint. With
/// <c>--optuna-samplers</c>, bench/optuna/suite.py runs the same functions, budget and seeds on Optuna in
/// the same run, and the summary puts both side by side.
/// </summary>
internal static class SuiteCommand
{
    public const string Usage =
        "suite [--samplers random,...] [--optuna-samplers random,tpe,...] [--seeds 10] [--first-seed 1] [--budget 200]\n" +
        "            [--functions branin2,...] [--checkpoints 25,50,100,200] [--out bench/results] [--jobs 1] [--python /usr/bin/python3]\n" +
        "        suite --check   (functions.json up to date; C# and Python give the same values)";

    public static int Run(BenchArgs args)
    {
        var check = args.Flag("check");
        var samplers = args.List("samplers", ["random"]);
        var optunaSamplers = args.List("optuna-samplers", []);
        var seeds = args.Int("seeds", 10, min: 1);
        var firstSeed = args.Int("first-seed", 1, min: 0);
        var budget = args.Int("budget", 200, min: 1);
        var functions = args.List("functions", ProblemCatalog.Names).Select(ProblemCatalog.Get).ToList();
        var checkpoints = args.IntList("checkpoints", [25, 50, 100, 200]).Where(c => c <= budget).ToList();
        var outDir = args.String("out", Path.Combine(RepoPaths.Bench, "results"));
        var jobs = args.Int("jobs", 1, min: 1);
        var python = new PythonRunner(args.String("python", PythonRunner.DefaultExecutable));
        args.ThrowIfUnknown();

        if (check)
        {
            return FunctionCheck.Run(functions, python) ? 0 : 1;
        }

        SamplerRegistry.ThrowIfUnknown(samplers);
        if (checkpoints.Count == 0)
        {
            checkpoints = [budget];
        }

        Directory.CreateDirectory(outDir);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var honePath = Path.Combine(outDir, $"hone-{stamp}.jsonl");
        var records = RunHone(functions, samplers, firstSeed, seeds, budget, jobs, honePath);
        Console.Error.WriteLine($"Hone results: {honePath}");

        if (optunaSamplers.Count > 0)
        {
            var optunaPath = Path.Combine(outDir, $"optuna-{stamp}.jsonl");
            python.Run(RepoPaths.OptunaScript("suite.py"),
                "--samplers", string.Join(',', optunaSamplers),
                "--seeds", $"{seeds}", "--first-seed", $"{firstSeed}", "--budget", $"{budget}",
                "--functions", string.Join(',', functions.Select(f => f.Name)),
                "--jobs", $"{jobs}", "--out", optunaPath);
            Console.Error.WriteLine($"Optuna results: {optunaPath}");
            records = [.. records, .. RunRecord.ReadAll(optunaPath)];
        }

        var summary = new RegretSummary(records, checkpoints);
        var markdown = optunaSamplers.Count > 0 ? ComparisonReport.ToMarkdown(summary) : summary.ToMarkdown();
        var summaryPath = Path.Combine(outDir, $"summary-{stamp}.md");
        File.WriteAllText(summaryPath, markdown);
        Console.WriteLine(markdown);
        Console.Error.WriteLine($"Summary: {summaryPath}");
        return 0;
    }

    private static List<RunRecord> RunHone(
        IReadOnlyList<BenchmarkProblem> functions, IReadOnlyList<string> samplers, int firstSeed, int seeds, int budget, int jobs, string path)
    {
        var work = (from f in functions from s in samplers from seed in Enumerable.Range(firstSeed, seeds) select (f, s, seed)).ToList();
        var results = new RunRecord[work.Count];
        var gate = new Lock();
        var done = 0;
        using var writer = new StreamWriter(path);
        Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = jobs }, i =>
        {
            var (function, sampler, seed) = work[i];
            var record = RunOne(function, sampler, seed, budget);
            results[i] = record;
            lock (gate)
            {
                writer.WriteLine(record.ToJsonLine());
                writer.Flush();
                done++;
                Console.Error.WriteLine(
                    $"[{done}/{work.Count}] hone {function.Name} {sampler} seed {seed}: best {record.BestSoFar[^1]:G6} in {record.ElapsedSeconds:0.00} s");
            }
        });
        return [.. results];
    }

    private static RunRecord RunOne(BenchmarkProblem problem, string sampler, int seed, int budget)
    {
        var start = Stopwatch.GetTimestamp();
        var study = Study.Create(new StudyOptions { Sampler = SamplerRegistry.Create(sampler, seed) });
        study.Optimize(problem.Evaluate, new OptimizeOptions { Trials = budget });
        var elapsed = Stopwatch.GetElapsedTime(start);

        var curve = new List<double?>(budget);
        double? best = null;
        foreach (var trial in study.Trials)
        {
            if (trial.State == TrialState.Complete && trial.Value is { } v)
            {
                best = best is { } b ? Math.Min(b, v) : v;
            }

            curve.Add(best);
        }

        return new RunRecord
        {
            Framework = ComparisonReport.Hone,
            Function = problem.Name,
            Sampler = sampler,
            Seed = seed,
            Budget = budget,
            Optimum = problem.Optimum,
            BestSoFar = curve,
            ElapsedSeconds = elapsed.TotalSeconds,
            Version = typeof(Study).Assembly.GetName().Version?.ToString(),
        };
    }
}
