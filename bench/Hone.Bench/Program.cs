using Hone.Bench.Cli;
using Hone.Bench.Commands;

namespace Hone.Bench;

internal static class Program
{
    private static readonly string Usage = $"""
        Hone benchmarks (see docs/benchmarks.md).

        usage: dotnet run -c Release --project bench/Hone.Bench -- <command> [options]

          {OverheadCommand.Usage}
          {SuiteCommand.Usage}
          {CompareCommand.Usage}
          {TpeOverheadCommand.Usage}
          {RefineCommand.Usage}
          {FunctionsCommand.Usage}
          {PrunerCommand.Usage}
          {RealSuiteCommand.Usage}
          {RealReportCommand.Usage}
          {RealEvalServerCommand.Usage}
          {MultiObjectiveCommand.Usage}
          {MultiObjectivePruningCommand.Usage}
          {MultiObjectiveCostCommand.Usage}
          {ImportanceCommand.Usage}
          {DashboardCommand.Usage}
          {ReevaluationCommand.Usage}
          {MetaLearningCommand.Usage}
        """;

    public static int Main(string[] args)
    {
        try
        {
            var parsed = BenchArgs.Parse(args);
            return parsed.Command switch
            {
                "overhead" => OverheadCommand.Run(parsed),
                "suite" => SuiteCommand.Run(parsed),
                "compare" => CompareCommand.Run(parsed),
                "tpe-overhead" => TpeOverheadCommand.Run(parsed),
                "refine" => RefineCommand.Run(parsed),
                "functions" => FunctionsCommand.Run(parsed),
                "pruners" => PrunerCommand.Run(parsed),
                "real" => RealSuiteCommand.Run(parsed),
                "real-report" => RealReportCommand.Run(parsed),
                "real-eval-server" => RealEvalServerCommand.Run(parsed),
                "mo" => MultiObjectiveCommand.Run(parsed),
                "mo-prune" => MultiObjectivePruningCommand.Run(parsed),
                "mo-cost" => MultiObjectiveCostCommand.Run(parsed),
                "importance" => ImportanceCommand.Run(parsed),
                "dashboard" => DashboardCommand.Run(parsed),
                "reevaluation" => ReevaluationCommand.Run(parsed),
                "meta-learning" => MetaLearningCommand.Run(parsed),
                "help" or "-h" or "--help" => PrintUsage(),
                _ => throw new UsageException($"Unknown command \"{parsed.Command}\"."),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine();
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    private static int PrintUsage()
    {
        Console.WriteLine(Usage);
        return 0;
    }
}
