using System.Diagnostics;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

/// <summary><c>hone worker</c>: runs a study by name with the sweep kept by <c>hone optimize</c>; drains on SIGTERM.</summary>
public sealed class WorkerTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public WorkerTests()
    {
        // Sleeps while the file "slow" exists (writing its pid first), then answers.
        _dir.Write("obj.sh", """
            #!/bin/sh
            echo $$ > "running-$HONE_TRIAL_NUMBER.pid"
            while [ -e slow ]; do sleep 0.1; done
            echo "{\"loss\": $HONE_PARAM_X}"
            """);
        _dir.Write("sweep.yaml", """
            study: s
            metric: loss
            sampler: {name: random, seed: 3}
            parameters:
              x: {type: float, low: 0, high: 10}
            command: ./obj.sh
            trials: 2
            grace_period: 2s
            """);
    }

    public void Dispose() => _dir.Dispose();

    private IReadOnlyList<FrozenTrial> Trials()
    {
        using var study = Study.Load("s", _dir.StorageUrl);
        return study.Trials;
    }

    private async Task OptimizeOnceAsync()
    {
        var optimize = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);
        Assert.True(optimize.ExitCode == 0, optimize.ToString());
    }

    [Fact]
    public async Task Worker_RunsTheStudyByName_WithTheSweepKeptByOptimize()
    {
        await OptimizeOnceAsync();
        File.Move(_dir["sweep.yaml"], _dir["moved.yaml"]); // the worker needs no sweep file

        var worker = await CliRunner.RunAsync("worker", "--storage", _dir.StorageUrl, "--study", "s", "--trials", "5");

        Assert.True(worker.ExitCode == 0, worker.ToString());
        var trials = Trials();
        Assert.Equal(5, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.All(trials, t => Assert.Equal(t.Params["x"], t.Values![0]));
    }

    [Fact]
    public async Task Worker_StopsAtTheStudysTarget_SharedWithOtherWorkers()
    {
        await OptimizeOnceAsync();

        var first = CliRunner.RunAsync("worker", "--storage", _dir.StorageUrl, "--study", "s", "--trials", "12", "--jobs", "2");
        var second = CliRunner.RunAsync("worker", "--storage", _dir.StorageUrl, "--study", "s", "--trials", "12", "--jobs", "2");
        var results = await Task.WhenAll(first, second);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var trials = Trials();
        Assert.InRange(trials.Count(t => t.State == TrialState.Complete), 12, 14); // each worker may overshoot by a trial, as Optuna's MaxTrialsCallback
        Assert.Equal(trials.Count, trials.Select(t => t.Number).Distinct().Count());
    }

    [Fact]
    public async Task Worker_CommandAfterDoubleDash_ReplacesTheSweepsCommand()
    {
        await OptimizeOnceAsync();
        _dir.Write("other.sh", """
            #!/bin/sh
            touch "other-$2"
            echo "{\"loss\": $1}"
            """);

        var worker = await CliRunner.RunAsync("worker", "--storage", _dir.StorageUrl, "--study", "s", "--trials", "3", "--", "./other.sh", "{x}", "{trial_number}");

        Assert.True(worker.ExitCode == 0, worker.ToString());
        Assert.True(File.Exists(_dir["other-2"]), worker.ToString());
        Assert.Equal(3, Trials().Count(t => t.State == TrialState.Complete));
    }

    [Fact]
    public async Task Worker_WithTheSweepFile_NeedsNoEarlierOptimize()
    {
        var worker = await CliRunner.RunAsync("worker", "--sweep", _dir["sweep.yaml"], "--trials", "2");

        Assert.True(worker.ExitCode == 0, worker.ToString());
        Assert.Equal(2, Trials().Count(t => t.State == TrialState.Complete));
    }

    [Fact]
    public async Task Worker_BadInput_NamesTheProblem()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("create-study", "--storage", _dir.StorageUrl, "--study-name", "bare")).ExitCode);
        var noSweep = await CliRunner.RunAsync("worker", "--storage", _dir.StorageUrl, "--study", "bare");
        Assert.True(noSweep.ExitCode == 2, noSweep.ToString());
        Assert.Contains("study \"bare\" has no sweep file kept with it", noSweep.Error, StringComparison.Ordinal);
        Assert.Contains("--sweep", noSweep.Error, StringComparison.Ordinal);

        await OptimizeOnceAsync();
        var unknown = await CliRunner.RunAsync("worker", "--storage", _dir.StorageUrl, "--study", "t");
        Assert.True(unknown.ExitCode == 1, unknown.ToString());
        Assert.Contains("no study named \"t\"", unknown.Error, StringComparison.Ordinal);

        var placeholder = await CliRunner.RunAsync("worker", "--storage", _dir.StorageUrl, "--study", "s", "--", "./obj.sh", "{lr}");
        Assert.True(placeholder.ExitCode == 2, placeholder.ToString());
        Assert.Contains("placeholder {lr} is not a parameter", placeholder.Error, StringComparison.Ordinal);

        var drain = await CliRunner.RunAsync("worker", "--storage", _dir.StorageUrl, "--study", "s", "--drain", "soon");
        Assert.True(drain.ExitCode == 2, drain.ToString());
        Assert.Contains("--drain", drain.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", noSweep.Error + unknown.Error + placeholder.Error + drain.Error, StringComparison.Ordinal);
    }

    /// <summary>Starts a worker process, waits for its first trial's program, sends SIGTERM; returns the exit code and output.</summary>
    private async Task<(int ExitCode, string Output, TimeSpan AfterSignal)> TerminateDuringFirstTrialAsync(string drain, Action? afterSignal = null)
    {
        _dir.Write("slow", string.Empty);
        using var worker = CliRunner.Start(_dir.Path, "worker", "--storage", _dir.StorageUrl, "--study", "s", "--trials", "10", "--drain", drain);
        var stdout = worker.StandardOutput.ReadToEndAsync();
        var stderr = worker.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!File.Exists(_dir["running-2.pid"]))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                worker.Kill(entireProcessTree: true);
                Assert.Fail("the worker should have started trial 2: " + await stdout + await stderr);
            }

            await Task.Delay(50);
        }

        CliRunner.Signal(worker.Id, "TERM");
        var signalled = Stopwatch.StartNew();
        afterSignal?.Invoke();
        var exited = worker.WaitForExitAsync();
        Assert.True(await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(40))) == exited, "the worker exits after SIGTERM");
        return (worker.ExitCode, await stdout + await stderr, signalled.Elapsed);
    }

    [Fact]
    public async Task Sigterm_RunningTrialFinishesWithinTheDrain_NoNewTrialStarts()
    {
        await OptimizeOnceAsync();

        var (code, output, _) = await TerminateDuringFirstTrialAsync("30s", afterSignal: () =>
        {
            Thread.Sleep(500);
            File.Delete(_dir["slow"]); // the trial finishes well inside the drain
        });

        Assert.True(code == 130, output);
        Assert.Contains("no new trials", output, StringComparison.Ordinal);
        var trials = Trials();
        Assert.Equal(3, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
    }

    [Fact]
    public async Task Sigterm_TrialStillRunningAfterTheDrain_IsStoppedAndQueuedAgain()
    {
        await OptimizeOnceAsync();

        var (code, output, afterSignal) = await TerminateDuringFirstTrialAsync("1s");

        Assert.True(code == 130, output);
        Assert.True(afterSignal < TimeSpan.FromSeconds(20), $"stopped after the drain and grace period, not later ({afterSignal})");
        var trials = Trials();
        Assert.Equal(4, trials.Count);
        Assert.Equal(TrialState.Fail, trials[2].State);
        Assert.True(trials[2].SystemAttrs.ContainsKey("hone_interrupted"), output);
        Assert.Equal(TrialState.Waiting, trials[3].State);
        Assert.False(CliRunner.IsAlive(int.Parse(File.ReadAllText(_dir["running-2.pid"]).Trim(), System.Globalization.CultureInfo.InvariantCulture)), "the trial's program was stopped");

        // The next worker takes the queued parameters first.
        File.Delete(_dir["slow"]);
        var next = await CliRunner.RunAsync("worker", "--storage", _dir.StorageUrl, "--study", "s", "--trials", "4");
        Assert.True(next.ExitCode == 0, next.ToString());
        var after = Trials();
        Assert.Equal(TrialState.Complete, after[3].State);
        Assert.Equal(after[2].Params["x"], after[3].Params["x"]);
    }
}

/// <summary>Storage paths in a sweep file are relative to the sweep file's folder, for SQLite and journal files alike.</summary>
public sealed class RelativeStorageTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("sqlite:///sub/study.db", "sub/study.db")]
    [InlineData("journal:///sub/study.log", "sub/study.log")]
    [InlineData("journal:///sub/study.log?lock=open", "sub/study.log")]
    public async Task RelativeStoragePath_IsBesideTheSweepFile_NotTheCurrentFolder(string storage, string file)
    {
        Directory.CreateDirectory(_dir["sub"]);
        _dir.Write("sweep.yaml", $$$"""
            study: s
            metric: loss
            storage: "{{{storage}}}"
            parameters:
              x: {type: float, low: 0, high: 1}
            command: [echo, "loss={x}"]
            result: {regex: 'loss=(\S+)'}
            trials: 2
            """);

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(_dir[file]), $"{file} beside the sweep file: {result}");
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, file)));
    }
}
