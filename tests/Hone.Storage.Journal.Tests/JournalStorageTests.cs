using System.Text;
using System.Text.Json;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Storage.Journal.Tests;

/// <summary>What the journal adds to the storage contract: the file format, several readers and writers, torn lines, locks, URLs.</summary>
public sealed class JournalStorageTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static JsonElement Json(object? value) => AttributeValue.From("k", value);

    [Fact]
    public void EveryOperation_IsOneJsonLine_InOptunasFields()
    {
        var path = _folder.File("format.log");
        var s = new JournalStorage(path);
        var study = s.CreateStudy("format", [StudyDirection.Maximize]);
        var t = s.CreateTrial(study);
        s.SetTrialParam(t.TrialId, "x", 0.5, new FloatDistribution(0, 1));
        s.SetTrialIntermediateValue(t.TrialId, 2, double.NaN);
        s.SetTrialStateValues(t.TrialId, TrialState.Complete, [double.PositiveInfinity]);

        var lines = File.ReadAllLines(path);
        Assert.Equal(5, lines.Length);
        Assert.True(File.ReadAllText(path).EndsWith('\n'));
        Assert.StartsWith("{\"op_code\":0,\"worker_id\":\"hone-", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"study_name\":\"format\",\"directions\":[2]", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"op_code\":4", lines[1], StringComparison.Ordinal);
        Assert.Matches("\"datetime_start\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\"", lines[1]);
        Assert.Contains("\"param_name\":\"x\",\"param_value_internal\":0.5,\"distribution\":\"{", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"step\":2,\"intermediate_value\":NaN", lines[3], StringComparison.Ordinal);
        Assert.Contains("\"state\":1,\"values\":[Infinity]", lines[4], StringComparison.Ordinal);

        // A second storage replays the file to the same trial.
        var again = new JournalStorage(path).GetTrial(t.TrialId);
        Assert.Equal(s.GetTrial(t.TrialId).DatetimeComplete, again.DatetimeComplete);
        Assert.Equal([double.PositiveInfinity], again.Values);
        Assert.True(double.IsNaN(again.IntermediateValues[2]));
        Assert.Equal(0.5, again.Params["x"]);
    }

    [Fact]
    public void TwoStorages_OnOneFile_SeeEachOthersWrites_AndNumberTrialsTogether()
    {
        var path = _folder.File("two.log");
        var a = new JournalStorage(path);
        var b = new JournalStorage(path);
        var id = a.CreateStudy("shared", [StudyDirection.Minimize]);
        Assert.Equal(id, b.FindStudy("shared"));
        Assert.Throws<DuplicateStudyException>(() => b.CreateStudy("shared", [StudyDirection.Minimize]));

        var v0 = b.GetTrialsChangedSince(id, 0).Version;
        Parallel.For(0, 100, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var s = i % 2 == 0 ? a : b;
            var t = s.CreateTrial(id);
            s.SetTrialParam(t.TrialId, "x", i, new FloatDistribution(0, 100));
            s.SetTrialStateValues(t.TrialId, TrialState.Complete, [i]);
        });

        var seenByA = a.GetAllTrials(id);
        var seenByB = b.GetAllTrials(id);
        Assert.Equal(Enumerable.Range(0, 100), seenByA.Select(t => t.Number));
        Assert.Equal(seenByA.Select(t => (t.TrialId, t.Values![0], t.Params["x"])), seenByB.Select(t => (t.TrialId, t.Values![0], t.Params["x"])));
        Assert.All(seenByB, t => Assert.Equal(t.Values![0], (double)t.Params["x"]!));

        // Incremental reads across storages: b sees exactly what a changed after b's version.
        var changes = b.GetTrialsChangedSince(id, v0);
        Assert.Equal(100, changes.Trials.Count);
        var t100 = a.CreateTrial(id);
        a.SetTrialUserAttr(seenByA[3].TrialId, "note", Json("late"));
        var later = b.GetTrialsChangedSince(id, changes.Version);
        Assert.Equal([3, 100], later.Trials.Select(t => t.Number).Order());
        Assert.Equal("late", later.Trials.Single(t => t.Number == 3).UserAttrs["note"].GetString());
        Assert.Empty(b.GetTrialsChangedSince(id, later.Version).Trials);

        // A trial finished by one storage refuses changes through the other.
        a.SetTrialStateValues(t100.TrialId, TrialState.Pruned, null);
        Assert.Throws<TrialFinishedException>(() => b.SetTrialIntermediateValue(t100.TrialId, 1, 1));
    }

    [Fact]
    public void RefusedWrites_LeaveNoLine()
    {
        var path = _folder.File("refused.log");
        var s = new JournalStorage(path);
        var id = s.CreateStudy("r", [StudyDirection.Minimize]);
        var t = s.CreateTrial(id);
        s.SetTrialParam(t.TrialId, "c", 0, new CategoricalDistribution(["a", "b"]));
        s.SetTrialStateValues(t.TrialId, TrialState.Complete, [1]);
        var before = File.ReadAllBytes(path);

        Assert.Throws<TrialFinishedException>(() => s.SetTrialStateValues(t.TrialId, TrialState.Fail, null, retry: new FrozenTrial { State = TrialState.Waiting }));
        Assert.Throws<TrialFinishedException>(() => s.SetTrialParam(t.TrialId, "y", 0, new FloatDistribution(0, 1)));
        Assert.Throws<DuplicateStudyException>(() => s.CreateStudy("r", [StudyDirection.Minimize]));
        Assert.Throws<StudyNotFoundException>(() => s.CreateTrial(12345));
        var other = s.CreateTrial(id);
        var afterCreate = File.ReadAllBytes(path);
        Assert.Throws<ArgumentException>(() => s.SetTrialParam(other.TrialId, "c", 0, new CategoricalDistribution(["a", "z"])));
        Assert.Throws<InvalidOperationException>(() => s.SetTrialStateValues(other.TrialId, TrialState.Waiting, null));

        Assert.Equal(before.Length + (afterCreate.Length - before.Length), File.ReadAllBytes(path).Length);
        Assert.False(File.Exists(path + ".lock"), "the lock is released after refused writes");
    }

    [Fact]
    public void TornLastLine_IsIgnoredByReaders_AndCutOffByTheNextWriter()
    {
        var path = _folder.File("torn.log");
        var s = new JournalStorage(path);
        var id = s.CreateStudy("torn", [StudyDirection.Minimize]);
        var t = s.CreateTrial(id);
        s.SetTrialStateValues(t.TrialId, TrialState.Complete, [1]);
        var whole = File.ReadAllBytes(path);

        // A writer killed mid-append leaves the start of a line without its newline.
        var torn = "{\"op_code\":4,\"worker_id\":\"killed-1\",\"study_id\":0,\"datetime_st"u8.ToArray();
        using (var f = new FileStream(path, FileMode.Append))
        {
            f.Write(torn);
        }

        var reader = new JournalStorage(path);
        Assert.Single(reader.GetAllTrials(id));
        Assert.Single(s.GetAllTrials(id));

        // The next write cuts the torn bytes off, so the file is whole lines again, Optuna's reader included.
        var next = reader.CreateTrial(id);
        Assert.Equal(1, next.Number);
        var text = File.ReadAllText(path);
        Assert.StartsWith(Encoding.UTF8.GetString(whole), text, StringComparison.Ordinal);
        Assert.DoesNotContain("killed-1", text, StringComparison.Ordinal);
        Assert.All(File.ReadAllLines(path), l => JsonDocument.Parse(l).Dispose());
        Assert.Equal(2, s.GetAllTrials(id).Count);
        Assert.Equal(2, new JournalStorage(path).GetAllTrials(id).Count);
    }

    [Fact]
    public void LinesBeingWritten_AreReadOnceComplete()
    {
        var path = _folder.File("partial.log");
        var writer = new JournalStorage(path);
        var reader = new JournalStorage(path);
        var id = writer.CreateStudy("p", [StudyDirection.Minimize]);
        var line = "{\"op_code\":4,\"worker_id\":\"other\",\"study_id\":0,\"datetime_start\":\"2026-01-02T03:04:05.123456\"}\n"u8.ToArray();
        using (var f = new FileStream(path, FileMode.Append))
        {
            f.Write(line.AsSpan(0, 30));
            f.Flush();
            Assert.Empty(reader.GetAllTrials(id));
            f.Write(line.AsSpan(30));
        }

        var t = Assert.Single(reader.GetAllTrials(id));
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234560), t.DatetimeStart);
        Assert.Equal(TrialState.Running, t.State);
    }

    [Fact]
    public void UnreadableLine_InTheMiddle_IsSkipped()
    {
        var path = _folder.File("bad.log");
        var s = new JournalStorage(path);
        var id = s.CreateStudy("b", [StudyDirection.Minimize]);
        File.AppendAllText(path, "not json\n{\"op_code\":99,\"worker_id\":\"x\"}\n");
        s.CreateTrial(id);
        Assert.Single(new JournalStorage(path).GetAllTrials(id));
    }

    [Fact]
    public void Heartbeats_AreRecordedInTheJournal_AndStaleTrialsFailAcrossStorages()
    {
        var path = _folder.File("beat.log");
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var worker = new JournalStorage(path, timeProvider: clock);
        var watcher = new JournalStorage(path, timeProvider: clock);
        var id = worker.CreateStudy("beat", [StudyDirection.Minimize]);
        var claim = new TrialClaim { Heartbeat = true, SystemAttrs = new Dictionary<string, JsonElement> { ["hone_worker"] = Json("elsewhere") } };
        var beating = worker.CreateTrial(id, claim: claim);
        var silent = worker.CreateTrial(id);
        Assert.False(beating.SystemAttrs.ContainsKey("hone_heartbeat"), "the heartbeat is not shown as an attribute");
        Assert.Equal("elsewhere", beating.SystemAttrs["hone_worker"].GetString());
        var version = watcher.GetTrialsChangedSince(id, 0).Version;

        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(worker.RecordHeartbeat(beating.TrialId));
        Assert.Empty(watcher.GetTrialsChangedSince(id, version).Trials); // a beat changes nothing a reader sees
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Empty(watcher.FailStaleTrials(id, TimeSpan.FromSeconds(30)));

        clock.Advance(TimeSpan.FromSeconds(20));
        var failed = Assert.Single(watcher.FailStaleTrials(id, TimeSpan.FromSeconds(30), retry: t => new FrozenTrial { State = TrialState.Waiting }));
        Assert.Equal(beating.Number, failed.Number);
        Assert.Equal(TrialState.Fail, failed.State);
        Assert.Contains("heartbeats", failed.SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
        Assert.Empty(worker.FailStaleTrials(id, TimeSpan.FromSeconds(30)));
        Assert.False(worker.RecordHeartbeat(beating.TrialId));
        Assert.Equal(TrialState.Running, worker.GetTrial(silent.TrialId).State); // never beat, owner unknown: left alone

        var gone = Assert.Single(worker.FailStaleTrials(id, TimeSpan.FromSeconds(30), isOwnerAlive: t => t.Number == silent.Number ? false : null));
        Assert.Contains("no longer running", gone.SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
        Assert.Equal(TrialState.Waiting, watcher.GetAllTrials(id)[2].State);
    }

    [Fact]
    public async Task StaleLock_LeftByAKilledWriter_IsRemoved_AndAFreshOneIsWaitedFor()
    {
        var path = _folder.File("lock.log");
        var s = new JournalStorage(path, staleLockAge: TimeSpan.FromSeconds(1));
        var id = s.CreateStudy("l", [StudyDirection.Minimize]);
        File.CreateSymbolicLink(path + ".lock", path);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        s.CreateTrial(id);
        Assert.True(watch.Elapsed > TimeSpan.FromSeconds(0.9) && watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.False(new FileInfo(path + ".lock").LinkTarget is not null || File.Exists(path + ".lock"));

        // A fresh lock (a live writer) is waited for until it is released.
        File.WriteAllText(path + ".lock", string.Empty);
        var open = new JournalStorage(path, JournalLockKind.Open, staleLockAge: TimeSpan.FromMinutes(5));
        var write = Task.Run(() => open.CreateTrial(id));
        await Task.Delay(300);
        Assert.False(write.IsCompleted);
        File.Delete(path + ".lock");
        await write.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, s.GetAllTrials(id).Count);
    }

    [Theory]
    [InlineData("journal:///{0}", JournalLockKind.Symlink)]
    [InlineData("journal:///{0}?lock=open", JournalLockKind.Open)]
    [InlineData("journal:///{0}?lock=symlink&stale_lock_seconds=0", JournalLockKind.Symlink)]
    public void Url_OpensTheJournal(string form, JournalLockKind kind)
    {
        var path = _folder.File($"url-{kind}.log");
        var url = StorageUrl.Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, form, path.TrimStart('/').Insert(0, "/")));
        Assert.Null(StorageUrl.Problem(url.Value));
        var storage = Assert.IsType<JournalStorage>(url.Open());
        Assert.Equal(path, storage.Path);
        Assert.Equal(kind, JournalUrl.LockKind(url));
        using var study = Study.Create(new StudyOptions { Name = "via-url", StorageUrl = url });
        study.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 3 });
        Assert.Equal(3, Study.Load("via-url", url).Trials.Count);
    }

    [Theory]
    [InlineData("journal://host/x.log")]
    [InlineData("journal:///")]
    [InlineData("journal:///x.log?lock=flock")]
    [InlineData("journal:///x.log?timeout=3")]
    public void BadUrls_AreRefused_WithWhatIsAccepted(string url)
    {
        var problem = StorageUrl.Problem(url);
        Assert.NotNull(problem);
        Assert.Contains("journal", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFolder_IsAStorageException_NamingIt()
    {
        var e = Assert.Throws<StorageException>(() => StorageUrl.Parse("journal:///" + _folder.File("no/such/folder/j.log")).Open());
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
