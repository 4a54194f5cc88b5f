using System.Diagnostics;
using Hone.Studies;
using Hone.Tests.Storage;
using Hone.Trials;

namespace Hone.Storage.Tests;

/// <summary>
/// Many worker processes on one database, workers killed with SIGKILL mid-trial and mid-write. Run unchanged
/// against every shared SQL storage.
/// </summary>
public abstract class MultiProcessTests
{
    /// <summary>How many worker processes share the study.</summary>
    protected abstract int Workers { get; }

    /// <summary>A fresh, empty database for one test.</summary>
    protected abstract string NewDatabase();

    /// <summary>Checks the database's physical integrity (e.g. SQLite's integrity_check) and fails the test if broken.</summary>
    protected abstract void AssertIntegrity(string url);

    [StorageFact]
    public void ManyWorkers_OneStudy_EveryNumberUnique_NoTrialLost_NoError()
    {
        var url = NewDatabase();
        Study.Create(new StudyOptions { Name = "shared", StorageUrl = url });
        const int PerWorker = 20;
        var workers = Enumerable.Range(0, Workers).Select(_ => External.StartWorker(url, "shared", PerWorker)).ToList();
        var results = workers.Select(Finish).ToList();
        Assert.All(results, r => Assert.True(r.ExitCode == 0, $"worker failed ({r.ExitCode}): {r.Error}"));
        Assert.All(results, r => Assert.DoesNotContain("locked", r.Error, StringComparison.OrdinalIgnoreCase));

        var trials = Study.Load("shared", url).Trials;
        Assert.Equal(Workers * PerWorker, trials.Count);
        Assert.Equal(Enumerable.Range(0, Workers * PerWorker), trials.Select(t => t.Number).Order());
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.All(trials, t => Assert.Equal(3, t.Params.Count));
        AssertIntegrity(url);
    }

