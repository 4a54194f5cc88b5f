using Hone.Bench.Cli;
using Hone.Bench.Python;
using Hone.Bench.RealProblems;

namespace Hone.Bench.Commands;

/// <summary>
/// The real tuning problems (bench/real_problems.json, issue 12): every problem × Hone sampler × seed in-process and,
/// with <c>--optuna-samplers</c>, the same on Optuna 3.1 (bench/optuna/real.py) in the same invocation; one JSON line
/// per run under <c>--out</c>, and the Bayesmark-style score table (<see cref="RealScore"/>).
/// </summary>
internal static class RealSuiteCommand
{
    public const string Usage =
        "real [--samplers default,random,tpe,...] [--optuna-samplers tpe,random,...] [--seeds 10] [--first-seed 1] [--budget 64]\n" +
        "            [--problems dt-wine,...] [--checkpoints 16,32,64] [--random-configs 256] [--compare hone:default,optuna:tpe]\n" +
        "            [--out bench/results/real] [--jobs 1] [--python /usr/bin/python3] [--problem-file bench/real_problems.json]\n" +
        "        real --check [--problems ...]   (both drivers suggest and evaluate alike; statistics; a tiny end-to-end run)";

    public static int Run(BenchArgs args)
    {
        var check = args.Flag("check");
        var set = RealProblemSet.Load(args.String("problem-file"));
        var samplers = args.List("samplers", [RealSamplers.Default]);
        var optunaSamplers = args.List("optuna-samplers", []);
        var seeds = args.Int("seeds", 10, min: 1);
        var firstSeed = args.Int("first-seed", 1, min: 0);
        var budget = args.Int("budget", 64, min: 1);
        var problems = args.List("problems", [.. set.Problems.Select(p => p.Name)]).Select(set.Get).ToList();
        var checkpoints = args.IntList("checkpoints", [16, 32, 64]).Where(c => c <= budget).ToList();
        var randomConfigs = args.Int("random-configs", 256, min: 0);
        var outDir = args.String("out", Path.Combine(RepoPaths.Bench, "results", "real"));
        var jobs = args.Int("jobs", 1, min: 1);
        var python = args.String("python", PythonRunner.DefaultExecutable);
        var compare = ParseComparisons(args.String("compare"),
            samplers.Contains(RealSamplers.Default) && optunaSamplers.Contains("tpe") ? "hone:default,optuna:tpe" : null);
        args.ThrowIfUnknown();

        using var evaluator = new RealEvaluator(set, python);
        if (check)
        {
            return RealCheck.Run(evaluator, problems, new PythonRunner(python)) ? 0 : 1;
        }

        RealSamplers.ThrowIfUnknown(samplers);
        var options = new RealSuiteOptions
        {
            Problems = problems,
            HoneSamplers = samplers,
            OptunaSamplers = optunaSamplers,
            FirstSeed = firstSeed,
            Seeds = seeds,
            Budget = budget,
            Checkpoints = checkpoints.Count > 0 ? checkpoints : [budget],
            Jobs = jobs,
            RandomConfigs = randomConfigs,
            OutDir = outDir,
            Comparisons = compare,
        };
        var (_, _, markdown) = new RealSuiteRunner(evaluator, new PythonRunner(python)).Run(options);
        var summaryPath = Path.Combine(outDir, $"real-summary-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md");
        File.WriteAllText(summaryPath, markdown);
        Console.WriteLine(markdown);
        Console.WriteLine(TimingTable(evaluator));
        Console.Error.WriteLine($"Summary: {summaryPath}");
        return 0;
    }

    /// <summary>"a,b;c,d" as pairs of "side:sampler" names (null: the fallback, or none).</summary>
    public static IReadOnlyList<(string A, string B)> ParseComparisons(string? text, string? fallback)
    {
        text ??= fallback;
        if (text is null)
        {
            return [];
        }

        var pairs = new List<(string, string)>();
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts.Any(p => !p.Contains(':', StringComparison.Ordinal)))
            {
                throw new UsageException($"--compare takes side:sampler,side:sampler pairs separated by ';' (e.g. hone:default,optuna:tpe), got \"{text}\".");
            }

            pairs.Add((parts[0], parts[1]));
        }

        return pairs;
    }

    private static string TimingTable(RealEvaluator evaluator)
    {
        var lines = new List<string> { "Evaluations in this process (C# side; cache misses): problem, count, mean wall time per evaluation", "" };
        foreach (var (problem, (count, seconds)) in evaluator.Timing.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            lines.Add(FormattableString.Invariant($"  {problem,-22} {count,5}  {seconds / count:0.000} s"));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
