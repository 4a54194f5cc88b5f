using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;
using Npgsql;

namespace Hone.Storage.Postgres.Tests;

/// <summary>
/// "Trials changed since V" on PostgreSQL, where a version is a transaction id: exact under concurrent writers, no
/// lock shared by writers of different trials, and a schema of an earlier Hone (a per-study counter) upgraded in place.
/// </summary>
public sealed class PostgresChangeVersionTests : IDisposable
{
    private readonly List<string> _schemas = [];

    public void Dispose() => PostgresServer.Drop(_schemas);

    private static NpgsqlConnection Connect(string url)
    {
        var connection = new NpgsqlConnection(PostgresBackend.ConnectionString(StorageUrl.Parse(url)));
        connection.Open();
        return connection;
    }

    private static object? Scalar(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        return command.ExecuteScalar();
    }

    private static string Describe(FrozenTrial t) =>
        $"{t.Number} {t.State} [{string.Join(",", t.Values ?? [])}] {string.Join(",", t.Params.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))} {t.IntermediateValues.Count}";

    [PostgresFact]
    public void ConcurrentWriters_AnIncrementalReader_EndsWithEveryChange()
    {
        var url = PostgresServer.NewSchema(_schemas);
        using var setup = new PostgresStorage(url);
        var studyId = setup.CreateStudy("s", [StudyDirection.Minimize]);
        var x = new FloatDistribution(0, 1);
        var n = new IntDistribution(0, 9);

        using var writing = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            // One storage per writer, as separate processes would have.
            using var storage = new PostgresStorage(url);
            var rng = new Random(w);
            for (var i = 0; i < 40; i++)
            {
                var trial = storage.CreateTrial(studyId);
                storage.SetTrialParam(trial.TrialId, "x", rng.NextDouble(), x);
                storage.SetTrialParam(trial.TrialId, "n", rng.Next(10), n);
                storage.SetTrialIntermediateValue(trial.TrialId, 0, rng.NextDouble());
                storage.SetTrialUserAttr(trial.TrialId, "writer", System.Text.Json.JsonSerializer.SerializeToElement(w));
                storage.SetTrialStateValues(trial.TrialId, i % 5 == 0 ? TrialState.Fail : TrialState.Complete, i % 5 == 0 ? null : [rng.NextDouble()]);
            }
        })).ToArray();

        using var reader = new PostgresStorage(url);
        var seen = new Dictionary<int, FrozenTrial>();
        long version = 0;
        var polls = 0;
        void Poll()
        {
            var changes = reader.GetTrialsChangedSince(studyId, version);
            foreach (var t in changes.Trials)
            {
                seen[t.Number] = t;
            }

            Assert.True(changes.Version >= version, $"the version went back from {version} to {changes.Version}");
            version = changes.Version;
            polls++;
        }

        while (!Task.WaitAll(writers, 5))
        {
            Poll();
        }

        Poll();
        var all = reader.GetAllTrials(studyId);
        Assert.Equal(160, all.Count);
        Assert.True(polls > 10, $"only {polls} reads happened while the writers wrote");
        Assert.Equal(all.Select(Describe), seen.Values.OrderBy(t => t.Number).Select(Describe));

        // Nothing written since: nothing returned, at the same version.
        var again = reader.GetTrialsChangedSince(studyId, version);
        Assert.Empty(again.Trials);
    }

    [PostgresFact]
    public void WritersOfDifferentTrials_DoNotWaitForEachOthersCommit()
    {
        var url = PostgresServer.NewSchema(_schemas);
        using var storage = new PostgresStorage(url);
        var studyId = storage.CreateStudy("s", [StudyDirection.Minimize]);
        var a = storage.CreateTrial(studyId);
        var b = storage.CreateTrial(studyId);

        // Another client writes trial a and holds its transaction open (a worker between its write and its commit).
        using var holder = Connect(url);
        using var transaction = holder.BeginTransaction();
        Scalar(holder, $"UPDATE trials SET datetime_start = datetime_start WHERE trial_id = {a.TrialId}", transaction);

        var write = Task.Run(() => storage.SetTrialParam(b.TrialId, "x", 0.5, new FloatDistribution(0, 1)));
        Assert.True(write.Wait(TimeSpan.FromSeconds(10)), "a write to trial b waited for the transaction that wrote trial a");

        // Before a commits, a reader that saw b must still be given a later.
        var first = storage.GetTrialsChangedSince(studyId, 0);
        transaction.Commit();
        var after = storage.GetTrialsChangedSince(studyId, first.Version);
        Assert.Contains(after.Trials, t => t.TrialId == a.TrialId);
    }

    [PostgresFact]
    public void AVersionFromAnotherStorageObject_StillMissesNothing()
    {
        var url = PostgresServer.NewSchema(_schemas);
        using var first = new PostgresStorage(url);
        using var second = new PostgresStorage(url);
        var studyId = first.CreateStudy("s", [StudyDirection.Minimize]);
        var old = first.CreateTrial(studyId);
        var version = first.GetTrialsChangedSince(studyId, 0).Version;
        var fresh = first.CreateTrial(studyId);
        first.SetTrialStateValues(old.TrialId, TrialState.Complete, [1.0]);

        // The second object never handed out that version: it answers with a superset (every trial written since).
        var changed = second.GetTrialsChangedSince(studyId, version);
        Assert.Contains(changed.Trials, t => t.TrialId == fresh.TrialId);
        Assert.Equal(TrialState.Complete, changed.Trials.Single(t => t.TrialId == old.TrialId).State);

        // The first object remembers it: exactly the two trials.
        Assert.Equal([old.TrialId, fresh.TrialId], first.GetTrialsChangedSince(studyId, version).Trials.Select(t => t.TrialId).Order());
    }

    [PostgresFact]
    public void SchemaOfAnEarlierHone_IsUpgraded_AndItsOldVersionsAreNotReadAgain()
    {
        var url = PostgresServer.NewSchema(_schemas);
        long studyId;
        using (var storage = new PostgresStorage(url))
        {
            studyId = storage.CreateStudy("s", [StudyDirection.Minimize]);
            for (var i = 0; i < 3; i++)
            {
                var t = storage.CreateTrial(studyId);
                storage.SetTrialStateValues(t.TrialId, TrialState.Complete, [i]);
            }
        }

        // What an earlier Hone left: the counter trigger (functions of that name), and counter versions far above any
        // transaction id of a young test cluster.
        using (var connection = Connect(url))
        {
            Scalar(connection, $"DROP FUNCTION {PostgresSchema.TouchFunction}() CASCADE");
            Scalar(connection, "CREATE FUNCTION hone_touch_trial() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$");
            Scalar(connection, "CREATE TRIGGER hone_trials_touch AFTER INSERT OR UPDATE ON trials FOR EACH ROW EXECUTE FUNCTION hone_touch_trial()");
            Scalar(connection, "UPDATE hone_trial_versions SET version = 9000000000000 + trial_id");
        }

        using var upgraded = new PostgresStorage(url);
        using (var connection = Connect(url))
        {
            Assert.IsType<string>(Scalar(connection, $"SELECT to_regprocedure('{PostgresSchema.TouchFunction}()')::text"));
            Assert.IsType<DBNull>(Scalar(connection, "SELECT to_regprocedure('hone_touch_trial()')::text"));
        }

        var all = upgraded.GetTrialsChangedSince(studyId, 0);
        Assert.Equal(3, all.Trials.Count);
        Assert.Empty(upgraded.GetTrialsChangedSince(studyId, all.Version).Trials);

        var fourth = upgraded.CreateTrial(studyId);
        var changed = upgraded.GetTrialsChangedSince(studyId, all.Version);
        Assert.Equal([fourth.TrialId], changed.Trials.Select(t => t.TrialId));
    }
}
