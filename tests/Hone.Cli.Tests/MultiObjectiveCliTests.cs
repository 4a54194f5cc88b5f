using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

public sealed class MultiObjectiveCliTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Optimize_MaximizeAndMinimize_WithConstraints_DefaultSampler_AndTrialsShowsFeasibility()
    {
        // accuracy (maximised) grows with x, size (minimised) too; the constraint keeps size ≤ 0.8.
        _dir.Write("obj.sh", """
            #!/bin/sh
            echo "hone:constraint name=size_limit value=$(awk -v x="$HONE_PARAM_X" 'BEGIN { printf "%.6f", x - 0.8 }')"
            awk -v x="$HONE_PARAM_X" 'BEGIN { printf "{\"accuracy\": %.6f, \"size\": %.6f}\n", 1 - (1 - x) * (1 - x), x }'
            """);
        _dir.Write("sweep.yaml", """
            study: s
            directions: [maximize, minimize]
            metrics: [accuracy, size]
            parameters:
              x: {type: float, low: 0, high: 1}
            command: ./obj.sh
            trials: 16
            """);

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var study = Study.Load("s", _dir.StorageUrl);
        Assert.Equal([StudyDirection.Maximize, StudyDirection.Minimize], study.Directions);
        var complete = study.GetTrials(TrialState.Complete);
        Assert.Equal(16, complete.Count);
        Assert.All(study.BestTrials, t => Assert.True(t.IsFeasible && (double)t.Params["x"]! <= 0.8));

        var listed = await CliRunner.RunAsync("trials", "--storage", _dir.StorageUrl, "--study-name", "s", "--format", "csv");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var lines = listed.Output.TrimEnd().Split('\n');
        Assert.Contains("constraints", lines[0].Split(','));
        var infeasible = complete.Count(t => !t.IsFeasible);
        Assert.Equal(infeasible, lines.Count(l => l.Contains("violates size_limit=", StringComparison.Ordinal)));
        Assert.Equal(16 - infeasible, lines.Count(l => l.Contains(",feasible,", StringComparison.Ordinal)));
    }
}
