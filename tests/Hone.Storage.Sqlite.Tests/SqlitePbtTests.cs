using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hone.Artifacts;
using Hone.Storage.Tests;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Storage.Sqlite.Tests;

/// <summary>Population-based training and checkpoints shared by worker processes through one SQLite file and the artifact folder beside it.</summary>
public sealed class SqlitePbtTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static (int ExitCode, string Output, string Error) Finish(Process p)
    {
        using (p)
        {
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                p.Kill(entireProcessTree: true);
                return (-1, output.Result, "timed out: " + error.Result);
            }

            return (p.ExitCode, output.Result, error.Result);
        }
    }

    private static int Attr(FrozenTrial t, string key) => t.SystemAttrs[key].GetInt32();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ThreeProcesses_OnePopulation_EverySegmentTrainedOnce_EveryMemberFinishes(int pb2)
    {
        var url = "sqlite:///" + _folder.File("pbt.db");
        Study.Create(new StudyOptions { Name = "pbt", StorageUrl = url, Direction = StudyDirection.Maximize }).Dispose();
        var workers = Enumerable.Range(0, 3).Select(_ => External.StartWorker(url, "pbt", 4, "pbt=4", "sleep-ms=30", $"pb2={pb2}")).ToList();
        var results = workers.Select(Finish).ToList();
        Assert.All(results, r => Assert.True(r.ExitCode == 0, $"worker failed ({r.ExitCode}): {r.Error}"));

        using var study = Study.Load("pbt", url);
        var trials = study.Trials;
        Assert.DoesNotContain(trials, t => t.State is TrialState.Running or TrialState.Waiting);
        Assert.All(trials.Where(t => t.State == TrialState.Fail), t =>
            Assert.Contains("finished before this trial got a segment", t.SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal));
        var segments = trials.Where(t => t.State == TrialState.Complete).ToList();
        var claims = segments.Select(t => (Attr(t, "pbt:member"), t.SystemAttrs["pbt:segment"].GetProperty("segment").GetInt32())).ToList();
        Assert.Equal(claims.Count, claims.Distinct().Count());
        Assert.Equal(4, segments.Select(t => Attr(t, "pbt:member")).Distinct().Count());
        Assert.All(segments.GroupBy(t => Attr(t, "pbt:member")), m => Assert.Equal(3, m.Max(t => Attr(t, "pbt:generation"))));

        // Every segment after the first started from a checkpoint another process may have written, intact.
        foreach (var t in segments.Where(t => t.SystemAttrs.ContainsKey("checkpoint_from")))
        {
            Assert.NotNull(study.LoadCheckpoint(t.SystemAttrs["checkpoint_from"].GetInt32()));
        }

        Assert.True(Directory.Exists(_folder.File("pbt.db.artifacts")));
        Assert.All(segments, t => Assert.True(t.Distributions["lr"].Contains(t.InternalParams["lr"]), $"lr = {t.Params["lr"]}"));
    }

    [Fact]
    public void WorkerKilledMidSegment_TheSegmentFailsAsStale_AnotherWorkerTrainsItAgain_PopulationFinishes()
    {
        var url = "sqlite:///" + _folder.File("stale.db");
        Study.Create(new StudyOptions { Name = "stale", StorageUrl = url, Direction = StudyDirection.Maximize }).Dispose();
        string[] options = ["pbt=2", "heartbeat-ms=100", "grace-ms=1000"];
        using var victim = External.StartWorker(url, "stale", 3, [.. options, "hang=1"]);
        var line = victim.StandardOutput.ReadLine();
        Assert.StartsWith("hanging", line, StringComparison.Ordinal);
        var dead = int.Parse(line!.Split(' ')[1], CultureInfo.InvariantCulture);
        victim.Kill();
        victim.WaitForExit();

        var survivor = Finish(External.StartWorker(url, "stale", 3, options));
        Assert.True(survivor.ExitCode == 0, survivor.Error);

        using var study = Study.Load("stale", url);
        Assert.Equal(TrialState.Fail, study.Trials[dead].State);
        var segments = study.GetTrials(TrialState.Complete);
        Assert.Equal(2, segments.Select(t => Attr(t, "pbt:member")).Distinct().Count());
        Assert.All(segments.GroupBy(t => Attr(t, "pbt:member")), m => Assert.Equal(2, m.Max(t => Attr(t, "pbt:generation"))));
        Assert.DoesNotContain(study.Trials, t => t.State == TrialState.Running);
    }

    [Fact]
    public void ProcessKilledMidSave_TheLastGoodCheckpointLoads_TheHalfWrittenOneIsNotRecorded()
    {
        var url = "sqlite:///" + _folder.File("kill.db");
        Study.Create(new StudyOptions { Name = "kill", StorageUrl = url }).Dispose();
        using var victim = External.StartWorker(url, "kill", 1, "kill-mid-save=1");
        var line = victim.StandardOutput.ReadLine();
        Assert.StartsWith("saved", line, StringComparison.Ordinal);
        var number = int.Parse(line!.Split(' ')[1], CultureInfo.InvariantCulture);
        Assert.True(victim.WaitForExit(TimeSpan.FromMinutes(1)));
        Assert.NotEqual(0, victim.ExitCode);

        using var study = Study.Load("kill", url);
        var record = Assert.Single(study.GetCheckpoints(number));
        Assert.Equal(1, record.Step);
        var loaded = study.LoadCheckpoint(number);
        Assert.NotNull(loaded);
        Assert.Equal("good", Encoding.UTF8.GetString(loaded.Data.Span));

        // Only the complete checkpoint has a final name; the interrupted write left at most a temporary file.
        var files = Directory.GetFiles(_folder.File("kill.db.artifacts")).Select(Path.GetFileName).ToList();
        Assert.Single(files, f => !f!.StartsWith('.'));
    }

    public void Dispose() => _folder.Dispose();
}
