using System.Globalization;
using System.Text.Json;
using Hone.Bench.Commands;
using Hone.Bench.Python;
using Hone.Bench.Results;
using Hone.Samplers;
using Hone.Studies;

namespace Hone.Bench.RealProblems;

/// <summary>
/// <c>real --check</c>: the bench's own tests of the real-problem suite. (1) The statistics and the score on known
/// values. (2) Every problem evaluated at one point on both drivers' code paths: the C# side suggests a configuration
/// define-by-run and evaluates it (scikit-learn through real_eval.py, ML.NET in-process, twice: deterministic);
/// bench/optuna/real.py replays it through an Optuna trial and its own suggestion code and evaluates it (scikit-learn
/// in-process, ML.NET through <c>real-eval-server</c>); parameters and losses must agree. (3) A tiny end-to-end run of
/// both sides whose report, recomputed by <c>real-report</c> from the saved files, is the same.
/// </summary>
internal static class RealCheck
{
    public static bool Run(RealEvaluator evaluator, IReadOnlyList<RealProblem> problems, PythonRunner python)
    {
        var failures = new List<string>();
        SelfTests(failures);
        Console.WriteLine($"statistics and score: {(failures.Count == 0 ? "ok" : "FAILED")}");
        CrossCheck(evaluator, problems, python, failures);
        EndToEnd(evaluator, problems, python, failures);
        foreach (var f in failures)
        {
            Console.WriteLine($"FAILED: {f}");
        }

        Console.WriteLine(failures.Count == 0 ? "real --check: all passed" : $"real --check: {failures.Count} failure(s)");
        return failures.Count == 0;
    }

    /// <summary>Known answers: scipy 1.10's wilcoxon(alternative="less", mode="exact") and binomtest(alternative="greater").</summary>
    internal static void SelfTests(List<string> failures)
    {
        void Expect(string what, double actual, double expected)
        {
            if (!(Math.Abs(actual - expected) <= 1e-9))
            {
                failures.Add(FormattableString.Invariant($"{what}: got {actual:G10}, expected {expected:G10}"));
            }
        }

        Expect("Wilcoxon (10 pairs)", Stats.WilcoxonSignedRankLess([-1.5, -0.3, 0.2, -2.1, -0.9, 0.4, -1.1, -0.05, 0.7, -0.6]), 0.0654296875);
        Expect("Wilcoxon (7 pairs, a worse)", Stats.WilcoxonSignedRankLess([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7]), 0.890625);
        Expect("Wilcoxon drops zeros", Stats.WilcoxonSignedRankLess([0, 0, -1, -2, -3]), 0.125);
        // Ties: |d| = 1, 1, 2 get ranks 1.5, 1.5, 3; W+ = 1.5, and 3 of the 8 sign assignments give W+ ≤ 1.5.
        Expect("Wilcoxon with tied ranks", Stats.WilcoxonSignedRankLess([-1, 1, -2]), 0.375);
        Expect("sign test 8 of 10", Stats.SignTestGreater(8, 2), 0.0546875);
        Expect("sign test 3 of 12", Stats.SignTestGreater(3, 9), 0.980712890625);

        // Two runs on one problem; optimum 1 (best seen), clip 3 (median of the random losses 2, 3, 9).
        var runs = new List<RealRunRecord>
        {
            new() { Side = "hone", Problem = "p", Sampler = "a", Seed = 1, Budget = 3, Losses = [5, 2, 1] },
            new() { Side = "optuna", Problem = "p", Sampler = "b", Seed = 1, Budget = 3, Losses = [null, 4, 3] },
        };
        var score = new RealScore(runs, new Dictionary<string, IReadOnlyList<double>> { ["p"] = [2, 3, 9] }, [1, 2, 3]);
        Expect("regret clipped at 1", score.Regret(runs[0], 1)!.Value, 1);
        Expect("regret between optimum and clip", score.Regret(runs[0], 2)!.Value, 0.5);
        Expect("regret at the optimum", score.Regret(runs[0], 3)!.Value, 0);
        Expect("regret before any completed trial", score.Regret(runs[1], 1)!.Value, 1);
        Expect("score", score.Score("optuna:b", 3).Score!.Value, 0);
        Expect("score", score.Score("hone:a", 2).Score!.Value, 50);
    }

