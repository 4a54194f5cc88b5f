using System.Text;
using Hone.Artifacts;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Artifacts;

public sealed class CheckpointTests : IDisposable
{
    private readonly ArtifactFolder _folder = new();

    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    private static string Text(Checkpoint c) => Encoding.UTF8.GetString(c.Data.Span);

    [Fact]
    public void SaveCheckpoint_AnotherStudyObjectOnTheStorage_LoadsTheLatestVerified()
    {
        var study = _folder.NewStudy();
        var trial = study.Ask();
        trial.SaveCheckpoint(1, Bytes("one"));
        var second = trial.SaveCheckpoint(2, Bytes("two"));
        study.Tell(trial, 0.5);

        using var other = _folder.NewStudy();
        var loaded = other.LoadCheckpoint(trial.Number);
        Assert.NotNull(loaded);
        Assert.Equal("two", Text(loaded));
        Assert.Equal(2, loaded.Step);
        Assert.Equal(second, loaded.Record);
        Assert.Equal(3, loaded.Record.Size);
        Assert.Equal(2, other.GetCheckpoints(trial.Number).Count);
        Assert.Equal(2, other.Trials[trial.Number].SystemAttrs["checkpoints"].GetArrayLength());
    }

    [Fact]
    public void LoadCheckpoint_LatestCorrupt_FallsBackToThePreviousGoodOne()
    {
        var study = _folder.NewStudy();
        var trial = study.Ask();
        trial.SaveCheckpoint(1, Bytes("good"));
        var bad = trial.SaveCheckpoint(2, Bytes("fine"));
        File.WriteAllText(_folder.PathOf(bad.ArtifactId), "evil");

        var loaded = trial.LoadCheckpoint();
        Assert.NotNull(loaded);
        Assert.Equal(1, loaded.Step);
        Assert.Equal("good", Text(loaded));
    }

