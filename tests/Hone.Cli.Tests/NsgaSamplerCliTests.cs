using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

public sealed class NsgaSamplerCliTests : IDisposable
{
    private const string Good = TempFolder.GoodSweep;

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<CliResult> CheckAsync(string yaml) => _dir.CheckAsync(yaml);

    [Theory]
    [InlineData("sampler: nsga2")]
    [InlineData("sampler: nsga3")]
    [InlineData("sampler: {name: nsga2, seed: 3, population_size: 20, crossover: uniform, crossover_prob: 0.8, swapping_prob: 0.4, mutation_prob: 0.1}")]
    [InlineData("sampler: {name: nsga2, crossover: blx_alpha, blx_alpha: 0.3, sbx_eta: 15, mutation_eta: 30}")]
    [InlineData("sampler: {name: nsga3, population_size: 92, dividing_parameter: 12, crossover: sbx}")]
    public async Task NsgaSamplers_Options_Check(string line)
    {
        var result = await CheckAsync(Good + "\n" + line + "\n");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("sampler: {name: nsga2, population_size: 1}", "sampler.population_size must be an integer ≥ 2; got 1")]
    [InlineData("sampler: {name: nsga2, crossover: sbxx}", "sampler.crossover \"sbxx\" is unknown; did you mean \"sbx\"?")]
    [InlineData("sampler: {name: nsga2, crossover_prob: 1.5}", "sampler.crossover_prob is 1.5; it must be a probability in [0, 1]")]
    [InlineData("sampler: {name: nsga2, mutation_prob: -0.1}", "sampler.mutation_prob is -0.1; it must be a probability in [0, 1]")]
    [InlineData("sampler: {name: nsga2, sbx_eta: -1}", "sampler.sbx_eta is -1; it must be a finite number ≥ 0")]
    [InlineData("sampler: {name: nsga2, dividing_parameter: 4}", "unknown key \"dividing_parameter\" in sampler")]
    [InlineData("sampler: {name: nsga3, dividing_parameter: 0}", "sampler.dividing_parameter must be an integer ≥ 1; got 0")]
    [InlineData("sampler: {name: nsga3, populaton_size: 4}", "unknown key \"populaton_size\" in sampler; did you mean \"population_size\"?")]
    [InlineData("sampler: nsga", "unknown sampler \"nsga\"; did you mean")]
    public async Task NsgaSamplers_BadOption_IsReportedByItsYamlKey(string line, string expected)
    {
        var result = await CheckAsync(Good + "\n" + line + "\n");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("SamplerOptions", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nsga2")]
    [InlineData("nsga3")]
    public async Task Optimize_TwoObjectives_WithConstraintLines(string sampler)
    {
        // Objectives x and 1 - x (every trial is Pareto-optimal), constraint x ≥ 0.5; one malformed line is ignored with a note.
        _dir.Write("obj.sh", """
            #!/bin/sh
            echo "hone:constraint name=x_at_least_half value=$(awk -v x="$HONE_PARAM_X" 'BEGIN { printf "%.6f", 0.5 - x }')"
            echo "hone:constraint name= value=1"
            awk -v x="$HONE_PARAM_X" -v y="$HONE_PARAM_Y" 'BEGIN { printf "{\"a\": %.6f, \"b\": %.6f}\n", x + y, 1 - x + y }'
            """);
        _dir.Write("sweep.yaml", $$"""
            study: s
            directions: [minimize, minimize]
            metrics: [a, b]
            sampler: {name: {{sampler}}, seed: 1, population_size: 6}
            parameters:
              x: {type: float, low: 0, high: 1}
              y: {type: float, low: 0, high: 1}
            command: ./obj.sh
            trials: 24
            """);

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var study = Study.Load("s", _dir.StorageUrl);
        var complete = study.GetTrials(TrialState.Complete);
        Assert.Equal(24, complete.Count);
        Assert.All(complete, t => Assert.Single(t.Constraints!));
        Assert.Contains(complete, t => !t.IsFeasible);
        Assert.NotEmpty(study.BestTrials);
        Assert.All(study.BestTrials, t => Assert.True(t.IsFeasible));
        Assert.Equal(3, complete.Max(t => t.SystemAttrs[$"{sampler}:generation"].GetInt32()));
    }
}
