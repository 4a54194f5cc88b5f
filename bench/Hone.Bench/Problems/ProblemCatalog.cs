namespace Hone.Bench.Problems;

/// <summary>The problems of the synthetic suite (design.md section 7), by name.</summary>
internal static class ProblemCatalog
{
    public static IReadOnlyList<BenchmarkProblem> All { get; } =
    [
        new Branin(),
        new Hartmann6(),
        new Rosenbrock(5),
        new Ackley(5),
        new Levy(10),
        new StyblinskiTang(5),
        new TrainingLoss(),
        new ClassifierChoice(),
        new Plateau(),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(p => p.Name).ToArray();

    /// <summary>The position of a problem in the suite, or int.MaxValue for an unknown name.</summary>
    public static int IndexOf(string name)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i].Name == name)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    public static BenchmarkProblem Get(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new Cli.UsageException($"Unknown function \"{name}\"; known: {string.Join(", ", Names)}.");
}
