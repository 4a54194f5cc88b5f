using System.Diagnostics;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

public sealed class PruningAndSignalTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private Study Load() => Study.Load("s", _dir.StorageUrl);

    [Fact]
    public async Task HoneReportLines_FeedThePruner_PrunedChildIsTerminated()
    {
        _dir.Write("train.sh", """
            #!/bin/sh
            # value at step s: x + 1/(s+1); 10 steps, slow ones for bad x so the pruner surely acts first
            pause=0.02
            [ "$HONE_PARAM_X" = 9 ] && pause=1
            for s in 0 1 2 3 4 5 6 7 8 9; do
              awk -v x="$HONE_PARAM_X" -v s=$s 'BEGIN { printf "hone:report step=%d value=%.6f\n", s, x + 1/(s+1) }'
              sleep $pause
            done
            touch "finished-$HONE_TRIAL_NUMBER"
            echo "{\"loss\": $HONE_PARAM_X}"
            """);
        _dir.Write("sweep.yaml", """
            study: s
            metric: loss
            sampler: random
            pruner: {name: median, startup_trials: 2, warmup_steps: 0}
            parameters:
              x: {type: float, low: 0, high: 10}
            command: ./train.sh
            grace_period: 2s
            """);
        Assert.Equal(0, (await CliRunner.RunAsync("create-study", "--storage", _dir.StorageUrl, "--study-name", "s")).ExitCode);
        foreach (var x in new[] { "1", "2", "9", "0.5" })
        {
            var enqueued = await CliRunner.RunAsync("enqueue", "--storage", _dir.StorageUrl, "--study-name", "s", "--params", $"{{\"x\": {x}}}");
            Assert.True(enqueued.ExitCode == 0, enqueued.ToString());
        }

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"], "--trials", "4");

        Assert.True(result.ExitCode == 0, result.ToString());
        var trials = Load().Trials;
        Assert.Equal([TrialState.Complete, TrialState.Complete, TrialState.Pruned, TrialState.Complete], trials.Select(t => t.State));
        Assert.Equal(9.0, trials[2].Params["x"]);
        Assert.False(File.Exists(_dir["finished-2"]), "the pruned trial's program was stopped before it finished");
        Assert.True(trials[2].IntermediateValues.Count < 10);
        Assert.Equal(10, trials[3].IntermediateValues.Count);
        Assert.Contains("pruned", result.Output, StringComparison.Ordinal);
    }

    private void WriteSlowSweep()
    {
        // Sleeps (with a grandchild) while the file "slow" exists; otherwise answers at once.
        _dir.Write("obj.sh", """
            #!/bin/sh
            if [ -e slow ]; then
              sleep 60 &
              echo $! > "grandchild-$HONE_TRIAL_NUMBER.pid"
              wait
            fi
            echo "{\"loss\": $HONE_PARAM_X}"
            """);
        _dir.Write("slow", string.Empty);
        _dir.Write("sweep.yaml", """
            study: s
            metric: loss
            sampler: {name: random, seed: 3}
            parameters:
              x: {type: float, low: 0, high: 10}
            command: ./obj.sh
            trials: 4
            jobs: 2
            grace_period: 3s
            """);
    }

    private async Task<(int ExitCode, string Output)> InterruptWhenTwoRunAsync(params string[] extra)
    {
        using var hone = CliRunner.Start(_dir.Path, ["optimize", "sweep.yaml", .. extra]);
        var stdout = hone.StandardOutput.ReadToEndAsync();
        var stderr = hone.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(_dir["grandchild-0.pid"]) && File.Exists(_dir["grandchild-1.pid"])))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                Assert.Fail("two trials should be running: " + await Finish(hone, stdout, stderr));
            }

            await Task.Delay(50);
        }

        CliRunner.Signal(hone.Id, "INT");
        var exited = hone.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(40))) != exited)
        {
            Assert.Fail("hone should exit within 40 s of Ctrl+C; its output so far: " + await Finish(hone, stdout, stderr));
        }

        return (hone.ExitCode, await stdout + await stderr);
    }

    private static async Task<string> Finish(Process p, Task<string> stdout, Task<string> stderr)
    {
        p.Kill(entireProcessTree: true);
        await p.WaitForExitAsync();
        return await stdout + await stderr;
    }

    private int[] Grandchildren() =>
        [.. Directory.GetFiles(_dir.Path, "grandchild-*.pid").Select(f => int.Parse(File.ReadAllText(f).Trim(), System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task CtrlC_StopsChildren_RecordsFail_Exits130_RerunResumes()
    {
        WriteSlowSweep();

        var (code, output) = await InterruptWhenTwoRunAsync();

        Assert.True(code == 130, output);
        var trials = Load().Trials;
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Fail, t.State));
        Assert.All(trials, t => Assert.True(t.SystemAttrs.ContainsKey("hone_interrupted")));
        Assert.All(Grandchildren(), pid => Assert.False(CliRunner.IsAlive(pid), $"grandchild {pid} was stopped"));

        File.Delete(_dir["slow"]);
        var rerun = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        var after = Load().Trials;
        Assert.Equal(6, after.Count);
        Assert.Equal(4, after.Count(t => t.State == TrialState.Complete));
        Assert.Contains("0 complete, 2 failed (not counted)", rerun.Output, StringComparison.Ordinal); // interrupted trials do not count
    }

    [Fact]
    public async Task CtrlC_WithRequeueInterrupted_RerunTakesTheSameParamsFirst()
    {
        WriteSlowSweep();

        var (code, output) = await InterruptWhenTwoRunAsync("--requeue-interrupted");

        Assert.True(code == 130, output);
        var trials = Load().Trials;
        Assert.Equal([TrialState.Fail, TrialState.Fail, TrialState.Waiting, TrialState.Waiting], trials.Select(t => t.State));

        File.Delete(_dir["slow"]);
        var rerun = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        var after = Load().Trials;
        Assert.Equal(TrialState.Complete, after[2].State);
        Assert.Equal(TrialState.Complete, after[3].State);
        Assert.Equal(
            new[] { after[0].Params["x"], after[1].Params["x"] }.Order(),
            new[] { after[2].Params["x"], after[3].Params["x"] }.Order());
        Assert.Equal(4, after.Count(t => t.State == TrialState.Complete));
    }
}
