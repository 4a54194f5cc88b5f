using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hone.Bench.Python;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Bench.RealProblems;

/// <summary>
/// Runs the real-problem suite: the random configurations of the clip, every problem × Hone sampler × seed in this
/// process, then the same problems and seeds on Optuna (bench/optuna/real.py), and scores them together.
/// </summary>
internal sealed class RealSuiteRunner(RealEvaluator evaluator, PythonRunner python)
{
    public (IReadOnlyList<RealRunRecord> Records, RealScore Score, string Markdown) Run(RealSuiteOptions o)
    {
        Directory.CreateDirectory(o.OutDir);
        if (o.RandomConfigs > 0)
        {
            RandomConfigurations.Ensure(evaluator, o.Problems, o.RandomConfigs, o.OutDir, o.Jobs);
        }

        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var records = new List<RealRunRecord>();
        if (o.HoneSamplers.Count > 0)
        {
            var honePath = Path.Combine(o.OutDir, $"real-hone-{stamp}.jsonl");
            records.AddRange(RunHone(o, honePath));
            Console.Error.WriteLine($"Hone results: {honePath}");
        }

        if (o.OptunaSamplers.Count > 0)
        {
            var optunaPath = Path.Combine(o.OutDir, $"real-optuna-{stamp}.jsonl");
            python.Run(Hone.Bench.Cli.RepoPaths.OptunaScript("real.py"),
                "--samplers", string.Join(',', o.OptunaSamplers),
                "--seeds", $"{o.Seeds}", "--first-seed", $"{o.FirstSeed}", "--budget", $"{o.Budget}",
                "--problems", string.Join(',', o.Problems.Select(p => p.Name)),
                "--problem-file", evaluator.Problems.Path,
                "--jobs", $"{o.Jobs}", "--out", optunaPath,
                "--mlnet-server", JsonSerializer.Serialize(EvalServerCommand(evaluator.Problems.Path)));
            Console.Error.WriteLine($"Optuna results: {optunaPath}");
            records.AddRange(RealRunRecord.ReadAll(optunaPath));
        }

        var score = new RealScore(records, RandomConfigurations.ReadAll(o.OutDir, evaluator.Problems), o.Checkpoints);
        var markdown = score.ToMarkdown(o.Comparisons);
        return (records, score, markdown);
    }

    /// <summary>The command line that starts this program's <c>real-eval-server</c> (for bench/optuna/real.py).</summary>
    public static IReadOnlyList<string> EvalServerCommand(string problemFile)
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell this program's path.");
        var command = new List<string> { process };
        if (Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            command.Add(typeof(RealSuiteRunner).Assembly.Location);
        }

        command.AddRange(["real-eval-server", "--problem-file", problemFile]);
        return command;
    }

    private List<RealRunRecord> RunHone(RealSuiteOptions o, string path)
    {
        var work = (from p in o.Problems from s in o.HoneSamplers from seed in Enumerable.Range(o.FirstSeed, o.Seeds) select (p, s, seed)).ToList();
        var results = new RealRunRecord[work.Count];
        var gate = new Lock();
        var done = 0;
        using var writer = new StreamWriter(path);
        Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = o.Jobs }, i =>
        {
            var (problem, sampler, seed) = work[i];
            var record = RunOne(problem, sampler, seed, o.Budget);
            results[i] = record;
            lock (gate)
            {
                writer.WriteLine(record.ToJsonLine());
                writer.Flush();
                done++;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{done}/{work.Count}] hone {problem.Name} {sampler} seed {seed}: best {record.BestAfter(record.Losses.Count):G6} in {record.ElapsedSeconds:0.00} s (evaluations {record.EvalSeconds:0.00} s)"));
            }
        });
        return [.. results];
    }

    private RealRunRecord RunOne(RealProblem problem, string sampler, int seed, int budget)
    {
        var start = Stopwatch.GetTimestamp();
        var evalSeconds = 0.0;
        var study = Study.Create(new StudyOptions { Sampler = RealSamplers.Create(sampler, seed) });
        study.Optimize(trial =>
        {
            var values = problem.Suggest(trial);
            var evalStart = Stopwatch.GetTimestamp();
            var loss = evaluator.Loss(problem, values);
            evalSeconds += Stopwatch.GetElapsedTime(evalStart).TotalSeconds;
            return loss;
        }, new OptimizeOptions { Trials = budget, Catch = [] });
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new RealRunRecord
        {
            Side = "hone",
            Problem = problem.Name,
            Sampler = sampler,
            Seed = seed,
            Budget = budget,
            Losses = [.. study.Trials.OrderBy(t => t.Number).Select(t => t.State == TrialState.Complete ? t.Value : null)],
            ElapsedSeconds = elapsed.TotalSeconds,
            EvalSeconds = evalSeconds,
            Version = typeof(Study).Assembly.GetName().Version?.ToString(),
            ProblemsHash = evaluator.Problems.Hash,
        };
    }
}
