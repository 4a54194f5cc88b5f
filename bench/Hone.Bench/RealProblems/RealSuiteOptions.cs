namespace Hone.Bench.RealProblems;

/// <summary>What one <c>real</c> invocation runs (the command line's options, checked).</summary>
internal sealed record RealSuiteOptions
{
    public required IReadOnlyList<RealProblem> Problems { get; init; }

    public required IReadOnlyList<string> HoneSamplers { get; init; }

    public required IReadOnlyList<string> OptunaSamplers { get; init; }

    public required int FirstSeed { get; init; }

    public required int Seeds { get; init; }

    public required int Budget { get; init; }

    /// <summary>Trial counts the report shows (those above the budget are left out).</summary>
    public required IReadOnlyList<int> Checkpoints { get; init; }

    public required int Jobs { get; init; }

    /// <summary>Random configurations per problem for the clip (0: use the random-sampler runs instead).</summary>
    public required int RandomConfigs { get; init; }

    public required string OutDir { get; init; }

    public required IReadOnlyList<(string A, string B)> Comparisons { get; init; }
}
