using System.Text.Json;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Storage.Sqlite.Tests;

/// <summary>Which commits wait for the disk: state changes by default, every commit or none when the URL says so.</summary>
public sealed class SqliteDurabilityTests : IDisposable
{
    private const long Normal = 1;
    private const long Full = 2;
    private static readonly FloatDistribution X = new(0, 1);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ByDefault_StateChangesAreSynced_AndWritesToARunningTrialAreNot()
    {
        using var storage = new SqliteStorage(StorageUrl.Parse("sqlite:///" + _folder.File("d.db")));
        IStorage s = storage;
        var study = s.CreateStudy("s", [StudyDirection.Minimize]);
        Assert.Equal(Full, storage.LastCommitSynchronous);

        var trial = s.CreateTrial(study);
        Assert.Equal(Full, storage.LastCommitSynchronous);

        var steps = new (Action Write, long Expected)[]
        {
            (() => s.SetTrialParam(trial.TrialId, "x", 0.5, X), Normal),
            (() => s.SetTrialIntermediateValue(trial.TrialId, 1, 0.3), Normal),
            (() => s.SetTrialUserAttr(trial.TrialId, "k", JsonSerializer.SerializeToElement(1)), Normal),
            (() => s.RecordHeartbeat(trial.TrialId), Normal),
            (() => s.SetTrialStateValues(trial.TrialId, TrialState.Complete, [0.25]), Full),
            (() => s.SetStudyUserAttr(study, "k", JsonSerializer.SerializeToElement("v")), Full),
            (() => s.CreateTrial(study, new FrozenTrial { State = TrialState.Waiting }), Full),
            (() => s.PopWaitingTrial(study), Full),
        };
        foreach (var (write, expected) in steps)
        {
            write();
            Assert.Equal(expected, storage.LastCommitSynchronous);
        }

        // Reads leave the level as the last write set it.
        s.SetTrialParam(trial.TrialId + 1, "x", 0.1, X);
        _ = s.GetAllTrials(study);
        Assert.Equal(Normal, storage.LastCommitSynchronous);
    }

    [Theory]
    [InlineData("full", Full)]
    [InlineData("normal", Normal)]
    public void AnExplicitLevel_AppliesToEveryCommit(string level, long expected)
    {
        using var storage = new SqliteStorage(StorageUrl.Parse($"sqlite:///{_folder.File("e.db")}?synchronous={level}"));
        IStorage s = storage;
        var study = s.CreateStudy("s", [StudyDirection.Minimize]);
        var trial = s.CreateTrial(study);
        Assert.Equal(expected, storage.LastCommitSynchronous);
        s.SetTrialParam(trial.TrialId, "x", 0.5, X);
        Assert.Equal(expected, storage.LastCommitSynchronous);
        s.SetTrialStateValues(trial.TrialId, TrialState.Complete, [0.25]);
        Assert.Equal(expected, storage.LastCommitSynchronous);
    }
}