    [Fact]
    public void LoadCheckpoint_EveryCheckpointCorruptOrMissing_ThrowsNamingTheTrialAndTheProblems()
    {
        var study = _folder.NewStudy();
        var trial = study.Ask();
        var first = trial.SaveCheckpoint(1, Bytes("aaaa"));
        var second = trial.SaveCheckpoint(2, Bytes("bbbb"));
        File.Delete(_folder.PathOf(first.ArtifactId));
        File.WriteAllText(_folder.PathOf(second.ArtifactId), "bbb");

        var e = Assert.Throws<CorruptCheckpointException>(() => study.LoadCheckpoint(trial.Number));
        Assert.Contains($"trial #{trial.Number}", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
        Assert.Contains("3 bytes where 4 were saved", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadCheckpoint_NoneSaved_IsNull()
    {
        var study = _folder.NewStudy();
        var trial = study.Ask();
        Assert.Null(trial.LoadCheckpoint());
        Assert.Null(study.LoadCheckpoint(trial.Number));
    }

    [Fact]
    public void SaveCheckpoint_StudyWithoutArtifactStore_SaysHowToGetOne()
    {
        using var study = Study.Create(new StudyOptions());
        var trial = study.Ask();
        var e = Assert.Throws<InvalidOperationException>(() => trial.SaveCheckpoint(0, Bytes("x")));
        Assert.Contains("ArtifactStore", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnqueueResume_PrunedTrial_NewTrialHasItsParamsAndStartsFromItsLastCheckpoint()
    {
        var study = _folder.NewStudy();
        var trial = study.Ask();
        var x = trial.SuggestFloat("x", 0, 1);
        var width = trial.SuggestCategorical("width", [16, 32, 64]);
        trial.SaveCheckpoint(3, Bytes("epoch 3"));
        study.Tell(trial, TrialState.Pruned);

        Assert.True(study.EnqueueResume(trial.Number));
        var resumed = study.Ask();
        Assert.Equal(trial.Number, resumed.CheckpointSource());
        Assert.Equal(x, resumed.SuggestFloat("x", 0, 1));
        Assert.Equal(width, resumed.SuggestCategorical("width", [16, 32, 64]));
        var loaded = resumed.LoadCheckpoint();
        Assert.NotNull(loaded);
        Assert.Equal(trial.Number, loaded.TrialNumber);
        Assert.Equal("epoch 3", Text(loaded));

        // Once the resumed trial saves, it resumes from its own checkpoints.
        resumed.SaveCheckpoint(4, Bytes("epoch 4"));
        Assert.Equal(resumed.Number, resumed.LoadCheckpoint()!.TrialNumber);
    }

    [Fact]
    public void SaveArtifact_ReadBackByName_ReplacedBySavingTheNameAgain()
    {
        var study = _folder.NewStudy();
        var trial = study.Ask();
        trial.SaveArtifact("plot.svg", Bytes("<svg/>"));
        trial.SaveArtifact("log", Bytes("first"));
        trial.SaveArtifact("log", Bytes("second"));
        Assert.Equal("<svg/>", Encoding.UTF8.GetString(study.LoadArtifact(trial.Number, "plot.svg").Span));
        Assert.Equal("second", Encoding.UTF8.GetString(study.LoadArtifact(trial.Number, "log").Span));
        var e = Assert.Throws<KeyNotFoundException>(() => study.LoadArtifact(trial.Number, "model"));
        Assert.Contains("log", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CleanCheckpoints_KeepsTheLatestOfFinishedTrials_AndEverythingRunningTrialsNeed()
    {
        var study = _folder.NewStudy();
        var done = study.Ask();
        var old = done.SaveCheckpoint(1, Bytes("1"));
        var latest = done.SaveCheckpoint(2, Bytes("2"));
        study.Tell(done, 1.0);
        var running = study.Ask();
        var runningFirst = running.SaveCheckpoint(1, Bytes("r1"));
        running.SaveCheckpoint(2, Bytes("r2"));

        Assert.Equal(1, study.CleanCheckpoints(new CheckpointRetention()));
        Assert.False(File.Exists(_folder.PathOf(old.ArtifactId)));
        Assert.True(File.Exists(_folder.PathOf(latest.ArtifactId)));
        Assert.True(File.Exists(_folder.PathOf(runningFirst.ArtifactId)));
        Assert.Equal([latest], study.GetCheckpoints(done.Number));
        Assert.Equal("2", Text(study.LoadCheckpoint(done.Number)!));
    }

    [Fact]
    public void CleanCheckpoints_KeepBest_RemovesUnusedWorseTrials_ButNotOnesAWaitingTrialResumes()
    {
        var study = _folder.NewStudy();
        var records = new Dictionary<int, CheckpointRecord>();
        foreach (var value in new[] { 3.0, 1.0, 2.0, 4.0 })
        {
            var t = study.Ask();
            records[t.Number] = t.SaveCheckpoint(1, Bytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            study.Tell(t, value);
        }

        study.EnqueueResume(3); // value 4: the worst, but about to be resumed
        var deleted = study.CleanCheckpoints(new CheckpointRetention { KeepBestTrials = 1 });
        Assert.Equal(2, deleted);
        Assert.True(File.Exists(_folder.PathOf(records[1].ArtifactId)));
        Assert.True(File.Exists(_folder.PathOf(records[3].ArtifactId)));
        Assert.False(File.Exists(_folder.PathOf(records[0].ArtifactId)));
        Assert.False(File.Exists(_folder.PathOf(records[2].ArtifactId)));
        Assert.Null(study.LoadCheckpoint(0));
    }

    [Fact]
    public void ArtifactStores_ForSqliteUrl_IsTheFolderBesideTheFile_CreatedOnlyWhenWritten()
    {
        var store = Assert.IsType<FileSystemArtifactStore>(ArtifactStores.ForStorage("sqlite:///" + Path.Combine(_folder.Root, "x.db")));
        Assert.Equal(Path.Combine(_folder.Root, "x.db.artifacts"), store.Root);
        Assert.False(Directory.Exists(store.Root));
        Assert.Null(ArtifactStores.ForStorage("inmemory"));
    }

    public void Dispose() => _folder.Dispose();
}
