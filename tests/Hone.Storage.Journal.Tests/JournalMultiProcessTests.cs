using System.Diagnostics;
using System.Text.Json;
using Hone.Storage.Tests;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Storage.Journal.Tests;

/// <summary>Worker processes (tests/Hone.Storage.Worker) sharing one journal file, some of them killed with SIGKILL.</summary>
public sealed class JournalMultiProcessTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void SixteenWorkers_OneStudy_EveryNumberUnique_NoTrialLost()
    {
        var path = _folder.File("sixteen.log");
        var url = "journal:///" + path;
        Study.Create(new StudyOptions { Name = "shared", StorageUrl = url }).Dispose();
        const int Workers = 16, PerWorker = 20;
        var workers = Enumerable.Range(0, Workers).Select(_ => External.StartWorker(url, "shared", PerWorker)).ToList();
        var results = workers.Select(Finish).ToList();
        Assert.All(results, r => Assert.True(r.ExitCode == 0, $"worker failed ({r.ExitCode}): {r.Error}"));

        using var study = Study.Load("shared", url);
        var trials = study.Trials;
        Assert.Equal(Enumerable.Range(0, Workers * PerWorker), trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.All(trials, t => Assert.Equal(3, t.Params.Count));
        AssertWholeLines(path);
        Assert.False(File.Exists(path + ".lock") || new FileInfo(path + ".lock").LinkTarget is not null, "no lock left behind");
    }

    [Fact]
    public void WorkerKilledMidTrial_TrialFailsAtOnce_IsRetried_StudyCompletes()
    {
        var url = "journal:///" + _folder.File("kill.log");
        Study.Create(new StudyOptions { Name = "kill", StorageUrl = url }).Dispose();
        string[] heartbeat = ["heartbeat-ms=100", "grace-ms=1000", "retries=1"];
        using var victim = External.StartWorker(url, "kill", 1, [.. heartbeat, "hang=1"]);
        var line = victim.StandardOutput.ReadLine();
        Assert.StartsWith("hanging", line, StringComparison.Ordinal);
        var victimNumber = int.Parse(line!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Thread.Sleep(300);
        victim.Kill();
        victim.WaitForExit();

        var survivor = Finish(External.StartWorker(url, "kill", 10, [.. heartbeat, "sleep-ms=20"]));
        Assert.True(survivor.ExitCode == 0, survivor.Error);

        using var study = Study.Load("kill", url);
        var trials = study.Trials;
        var dead = trials[victimNumber];
        Assert.Equal(TrialState.Fail, dead.State);
        Assert.Contains("no longer running", dead.SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
        var retry = Assert.Single(trials, t => t.SystemAttrs.ContainsKey("failed_trial"));
        Assert.Equal(victimNumber, retry.SystemAttrs["failed_trial"].GetInt32());
        Assert.Equal(TrialState.Complete, retry.State);
        Assert.Equal(dead.Params["x"], retry.Params["x"]);
        Assert.DoesNotContain(trials, t => t.State == TrialState.Running);
        Assert.Equal(10, trials.Count(t => t.State == TrialState.Complete));
    }

    [Fact]
    public void WorkersKilledAtRandomMoments_JournalStaysWhole_CompleteTrialsIntact_StudyContinues()
    {
        var path = _folder.File("chaos.log");
        var url = "journal:///" + path + "?stale_lock_seconds=2";
        Study.Create(new StudyOptions { Name = "chaos", StorageUrl = url }).Dispose();
        var random = new Random(7);
        var before = new Dictionary<int, FrozenTrial>();
        for (var round = 0; round < 4; round++)
        {
            var storage = new JournalStorage(StorageUrl.Parse(url));
            foreach (var t in storage.GetAllTrials(0).Where(t => t.State == TrialState.Complete))
            {
                before[t.Number] = t;
            }

            var count = storage.GetAllTrials(0).Count;
            var workers = Enumerable.Range(0, 4).Select(_ => External.StartWorker(url, "chaos", 100_000)).ToList();
            var deadline = Stopwatch.StartNew();
            while (storage.GetAllTrials(0).Count < count + 20 && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(20);
            }

            Thread.Sleep(random.Next(0, 200));
            foreach (var w in workers)
            {
                Thread.Sleep(random.Next(0, 30));
                w.Kill();
            }

            foreach (var w in workers)
            {
                w.WaitForExit();
                w.Dispose();
            }
        }

        var after = new JournalStorage(StorageUrl.Parse(url)).GetAllTrials(0);
        Assert.NotEmpty(before);
        foreach (var (number, t) in before)
        {
            Assert.Equal(t, after[number] with { }, TrialComparer.Instance);
        }

        Assert.Equal(Enumerable.Range(0, after.Count), after.Select(t => t.Number));
        var survivor = Finish(External.StartWorker(url, "chaos", 10));
        Assert.True(survivor.ExitCode == 0, survivor.Error);
        Assert.Equal(after.Count + 10, new JournalStorage(path).GetAllTrials(0).Count);
        AssertWholeLines(path);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>Every line of the journal is a JSON object, and the file ends with a newline.</summary>
    private static void AssertWholeLines(string path)
    {
        var text = File.ReadAllText(path);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line.Replace("NaN", "0", StringComparison.Ordinal).Replace("Infinity", "0", StringComparison.Ordinal));
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        }
    }

    private static (int ExitCode, string Output, string Error) Finish(Process p)
    {
        using (p)
        {
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                p.Kill(entireProcessTree: true);
                return (-1, output.Result, "timed out: " + error.Result);
            }

            return (p.ExitCode, output.Result, error.Result);
        }
    }

    /// <summary>Complete trials compared by what a killed worker must not change: state, values, params, times.</summary>
    private sealed class TrialComparer : IEqualityComparer<FrozenTrial>
    {
        public static readonly TrialComparer Instance = new();

        public bool Equals(FrozenTrial? x, FrozenTrial? y) =>
            x is not null && y is not null && x.State == y.State && x.Values!.SequenceEqual(y.Values!) &&
            x.InternalParams.OrderBy(p => p.Key).SequenceEqual(y.InternalParams.OrderBy(p => p.Key)) &&
            x.DatetimeComplete == y.DatetimeComplete;

        public int GetHashCode(FrozenTrial obj) => obj.Number;
    }
}
