using Hone.Bench.Cli;
using Hone.Bench.Problems;

namespace Hone.Bench.Commands;

/// <summary>Writes bench/functions.json from the C# problem definitions and lists the problems.</summary>
internal static class FunctionsCommand
{
    public const string Usage = "functions [--out bench/functions.json]";

    public static int Run(BenchArgs args)
    {
        var path = args.String("out", RepoPaths.FunctionsJson);
        args.ThrowIfUnknown();
        File.WriteAllText(path, FunctionsFile.Render(ProblemCatalog.All));
        Console.WriteLine($"Wrote {path}:");
        foreach (var p in ProblemCatalog.All)
        {
            Console.WriteLine($"  {p.Name,-12} {p.Space.Count,2} params, optimum {p.Optimum:R}  {p.Description}");
        }

        return 0;
    }
}
