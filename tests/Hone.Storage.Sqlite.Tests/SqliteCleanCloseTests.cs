using System.Diagnostics;
using Hone.Storage.Tests;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Storage.Sqlite.Tests;

/// <summary>
/// After a normal exit the database file alone holds every trial: the WAL is checkpointed into it and no -wal or -shm
/// file is left, whether the program disposed its study or not.
/// </summary>
public sealed class SqliteCleanCloseTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LibraryProgram_NormalExit_LeavesTheDatabaseFileComplete(bool withoutDispose)
    {
        var db = _folder.File("lib.db");
        string[] options = withoutDispose ? ["heartbeat-ms=1000", "no-dispose=1"] : ["heartbeat-ms=1000"];
        using (var worker = External.StartWorker("sqlite:///" + db, "close", 50, options))
        {
            var output = worker.StandardOutput.ReadToEnd();
            worker.WaitForExit();
            Assert.True(worker.ExitCode == 0, output + worker.StandardError.ReadToEnd());
        }

        AssertCompleteOnItsOwn(db, "close", 50);
    }

    [Fact]
    public void Study_Dispose_ClosesAStorageItOpenedFromAUrl_ButNotOneItWasGiven()
    {
        var db = _folder.File("dispose.db");
        using (var study = Study.Create(new StudyOptions { Name = "d", StorageUrl = "sqlite:///" + db }))
        {
            study.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 5 });
            Assert.True(File.Exists(db + "-wal"));
        }

        Assert.False(File.Exists(db + "-wal"), "disposing the study checkpoints and removes the WAL");

        using var given = new SqliteStorage(db);
        using (var study = Study.Load(new StudyOptions { Name = "d", Storage = given }))
        {
            study.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 1 });
        }

        Assert.Equal(6, given.GetAllTrials(given.FindStudy("d")!.Value).Count); // still open: the caller owns it
    }

    /// <summary>Copies the .db file alone (as users do) and checks that the copy holds every trial.</summary>
    internal static void AssertCompleteOnItsOwn(string db, string study, int complete)
    {
        Assert.False(File.Exists(db + "-wal"), "no -wal file is left after a normal exit");
        Assert.False(File.Exists(db + "-shm"), "no -shm file is left after a normal exit");
        var copy = Path.Combine(Path.GetTempPath(), $"hone-copy-{Guid.NewGuid():N}.db");
        File.Copy(db, copy);
        try
        {
            using var storage = new SqliteStorage(copy);
            var trials = storage.GetAllTrials(storage.FindStudy(study)!.Value);
            Assert.Equal(complete, trials.Count(t => t.State == TrialState.Complete));
        }
        finally
        {
            foreach (var f in new[] { copy, copy + "-wal", copy + "-shm" })
            {
                File.Delete(f);
            }
        }
    }

    [Fact]
    public void Suggestions_OfAnAskedTrial_AreStoredWhenTheStudyIsClosed()
    {
        var url = "sqlite:///" + _folder.File("ask.db");
        int number;
        using (var study = Study.Create(new StudyOptions { Name = "ask", StorageUrl = url }))
        {
            // What hone ask does: ask, suggest, print, exit; the suggestions must be in the database when it has exited.
            var trial = study.Ask();
            trial.SuggestFloat("x", 0, 1);
            trial.SuggestInt("n", 1, 9);
            number = trial.Number;
        }

        using var reopened = Study.Load("ask", url);
        var stored = Assert.Single(reopened.Trials, t => t.Number == number);
        Assert.Equal(TrialState.Running, stored.State);
        Assert.Equal(["n", "x"], stored.Params.Keys.Order(StringComparer.Ordinal));
    }

    public void Dispose() => _folder.Dispose();
}
