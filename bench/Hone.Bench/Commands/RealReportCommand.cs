using Hone.Bench.Cli;
using Hone.Bench.RealProblems;

namespace Hone.Bench.Commands;

/// <summary>
/// Recomputes the real-problem score table from saved result files (every real-*.jsonl of a directory and its
/// random configurations), so samplers run at different times are scored together without rerunning any.
/// </summary>
internal static class RealReportCommand
{
    public const string Usage =
        "real-report --in bench/results/real [--checkpoints 16,32,64] [--compare hone:default,optuna:tpe] [--problem-file bench/real_problems.json]";

    public static int Run(BenchArgs args)
    {
        var dir = args.String("in") ?? throw new UsageException("real-report needs --in DIR (a directory written by real --out DIR).");
        var checkpoints = args.IntList("checkpoints", [16, 32, 64]);
        var compare = RealSuiteCommand.ParseComparisons(args.String("compare"), null);
        var set = RealProblemSet.Load(args.String("problem-file"));
        args.ThrowIfUnknown();
        Console.WriteLine(Report(dir, set, checkpoints, compare));
        return 0;
    }

    public static string Report(string dir, RealProblemSet set, IReadOnlyList<int> checkpoints, IReadOnlyList<(string A, string B)> compare)
    {
        if (!Directory.Exists(dir))
        {
            throw new UsageException($"--in: no directory \"{dir}\".");
        }

        var files = Directory.GetFiles(dir, "real-*.jsonl").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new UsageException($"--in: \"{dir}\" holds no real-*.jsonl result files.");
        }

        var records = files.SelectMany(RealRunRecord.ReadAll).ToList();
        var stale = records.Where(r => r.ProblemsHash is { } h && h != set.Hash).Select(r => r.ProblemsHash).Distinct().ToList();
        if (stale.Count > 0)
        {
            Console.Error.WriteLine($"note: some runs used another version of the problem file (hash {string.Join(", ", stale)}; now {set.Hash}).");
        }

        var score = new RealScore(records, RandomConfigurations.ReadAll(dir, set), checkpoints);
        return score.ToMarkdown(compare);
    }
}