    [StorageFact]
    public void WorkerKilledMidTrial_TrialFailsAtOnce_IsRetried_StudyCompletes()
    {
        var url = NewDatabase();
        Study.Create(new StudyOptions { Name = "kill", StorageUrl = url });
        string[] heartbeat = ["heartbeat-ms=100", "grace-ms=1000", "retries=1"];
        using var victim = External.StartWorker(url, "kill", 1, [.. heartbeat, "hang=1"]);
        var line = victim.StandardOutput.ReadLine(); // "hanging N": the trial is Running with params stored
        Assert.StartsWith("hanging", line, StringComparison.Ordinal);
        var victimNumber = int.Parse(line!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Thread.Sleep(300); // a few heartbeats
        victim.Kill();
        victim.WaitForExit();

        var survivor = Finish(External.StartWorker(url, "kill", 30, [.. heartbeat, "sleep-ms=100"]));
        Assert.True(survivor.ExitCode == 0, survivor.Error);

        var trials = Study.Load("kill", url).Trials;
        var dead = trials[victimNumber];
        Assert.Equal(TrialState.Fail, dead.State);
        Assert.Contains("no longer running", dead.SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
        var retry = Assert.Single(trials, t => t.SystemAttrs.ContainsKey("failed_trial"));
        Assert.Equal(victimNumber, retry.SystemAttrs["failed_trial"].GetInt32());
        Assert.Equal($"[{victimNumber}]", retry.SystemAttrs["retry_history"].GetRawText());
        Assert.Equal(TrialState.Complete, retry.State);
        Assert.Equal(dead.Params["x"], retry.Params["x"]);
        Assert.Equal(dead.Params["c"], retry.Params["c"]);
        Assert.DoesNotContain(trials, t => t.State == TrialState.Running);
        Assert.Equal(30, trials.Count(t => t.State == TrialState.Complete));
    }

    [StorageFact]
    public void WorkersKilledAtRandomMoments_DatabaseStaysConsistent_CompleteTrialsIntact_StudyContinues()
    {
        var url = NewDatabase();
        Study.Create(new StudyOptions { Name = "chaos", StorageUrl = url });
        var random = new Random(7);
        var before = new Dictionary<int, FrozenTrial>();
        for (var round = 0; round < 6; round++)
        {
            foreach (var t in Study.Load("chaos", url).GetTrials(TrialState.Complete))
            {
                before[t.Number] = t;
            }

            var count = Study.Load("chaos", url).Trials.Count;
            var workers = Enumerable.Range(0, 4).Select(_ => External.StartWorker(url, "chaos", 100_000, "parallelism=2")).ToList();
            var deadline = Stopwatch.StartNew();
            while (Study.Load("chaos", url).Trials.Count < count + 20 && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(20); // wait until the workers are busy writing
            }

            Thread.Sleep(random.Next(0, 300));
            foreach (var w in workers)
            {
                Thread.Sleep(random.Next(0, 40));
                w.Kill();
            }

            foreach (var w in workers)
            {
                w.WaitForExit();
                w.Dispose();
            }

            AssertIntegrity(url);
        }

        var study = Study.Load("chaos", url);
        var after = study.Trials;
        Assert.NotEmpty(before);
        foreach (var (number, t) in before)
        {
            var now = after[number];
            Assert.Equal(TrialState.Complete, now.State);
            Assert.Equal(t.Values, now.Values);
            Assert.Equal(t.Params, now.Params);
            Assert.Equal(t.DatetimeComplete, now.DatetimeComplete);
        }

        Assert.Equal(Enumerable.Range(0, after.Count), after.Select(t => t.Number));
        var survivor = Finish(External.StartWorker(url, "chaos", 10));
        Assert.True(survivor.ExitCode == 0, survivor.Error);
        Assert.Equal(after.Count + 10, Study.Load("chaos", url).Trials.Count);
    }

    [StorageFact]
    public void WorkerKilledBetweenAskAndFirstBeat_TrialIsBornWithAHeartbeat_AndIsFailedLater()
    {
        var url = NewDatabase();
        Study.Create(new StudyOptions { Name = "born", StorageUrl = url }).Dispose();
        using (var victim = External.StartWorker(url, "born", 1, "heartbeat-ms=60000", "die-after-ask=1"))
        {
            var line = victim.StandardOutput.ReadLine();
            Assert.StartsWith("asked", line, StringComparison.Ordinal);
            victim.WaitForExit();
        }

        // Killed before its first scheduled beat (a minute away): the trial still carries its worker and a beat.
        using (var looking = Study.Load("born", url))
        {
            var orphan = Assert.Single(looking.Trials);
            Assert.Equal(TrialState.Running, orphan.State);
            Assert.True(orphan.SystemAttrs.ContainsKey("hone_worker"), "the trial names its worker");
        }

        var survivor = Finish(External.StartWorker(url, "born", 3, "heartbeat-ms=1000"));
        Assert.True(survivor.ExitCode == 0, survivor.Error);
        using var study = Study.Load("born", url);
        Assert.Equal(TrialState.Fail, study.Trials[0].State);
        Assert.Contains("no longer running", study.Trials[0].SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
        Assert.Equal(3, study.Trials.Count(t => t.State == TrialState.Complete));
    }

    /// <summary>
    /// Eight workers with a one-second heartbeat and the default grace period on a machine whose cores are all kept
    /// busy: no live trial may be failed as stale, no worker may die, and every trial is accounted for.
    /// </summary>
    [StorageFact]
    public void LoadedMachine_EightWorkers_NoLiveTrialFailed_NoWorkerDied()
    {
        var url = NewDatabase();
        Study.Create(new StudyOptions { Name = "loaded", StorageUrl = url }).Dispose();
        const int PerWorker = 130;
        using var hog = new CpuHog();
        var workers = Enumerable.Range(0, 8).Select(_ => External.StartWorker(url, "loaded", PerWorker, "heartbeat-ms=1000", "sleep-ms=5")).ToList();
        var results = workers.Select(Finish).ToList();
        hog.Dispose();

        Assert.All(results, r => Assert.True(r.ExitCode == 0, $"worker failed ({r.ExitCode}): {r.Error}"));
        using var study = Study.Load("loaded", url);
        var trials = study.Trials;
        Assert.Equal(8 * PerWorker, trials.Count);
        var failed = trials.Where(t => t.State != TrialState.Complete).ToList();
        Assert.True(failed.Count == 0,
            $"{failed.Count} trial(s) not Complete, e.g. #{failed.FirstOrDefault()?.Number}: {failed.FirstOrDefault()?.SystemAttrs.GetValueOrDefault("fail_reason")}");
        AssertIntegrity(url);
    }

    /// <summary>
    /// The same loaded machine with twenty random SIGKILLs of workers (each replaced by a new one): every killed trial
    /// ends Fail with its reason and is retried once, none is left Running, and every worker not killed finishes.
    /// </summary>
    [StorageFact]
    public void LoadedMachine_TwentyRandomKills_KilledTrialsFailAndRetry_NoneLeftRunning_SurvivorsFinish()
    {
        var url = NewDatabase();
        Study.Create(new StudyOptions { Name = "kills", StorageUrl = url }).Dispose();
        string[] options = ["heartbeat-ms=1000", "retries=1", "sleep-ms=200"];
        using var hog = new CpuHog();
        var random = new Random(16);
        var workers = Enumerable.Range(0, 8).Select(_ => External.StartWorker(url, "kills", 60, options)).ToList();

        // Kill only once trials run: on a heavily loaded machine the workers may take many seconds to start.
        var starting = Stopwatch.StartNew();
        while (starting.Elapsed < TimeSpan.FromSeconds(90))
        {
            using (var watch = Study.Load("kills", url))
            {
                if (watch.Trials.Count >= 8)
                {
                    break;
                }
            }

            Thread.Sleep(200);
        }

        Thread.Sleep(1000);
        for (var kill = 0; kill < 20; kill++)
        {
            Thread.Sleep(random.Next(100, 600));
            var i = random.Next(workers.Count);
            if (!workers[i].HasExited)
            {
                workers[i].Kill();
                workers[i].WaitForExit();
            }

            workers[i].Dispose();
            workers[i] = External.StartWorker(url, "kills", 60, options);
        }

        var results = workers.Select(Finish).ToList();
        hog.Dispose();
        Assert.All(results, r => Assert.True(r.ExitCode == 0, $"a surviving worker failed ({r.ExitCode}): {r.Error}"));
        Assert.All(results, r => Assert.Contains("done 60", r.Output, StringComparison.Ordinal));

        // One more worker finds whatever the last kills left behind.
        var last = Finish(External.StartWorker(url, "kills", 1, options));
        Assert.True(last.ExitCode == 0, last.Error);
        using var study = Study.Load("kills", url);
        var trials = study.Trials;
        Assert.Equal(Enumerable.Range(0, trials.Count), trials.Select(t => t.Number));
        Assert.DoesNotContain(trials, t => t.State == TrialState.Running);
        var failed = trials.Where(t => t.State == TrialState.Fail).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, t => Assert.Contains("no longer running", t.SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal));
        foreach (var t in failed.Where(t => !t.SystemAttrs.ContainsKey("failed_trial")))
        {
            // A first failure is retried once with the same parameters (unless its worker was killed while it waited).
            var retry = trials.SingleOrDefault(r => r.SystemAttrs.TryGetValue("failed_trial", out var f) && f.GetInt32() == t.Number);
            Assert.True(retry is not null, $"failed trial #{t.Number} was not retried");
            if (retry.Params.Count > 0 && t.Params.Count == retry.Params.Count)
            {
                Assert.Equal(t.Params, retry.Params);
            }
        }

        AssertIntegrity(url);
    }

    private static (int ExitCode, string Output, string Error) Finish(Process p)
    {
        using (p)
        {
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                p.Kill(entireProcessTree: true);
                return (-1, output.Result, "timed out: " + error.Result);
            }

            return (p.ExitCode, output.Result, error.Result);
        }
    }
}
