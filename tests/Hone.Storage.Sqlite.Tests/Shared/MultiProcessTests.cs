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
    public void WorkerKilledMidTrial_TrialFailsAfterGracePeriod_IsRetried_StudyCompletes()
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
        Assert.Contains("heartbeat", dead.SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
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
