using Hone.Bench.Cli;
using Hone.Bench.Results;

namespace Hone.Bench.Commands;

/// <summary>Hone vs Optuna from result files of <c>suite</c> and bench/optuna/suite.py, as Markdown.</summary>
internal static class CompareCommand
{
    public const string Usage = "compare --hone <file.jsonl>[,...] --optuna <file.jsonl>[,...] [--checkpoints 25,50,100,200] [--out summary.md]";

    public static int Run(BenchArgs args)
    {
        var hone = args.List("hone", []);
        var optuna = args.List("optuna", []);
        var checkpoints = args.IntList("checkpoints", [25, 50, 100, 200]);
        var outPath = args.String("out");
        args.ThrowIfUnknown();
        if (hone.Count + optuna.Count == 0)
        {
            throw new UsageException("compare needs --hone and/or --optuna result files.");
        }

        var records = hone.Concat(optuna).SelectMany(RunRecord.ReadAll).ToList();
        var budget = records.Min(r => r.BestSoFar.Count);
        var summary = new RegretSummary(records, checkpoints.Where(c => c <= budget).DefaultIfEmpty(budget).ToList());
        var markdown = ComparisonReport.ToMarkdown(summary);
        Console.WriteLine(markdown);
        if (outPath is not null)
        {
            File.WriteAllText(outPath, markdown);
        }

        return 0;
    }
}