    private static void CrossCheck(RealEvaluator evaluator, IReadOnlyList<RealProblem> problems, PythonRunner python, List<string> failures)
    {
        var csharp = new Dictionary<string, (IReadOnlyDictionary<string, object?> Values, double Loss)>(StringComparer.Ordinal);
        var requests = Path.GetTempFileName();
        try
        {
            using (var writer = new StreamWriter(requests))
            {
                foreach (var problem in problems)
                {
                    var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(7) });
                    var trial = study.Ask();
                    var values = problem.Suggest(trial);
                    var loss = evaluator.Evaluate(problem, values);
                    if (problem.Evaluator == "mlnet" && evaluator.Evaluate(problem, values) is var again && again != loss)
                    {
                        failures.Add(FormattableString.Invariant($"{problem.Name}: two evaluations of one configuration differ ({loss:R} and {again:R})"));
                    }

                    csharp[problem.Name] = (values, loss);
                    writer.WriteLine(JsonSerializer.Serialize(new { problem = problem.Name, @params = values }));
                }
            }

            var output = python.Run(Hone.Bench.Cli.RepoPaths.OptunaScript("real.py"),
                "--check", requests, "--problem-file", evaluator.Problems.Path,
                "--mlnet-server", JsonSerializer.Serialize(RealSuiteRunner.EvalServerCommand(evaluator.Problems.Path)));
            var answered = 0;
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var doc = JsonDocument.Parse(line);
                var name = doc.RootElement.GetProperty("problem").GetString()!;
                var problem = evaluator.Problems.Get(name);
                var (values, loss) = csharp[name];
                var pyValues = problem.ParseParams(doc.RootElement.GetProperty("params"));
                var pyLoss = doc.RootElement.GetProperty("loss").GetDouble();
                var sameParams = pyValues.Count == values.Count && values.All(kv => pyValues.TryGetValue(kv.Key, out var v) && RealParameter.SameValue(v, kv.Value));
                var sameLoss = Math.Abs(pyLoss - loss) <= 1e-9 * Math.Max(1, Math.Abs(loss));
                answered++;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(sameParams && sameLoss ? "ok  " : "FAIL")} {name,-22} loss C# {loss:G10}, Python {pyLoss:G10}  {RealProblem.ParamsJson(values)}"));
                if (!sameParams)
                {
                    failures.Add($"{name}: Python suggested {RealProblem.ParamsJson(pyValues)} for {RealProblem.ParamsJson(values)}");
                }

                if (!sameLoss)
                {
                    failures.Add(FormattableString.Invariant($"{name}: loss C# {loss:R}, Python {pyLoss:R}"));
                }
            }

            if (answered != problems.Count)
            {
                failures.Add($"real.py --check answered {answered} of {problems.Count} problems");
            }
        }
        finally
        {
            File.Delete(requests);
        }
    }

    private static void EndToEnd(RealEvaluator evaluator, IReadOnlyList<RealProblem> problems, PythonRunner python, List<string> failures)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"hone-real-check-{Environment.ProcessId}");
        try
        {
            // One scikit-learn and one ML.NET problem when the selection has them: both sides' paths run end to end.
            var chosen = problems.Where(p => p.Evaluator == "sklearn").Take(1).Concat(problems.Where(p => p.Evaluator == "mlnet").Take(1)).ToList();
            var options = new RealSuiteOptions
            {
                Problems = chosen,
                HoneSamplers = ["random", RealSamplers.Default],
                OptunaSamplers = ["tpe"],
                FirstSeed = 1,
                Seeds = 1,
                Budget = 4,
                Checkpoints = [2, 4],
                Jobs = 2,
                RandomConfigs = 8,
                OutDir = dir,
                Comparisons = [("hone:default", "optuna:tpe")],
            };
            var (records, score, markdown) = new RealSuiteRunner(evaluator, python).Run(options);
            Console.WriteLine(markdown);
            var expected = chosen.Count * 3;
            if (records.Count != expected || records.Any(r => r.Losses.Count != 4 || r.Losses.Any(l => l is null)))
            {
                failures.Add($"end to end: expected {expected} runs of 4 completed trials, got {records.Count}");
            }

            foreach (var s in score.Samplers)
            {
                if (score.Score(s, 4).Score is not (>= 0 and <= 100))
                {
                    failures.Add($"end to end: the score of {s} is not in [0, 100]");
                }
            }

            var report = RealReportCommand.Report(dir, evaluator.Problems, [2, 4], [("hone:default", "optuna:tpe")]);
            if (report != markdown)
            {
                failures.Add("end to end: real-report on the saved files differs from the run's own report");
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
