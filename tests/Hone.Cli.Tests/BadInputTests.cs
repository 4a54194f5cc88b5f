namespace Hone.Cli.Tests;

public sealed class BadInputTests : IDisposable
{
    private const string Good = TempFolder.GoodSweep;

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<CliResult> CheckAsync(string yaml) => _dir.CheckAsync(yaml);

    [Fact]
    public async Task GoodSweep_Checks()
    {
        var result = await CheckAsync(Good);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("parameter:  lr", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sampler: {name: cmaes, lr_adapt: true}")]
    [InlineData("sampler: {name: cmaes, warm_start: true, warm_start_gamma: 0.2, lr_adapt: false}")]
    public async Task CmaesLearningRateAndWarmStartOptions_Check(string extraLine)
    {
        var result = await CheckAsync(Good + "\n" + extraLine + "\n");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("trails: 3", "sweep.yaml:8:1: unknown key \"trails\" in the sweep file; did you mean \"trials\"?")]
    [InlineData("jobs: two", "sweep.yaml:8:7: jobs must be an integer ≥ 1; got \"two\"")]
    [InlineData("jobs: 0", "sweep.yaml:8:7: jobs must be an integer ≥ 1; got 0")]
    [InlineData("timeout: ten minutes", "sweep.yaml:8:10: timeout must be a positive duration")]
    [InlineData("sampler: tpee", "sweep.yaml:8:10: unknown sampler \"tpee\"; did you mean \"tpe\"?")]
    [InlineData("sampler: {name: tpe, seeds: 1}", "sweep.yaml:8:22: unknown key \"seeds\" in sampler; did you mean \"seed\"?")]
    [InlineData("sampler: {name: tpe, startup_trials: -1}", "sampler.startup_trials must be an integer ≥ 0; got -1")]
    [InlineData("sampler: {name: cmaes, sigma0: 0}", "sampler.sigma0 is 0; it must be a positive fraction of each parameter's range")]
    [InlineData("sampler: {name: cmaes, restart_strategy: ipopp}", "sampler.restart_strategy \"ipopp\" is unknown; did you mean \"ipop\"?")]
    [InlineData("sampler: {name: auto, gp_trials: -1}", "sampler.gp_trials must be an integer ≥ 0; got -1")]
    [InlineData("sampler: {name: auto, gp_max_dimensions: 0}", "sampler.gp_max_dimensions must be an integer ≥ 1; got 0")]
    [InlineData("sampler: {name: cmaes, warm_start_gamma: 0}", "sampler.warm_start_gamma is 0; it must be the fraction of the best earlier trials to warm-start from, in (0, 1]")]
    [InlineData("sampler: {name: cmaes, warm_start_gamma: 1.5}", "sampler.warm_start_gamma is 1.5;")]
    [InlineData("sampler: {name: cmaes, lr_adapt: sometimes}", "sampler.lr_adapt")]
    [InlineData("sampler: {name: cmaes, lr_adpat: true}", "unknown key \"lr_adpat\" in sampler; did you mean \"lr_adapt\"?")]
    [InlineData("pruner: medain", "unknown pruner \"medain\"; did you mean \"median\"?")]
    [InlineData("pruner: {name: median, warmup_step: 2}", "unknown key \"warmup_step\" in pruner; did you mean \"warmup_steps\"?")]
    [InlineData("pruner: {name: percentile, percentile: 150}", "pruner percentile:")]
    [InlineData("direction: minimise", "sweep.yaml:8:12: direction \"minimise\" is unknown; did you mean \"minimize\"?")]
    [InlineData("retries: -1", "retries must be an integer ≥ 0; got -1")]
    [InlineData("result: {regx: 'a(.*)'}", "unknown key \"regx\" in result; did you mean \"regex\"?")]
    [InlineData("result: {regex: 'no group'}", "has no group")]
    [InlineData("result: {regex: '(unclosed'}", "is not a valid regular expression")]
    [InlineData("directions: [minimize, maximize]", "there are 1 metric(s) but 2 direction(s)")]
    public async Task TopLevelProblem_IsReportedAtItsPlace(string extraLine, string expected)
    {
        var result = await CheckAsync(Good + "\n" + extraLine + "\n");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  lr: {type: float, low: 0.001, hihg: 1}", "sweep.yaml:4:33: unknown key \"hihg\" in parameter \"lr\"; did you mean \"high\"?")]
    [InlineData("  lr: {type: flaot, low: 0, high: 1}", "sweep.yaml:4:14: parameter \"lr\": type \"flaot\" is unknown; did you mean \"float\"?")]
    [InlineData("  lr: {type: float, low: 2, high: 1}", "sweep.yaml:4:7: parameter \"lr\": ")]
    [InlineData("  lr: {type: float, low: 0, high: 1, log: true}", "parameter \"lr\": ")]
    [InlineData("  lr: {type: int, low: 0.5, high: 3}", "parameter \"lr\": low must be an integer; got \"0.5\"")]
    [InlineData("  lr: {type: float, low: 0, high: 1, choices: [1, 2]}", "\"choices\" is for categorical parameters")]
    [InlineData("  lr: {low: 0, high: 1}", "sweep.yaml:4:7: parameter \"lr\" needs \"type\": float, int or categorical")]
    [InlineData("  lr: {type: categorical, choices: [a, a]}", "parameter \"lr\": ")]
    [InlineData("  lr: {type: float, low: 0, high: 1, when: {opt: sgd}}", "\"when\" refers to \"opt\", which is not a parameter defined before it")]
    [InlineData("  lr: 5", "parameter \"lr\" must be a mapping (key: value lines); got \"5\"")]
    public async Task ParameterProblem_NamesTheParameterAndTheRule(string lrLine, string expected)
    {
        var yaml = Good.Replace("  lr: {type: float, low: 0.001, high: 1, log: true}", lrLine, StringComparison.Ordinal);
        var result = await CheckAsync(yaml);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConditionValueThatCanNeverOccur_IsRejected()
    {
        var result = await CheckAsync(Good.Replace("  opt: [adam, sgd]", "  opt: [adam, sgd]\n  momentum: {type: float, low: 0, high: 1, when: {opt: sdg}}", StringComparison.Ordinal));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("sweep.yaml:6:56: parameter \"momentum\": \"when\" value \"sdg\" can never be taken by \"opt\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPlaceholder_SuggestsTheParameter()
    {
        var result = await CheckAsync(Good.Replace("\"{lr}\"", "\"{lrr}\"", StringComparison.Ordinal));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("sweep.yaml:6:23: command: placeholder {lrr} is not a parameter; did you mean \"lr\"?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task YamlSyntaxError_HasLineAndColumn()
    {
        var result = await CheckAsync("study: s\nparameters:\n  x: {type: float, low: 0\ncommand: [a]\n");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("sweep.yaml:3:23: YAML syntax error", result.Error, StringComparison.Ordinal);
        result = await CheckAsync("study: s\n  bad: indentation\n");
        Assert.Equal(2, result.ExitCode);
        Assert.Matches(@"sweep\.yaml:2:\d+: YAML syntax error: ", result.Error);
    }

    [Fact]
    public async Task SeveralProblems_AreAllReported()
    {
        var result = await CheckAsync("study: s\ntrails: 1\njobs: x\n");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("\"trails\"", result.Error, StringComparison.Ordinal);
        Assert.Contains("jobs must be", result.Error, StringComparison.Ordinal);
        Assert.Contains("no \"parameters\"", result.Error, StringComparison.Ordinal);
        Assert.Contains("no \"command\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyAndNonMappingFiles_AreRejected()
    {
        Assert.Contains("the sweep file is empty", (await CheckAsync(string.Empty)).Error, StringComparison.Ordinal);
        Assert.Contains("sweep.yaml:1:1: the sweep file must be a mapping", (await CheckAsync("- a\n- b\n")).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "optimize" }, "Required argument 'sweep' missing")]
    [InlineData(new[] { "optimize", "/nonexistent/sweep.yaml" }, "sweep file \"/nonexistent/sweep.yaml\" does not exist")]
    [InlineData(new[] { "frobnicate" }, "Unrecognized command or argument 'frobnicate'")]
    [InlineData(new[] { "trials", "--format", "xml" }, "xml")]
    [InlineData(new[] { "enqueue", "--storage", "inmemory", "--params", "{" }, "")]
    [InlineData(new[] { "create-study", "--storage", "inmemory", "--directions", "up" }, "direction \"up\" is unknown")]
    [InlineData(new[] { "trials", "--storage", "nosuch://x" }, "")]
    public async Task BadCommandLine_ExitsWithUsageOrError(string[] args, string expected)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.True(result.ExitCode is 1 or 2, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownStudy_SuggestsTheNearestName()
    {
        var url = _dir.StorageUrl;
        Assert.Equal(0, (await CliRunner.RunAsync("create-study", "--storage", url, "--study-name", "mnist-lr")).ExitCode);
        var result = await CliRunner.RunAsync("trials", "--storage", url, "--study-name", "mnist-rl");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no study named \"mnist-rl\"", result.Error, StringComparison.Ordinal);
        Assert.Contains("did you mean \"mnist-lr\"?", result.Error, StringComparison.Ordinal);
    }
}
