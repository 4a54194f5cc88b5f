using System.Diagnostics;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

/// <summary>
/// `hone optimize` killed outright (SIGKILL): its trial programs die with it, the next run fails (or retries) their
/// trials at once and runs exactly the trials still missing; and a normal exit leaves the .db file complete alone.
/// </summary>
public sealed class CrashSafetyTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private void WriteSweep(int trials, int jobs, string extra = "")
    {
        // While the file "slow" exists each program records its pid and a grandchild's, and sleeps.
        _dir.Write("obj.sh", """
            #!/bin/sh
            if [ -e slow ]; then
              sleep 120 &
              echo $! > "grandchild-$HONE_TRIAL_NUMBER.pid"
              echo $$ > "child-$HONE_TRIAL_NUMBER.pid"
              wait
            fi
            echo "{\"loss\": $HONE_PARAM_X}"
            """);
        _dir.Write("sweep.yaml", $"""
            study: s
            metric: loss
            sampler: {"{"}name: random, seed: 5{"}"}
            parameters:
              x: {"{"}type: float, low: 0, high: 10{"}"}
            command: ./obj.sh
            trials: {trials}
            jobs: {jobs}
            {extra}
            """);
    }

    private int[] Pids(string prefix) =>
        [.. Directory.GetFiles(_dir.Path, prefix + "-*.pid").Select(f => int.Parse(File.ReadAllText(f).Trim(), System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task SigkillOfHone_KillsEveryTrialProgramWithinOneSecond_RerunFailsThemAtOnce_AndRunsExactlyTheMissingTrials()
    {
        WriteSweep(trials: 6, jobs: 4);
        _dir.Write("slow", string.Empty);
        using (var hone = CliRunner.Start(_dir.Path, "optimize", "sweep.yaml", "--quiet"))
        {
            var clock = Stopwatch.StartNew();
            while (Pids("child").Length < 4 || Pids("grandchild").Length < 4)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "four trials should be running");
                await Task.Delay(50);
            }

            await Task.Delay(200);
            hone.Kill(); // SIGKILL: hone gets no chance to clean up
            await hone.WaitForExitAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var alive = Pids("child").Concat(Pids("grandchild")).Where(CliRunner.IsAlive).ToList();
        Assert.True(alive.Count == 0, $"still alive 1 s after hone was killed: {string.Join(", ", alive)}");

        File.Delete(_dir["slow"]);
        var clockRerun = Stopwatch.StartNew();
        var rerun = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.True(clockRerun.Elapsed < TimeSpan.FromSeconds(30), "the rerun does not wait for a heartbeat grace period");

        using var study = Study.Load("s", _dir.StorageUrl);
        var trials = study.Trials;
        var killed = trials.Where(t => t.State == TrialState.Fail).ToList();
        Assert.True(killed.Count == 4, rerun.ToString());
        Assert.All(killed, t => Assert.Contains("no longer running", t.SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal));
        Assert.Equal(6, trials.Count(t => t.State == TrialState.Complete));
        Assert.DoesNotContain(trials, t => t.State == TrialState.Running);
    }

    [Fact]
    public async Task SigkillOfHone_WithRetries_RerunRetriesTheKilledTrialsWithTheirParameters()
    {
        WriteSweep(trials: 3, jobs: 2, "retries: 1");
        _dir.Write("slow", string.Empty);
        using (var hone = CliRunner.Start(_dir.Path, "optimize", "sweep.yaml", "--quiet"))
        {
            var clock = Stopwatch.StartNew();
            while (Pids("child").Length < 2)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "two trials should be running");
                await Task.Delay(50);
            }

            hone.Kill();
            await hone.WaitForExitAsync();
        }

        File.Delete(_dir["slow"]);
        var rerun = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());

        using var study = Study.Load("s", _dir.StorageUrl);
        var trials = study.Trials;
        var killed = trials.Where(t => t.State == TrialState.Fail).ToList();
        Assert.Equal(2, killed.Count);
        foreach (var k in killed)
        {
            var retry = Assert.Single(trials, t => t.SystemAttrs.TryGetValue("failed_trial", out var f) && f.GetInt32() == k.Number);
            Assert.Equal(TrialState.Complete, retry.State);
            Assert.Equal(k.Params["x"], retry.Params["x"]);
        }

        Assert.Equal(3, trials.Count(t => t.State == TrialState.Complete));
    }

    [Fact]
    public async Task Optimize_NormalExit_LeavesTheDatabaseFileCompleteOnItsOwn()
    {
        WriteSweep(trials: 5, jobs: 2);
        using (var hone = CliRunner.Start(_dir.Path, "optimize", "sweep.yaml", "--quiet"))
        {
            var stderr = hone.StandardError.ReadToEndAsync();
            await hone.StandardOutput.ReadToEndAsync();
            await hone.WaitForExitAsync();
            Assert.True(hone.ExitCode == 0, await stderr);
        }

        AssertCompleteOnItsOwn(_dir.Db, "s", 5);
    }

    [Fact]
    public async Task Tune_NormalExit_LeavesTheDatabaseFileCompleteOnItsOwn()
    {
        using (var hone = CliRunner.Start(_dir.Path,
            "tune", "--data", TuneNamingTests.Data("iris.csv"), "--task", "multiclass", "--trainers", "SdcaMaximumEntropy", "-n", "3",
            "--validation", "holdout:0.3", "--storage", _dir.StorageUrl, "--out", _dir["out"], "--quiet"))
        {
            var stderr = hone.StandardError.ReadToEndAsync();
            await hone.StandardOutput.ReadToEndAsync();
            await hone.WaitForExitAsync();
            Assert.True(hone.ExitCode == 0, await stderr);
        }

        AssertCompleteOnItsOwn(_dir.Db, "iris-multiclass-accuracy", 3);
    }

    internal static void AssertCompleteOnItsOwn(string db, string study, int complete)
    {
        Assert.False(File.Exists(db + "-wal"), "no -wal file is left after a normal exit");
        Assert.False(File.Exists(db + "-shm"), "no -shm file is left after a normal exit");
        var copy = Path.Combine(Path.GetTempPath(), $"hone-copy-{Guid.NewGuid():N}.db");
        File.Copy(db, copy);
        try
        {
            using var loaded = Study.Load(study, "sqlite:///" + copy);
            Assert.Equal(complete, loaded.Trials.Count(t => t.State == TrialState.Complete));
        }
        finally
        {
            foreach (var f in new[] { copy, copy + "-wal", copy + "-shm" })
            {
                File.Delete(f);
            }
        }
    }
}
