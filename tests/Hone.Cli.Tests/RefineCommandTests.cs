using System.Text.Json;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

/// <summary><c>hone refine</c>: a narrowed sweep file and a new linked study that <c>hone optimize</c> then runs.</summary>
public sealed class RefineCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public RefineCommandTests()
    {
        _dir.Write("loss.sh", """
            #!/bin/sh
            awk -v x="$1" -v n="$2" 'BEGIN { printf "{\"loss\": %.6f}\n", (x - 1) * (x - 1) + (n - 7) * (n - 7) / 100 }'
            """);
        _dir.Write("sweep.yaml", """
            # the coarse search
            study: coarse
            metric: loss
            sampler: {name: random, seed: 5}
            parameters:
              x: {type: float, low: -4, high: 4}
              n: {type: int, low: 0, high: 20}
              kind: [a, b]
            command: [./loss.sh, "{x}", "{n}", "{kind}"]
            trials: 40
            """);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Refine_WritesANarrowedSweep_CreatesTheLinkedStudy_AndOptimizeRunsItInsideTheNewRanges()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("optimize", _dir["sweep.yaml"], "-q")).ExitCode);

        var result = await CliRunner.RunAsync("refine", _dir["sweep.yaml"], "--quantile", "0.2", "--margin", "0.05");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("study \"coarse\": 40 complete trials", result.Output, StringComparison.Ordinal);
        Assert.Contains("  kind: kept", result.Output, StringComparison.Ordinal);
        Assert.Contains($"run it with: hone optimize {_dir["sweep.refined.yaml"]}", result.Output, StringComparison.Ordinal);
        using (var refined = Study.Load("coarse-refined", _dir.StorageUrl))
        {
            var from = refined.UserAttrs["hone.refined_from"];
            Assert.Equal("coarse", from.GetProperty("study").GetString());
            Assert.Equal(0.2, from.GetProperty("quantile").GetDouble());
            var x = from.GetProperty("ranges").GetProperty("x").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.True(x[0] > -4 && x[1] < 4 && x[0] < 1 && x[1] > 1, $"x narrowed to [{x[0]}, {x[1]}]");
        }

        var run = await CliRunner.RunAsync("optimize", _dir["sweep.refined.yaml"], "-n", "5", "-q");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var study = Study.Load("coarse-refined", _dir.StorageUrl);
        var xs = study.UserAttrs["hone.refined_from"].GetProperty("ranges").GetProperty("x").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(5, study.GetTrials(TrialState.Complete).Count);
        Assert.All(study.Trials, t =>
        {
            var d = Assert.IsType<FloatDistribution>(t.Distributions["x"]);
            Assert.Equal(xs[0], d.Low);
            Assert.Equal(xs[1], d.High);
            Assert.InRange((double)t.Params["x"]!, xs[0], xs[1]);
            Assert.Equal(new CategoricalDistribution(["a", "b"]), t.Distributions["kind"]);
        });
    }

    [Fact]
    public async Task Refine_BeforeTheStudyRan_OrOntoAnExistingStudy_SaysWhatToDo()
    {
        var early = await CliRunner.RunAsync("refine", _dir["sweep.yaml"]);
        Assert.True(early.ExitCode == 1, early.ToString());
        Assert.Contains("study \"coarse\" is not in", early.Error, StringComparison.Ordinal);
        Assert.Contains("run hone optimize", early.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync("optimize", _dir["sweep.yaml"], "-q", "-n", "6")).ExitCode);
        var clash = await CliRunner.RunAsync("refine", _dir["sweep.yaml"], "--study-name", "coarse");
        Assert.True(clash.ExitCode == 2, clash.ToString());
        Assert.Contains("study \"coarse\" already exists", clash.Error, StringComparison.Ordinal);
        Assert.Contains("--study-name", clash.Error, StringComparison.Ordinal);

        var bad = await CliRunner.RunAsync("refine", _dir["sweep.yaml"], "--margin", "3");
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("--margin", bad.Error, StringComparison.Ordinal);
    }
}
