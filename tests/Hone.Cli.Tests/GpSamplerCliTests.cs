using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

public sealed class GpSamplerCliTests : IDisposable
{
    private const string Good = TempFolder.GoodSweep;

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<CliResult> CheckAsync(string yaml) => _dir.CheckAsync(yaml);

    [Theory]
    [InlineData("sampler: gp")]
    [InlineData("sampler: {name: gp, seed: 3, startup_trials: 4, deterministic_objective: true, warp_output: true}")]
    [InlineData("sampler: {name: gp, n_startup_trials: 0}")]
    public async Task GpSampler_Options_Check(string line)
    {
        var result = await CheckAsync(Good + "\n" + line + "\n");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("sampler: {name: gp, startup_trials: -1}", "sampler.startup_trials must be an integer ≥ 0; got -1")]
    [InlineData("sampler: {name: gp, n_startup_trials: many}", "sampler.n_startup_trials must be an integer ≥ 0; got \"many\"")]
    [InlineData("sampler: {name: gp, startup: 3}", "unknown key \"startup\" in sampler")]
    [InlineData("sampler: {name: gp, warp_output: maybe}", "sampler.warp_output")]
    [InlineData("sampler: {name: gp, startup_trials: 2, n_startup_trials: 3}", "give startup_trials or n_startup_trials (the same setting), not both")]
    [InlineData("sampler: gpp", "unknown sampler \"gpp\"; did you mean \"gp\"?")]
    public async Task GpSampler_BadOption_IsReportedByItsYamlKey(string line, string expected)
    {
        var result = await CheckAsync(Good + "\n" + line + "\n");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("GpSamplerOptions", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Optimize_WithGpSampler_RunsAndImproves()
    {
        _dir.Write("obj.sh", """
            #!/bin/sh
            awk -v x="$HONE_PARAM_X" -v k="$HONE_PARAM_K" 'BEGIN { printf "{\"loss\": %.6f}\n", (x - 0.3) * (x - 0.3) + (k - 2) * (k - 2) }'
            """);
        _dir.Write("sweep.yaml", """
            study: s
            metric: loss
            sampler: {name: gp, seed: 1, n_startup_trials: 4}
            parameters:
              x: {type: float, low: -1, high: 2}
              k: {type: int, low: 0, high: 6}
            command: ./obj.sh
            trials: 12
            """);

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var study = Study.Load("s", _dir.StorageUrl);
        Assert.Equal(12, study.GetTrials(TrialState.Complete).Count);
        Assert.True(study.BestValue < 0.1, $"best {study.BestValue}");
    }
}
