using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

/// <summary>The sweep's <c>trials</c> is a total over the study, and failed trials do not count toward it.</summary>
public sealed class BudgetTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public BudgetTests() => _dir.Write("emit.sh", """
        #!/bin/sh
        [ -e broken ] && { echo "broken on purpose" >&2; exit 1; }
        printf '{"loss": %s}\n' "$1"
        """);

    public void Dispose() => _dir.Dispose();

    private Study Load() => Study.Load("s", _dir.StorageUrl);

    private void WriteSweep(string command, string extra = "") => _dir.Write("sweep.yaml", $$"""
        study: s
        metric: loss
        sampler: {name: random, seed: 3}
        parameters:
          x: {type: float, low: -2, high: 2}
        command: {{command}}
        trials: 3
        {{extra}}
        """);

    private int Count(TrialState state) => Load().GetTrials(state).Count;

    [Fact]
    public async Task EveryTrialFailed_FixedCommand_RerunRunsTheWholeBudget()
    {
        WriteSweep("[./emitt.sh, \"{x}\"]"); // the typo
        var broken = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);
        Assert.True(broken.ExitCode == 3, broken.ToString());
        Assert.Equal(3, Count(TrialState.Fail)); // an always-failing command ends the run after its trials

        WriteSweep("[./emit.sh, \"{x}\"]");
        var fixedRun = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(fixedRun.ExitCode == 0, fixedRun.ToString());
        Assert.Contains("0 complete, 3 failed (not counted), 3 trial(s) to run", fixedRun.Output, StringComparison.Ordinal);
        Assert.Equal(3, Count(TrialState.Complete));
        Assert.Equal(3, Count(TrialState.Fail));
    }

    [Fact]
    public async Task SomeTrialsFailed_RerunTopsUpToTheTarget_AndThenRunsNothing()
    {
        WriteSweep("[./emit.sh, \"{x}\"]");
        Assert.Equal(0, (await CliRunner.RunAsync("optimize", _dir["sweep.yaml"], "--trials", "2")).ExitCode);
        _dir.Write("broken", string.Empty);
        Assert.Equal(3, (await CliRunner.RunAsync("optimize", _dir["sweep.yaml"], "--trials", "4")).ExitCode);
        Assert.Equal(2, Count(TrialState.Fail));
        File.Delete(_dir["broken"]);

        var rerun = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"], "--trials", "4");

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("2 complete, 2 failed (not counted), 2 trial(s) to run", rerun.Output, StringComparison.Ordinal);
        Assert.Equal(4, Count(TrialState.Complete));

        var again = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"], "--trials", "4");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("4 complete, 2 failed (not counted), 0 trial(s) to run", again.Output, StringComparison.Ordinal);
        Assert.Equal(6, Load().Trials.Count);
    }

    [Fact]
    public async Task Tune_ResumedStudy_TrialsIsATotalToo()
    {
        var data = Path.Combine(CodeRoot(), "data", "wine_data.csv");
        string[] Args(string n) =>
            ["tune", "--data", data, "--task", "multiclass", "--trainers", "SdcaMaximumEntropy", "-n", n,
             "--validation", "holdout:0.3", "--storage", _dir.StorageUrl, "--study-name", "wine", "--out", _dir["out"], "--quiet"];

        Assert.Equal(0, (await CliRunner.RunAsync(Args("2"))).ExitCode);
        var resumed = await CliRunner.RunAsync(Args("3"));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(3, Study.Load("wine", _dir.StorageUrl).Trials.Count(t => t.State.IsFinished()));
    }

    private static string CodeRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hone.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("no Hone.slnx above the test's output");
    }

    [Fact]
    public async Task AlwaysFailingWithRetries_StopsAfterEachTrialsAttempts()
    {
        WriteSweep("[./emit.sh, \"{x}\"]", "retries: 1");
        _dir.Write("broken", string.Empty);

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(6, Count(TrialState.Fail)); // 3 trials, each tried twice
    }
}
