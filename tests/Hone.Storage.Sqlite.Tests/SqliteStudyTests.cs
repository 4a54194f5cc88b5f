using Hone.Distributions;
using Hone.Storage;
using Hone.Samplers;
using Hone.Storage.Sqlite;
using Hone.Studies;
using Hone.Trials;
using Microsoft.Data.Sqlite;

namespace Hone.Storage.Sqlite.Tests;

public sealed class SqliteStudyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Url(string name = "hone.db") => "sqlite:///" + _folder.File(name);

    private static double Objective(Trial t) => Math.Pow(t.SuggestFloat("x", -3, 3), 2) + t.SuggestInt("n", 0, 5);

    [Fact]
    public void Study_SurvivesTheProcess_AndResumes()
    {
        var url = Url();
        var first = Study.Create(new StudyOptions { Name = "s", StorageUrl = url, Sampler = new RandomSampler(1) });
        first.Optimize(Objective, new OptimizeOptions { Trials = 10 });

        var resumed = Study.Load("s", url);
        Assert.Equal(10, resumed.Trials.Count);
        Assert.Equal(first.BestValue, resumed.BestValue);
        resumed.Optimize(Objective, new OptimizeOptions { Trials = 5 });
        Assert.Equal(Enumerable.Range(0, 15), resumed.Trials.Select(t => t.Number));
        Assert.Equal(15, first.Trials.Count); // the first object's cache syncs what another object wrote
    }

    [Fact]
    public void LoadIfExists_ContinuesTheStudy()
    {
        var url = Url();
        Study.Create(new StudyOptions { Name = "s", StorageUrl = url }).Optimize(Objective, new OptimizeOptions { Trials = 3 });
        var again = Study.Create(new StudyOptions { Name = "s", StorageUrl = url, LoadIfExists = true });
        Assert.Equal(3, again.Trials.Count);
        Assert.Throws<DuplicateStudyException>(() => Study.Create(new StudyOptions { Name = "s", StorageUrl = url }));
    }

    [Fact]
    public void ListDeleteAndCopy()
    {
        var url = Url();
        Study.Create(new StudyOptions { Name = "a", StorageUrl = url }).Optimize(Objective, new OptimizeOptions { Trials = 4 });
        Study.Create(new StudyOptions { Name = "b", StorageUrl = url, Direction = StudyDirection.Maximize });
        Assert.Equal(["a", "b"], Study.GetAllStudies(url).Select(s => s.Name));

        Study.Copy("a", url, Url("copy.db"), "a2");
        var copy = Study.Load("a2", Url("copy.db"));
        var original = Study.Load("a", url);
        Assert.Equal(original.Trials.Select(t => (t.Number, t.State, t.Value, t.Params["x"], t.DatetimeStart)),
            copy.Trials.Select(t => (t.Number, t.State, t.Value, t.Params["x"], t.DatetimeStart)));

        var memory = new InMemoryStorage();
        Study.Copy("a", new SqliteStorage(_folder.File("hone.db")), memory);
        Assert.Equal(4, ((IStorage)memory).GetAllTrials(memory.FindStudy("a")!.Value).Count);

        Study.Delete("a", url);
        Assert.Equal(["b"], Study.GetAllStudies(url).Select(s => s.Name));
        Assert.Throws<StudyNotFoundException>(() => Study.Load("a", url));
    }

    [Fact]
    public void SecondTell_IsRefused()
    {
        var study = Study.Create(new StudyOptions { StorageUrl = Url() });
        var trial = study.Ask();
        trial.SuggestFloat("x", 0, 1);
        study.Tell(trial, 1.0);
        Assert.Throws<TrialFinishedException>(() => study.Tell(trial, 2.0));
        Assert.Equal(1.0, study.Trials[0].Value);
    }

    [Fact]
    public void MissingFolder_ClearErrorNamingTheUrl()
    {
        var url = "sqlite:///" + _folder.File("no/such/folder/x.db");
        var e = Assert.Throws<StorageException>(() => Study.Create(new StudyOptions { StorageUrl = url }));
        Assert.Contains(url, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotADatabase_ClearError()
    {
        File.WriteAllText(_folder.File("text.db"), "this is not a database, just some text that is long enough to have a header....................");
        var e = Assert.Throws<StorageException>(() => new SqliteStorage(_folder.File("text.db")));
        Assert.Contains("text.db", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOptunaRevision_IsRefused()
    {
        var path = _folder.File("future.db");
        new SqliteStorage(path).Dispose();
        using (var c = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE alembic_version SET version_num = 'v9.9.9.z'";
            cmd.ExecuteNonQuery();
        }

        var e = Assert.Throws<StorageException>(() => new SqliteStorage(path));
        Assert.Contains("v9.9.9.z", e.Message, StringComparison.Ordinal);
        Assert.Contains("v3.2.0.a", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForeignTables_AreRefused()
    {
        var path = _folder.File("other.db");
        using (var c = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE customers (id INTEGER)";
            cmd.ExecuteNonQuery();
        }

        var e = Assert.Throws<StorageException>(() => new SqliteStorage(path));
        Assert.Contains("customers", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StudyNamesAndAttributes_WithQuotesUnicodeAndSql_RoundTrip()
    {
        var url = Url();
        string[] names = ["'; DROP TABLE studies; --", "\"quoted\"", "ünï 中文 🎯", "a\\b%_"];
        foreach (var name in names)
        {
            var s = Study.Create(new StudyOptions { Name = name, StorageUrl = url });
            s.SetUserAttr(name, name + "'\"");
            var t = s.Ask();
            t.SetUserAttr("k'\"", name);
            t.SuggestCategorical("c", [name, "x"]);
            s.Tell(t, 1);
        }

        foreach (var name in names)
        {
            var s = Study.Load(name, url);
            Assert.Equal(name + "'\"", s.UserAttrs[name].GetString());
            Assert.Equal(name, s.Trials[0].UserAttrs["k'\""].GetString());
        }

        Assert.Equal(names.Order(StringComparer.Ordinal), Study.GetAllStudies(url).Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void StaleTrial_IsFailedAndRetried_WithOptunasLineageAttributes()
    {
        var url = Url();
        var options = new StudyOptions
        {
            Name = "hb", StorageUrl = url, HeartbeatInterval = TimeSpan.FromMilliseconds(50),
            GracePeriod = TimeSpan.FromMilliseconds(300), RetryFailedTrials = new TrialRetryPolicy { MaxRetries = 2 },
        };
        Study.Create(options).Dispose();
        using (var raw = new SqliteStorage(_folder.File("hone.db")))
        {
            // A worker on another machine (no worker attribute this machine can check) started a trial, beat once and died.
            var studyId = raw.FindStudy("hb")!.Value;
            var orphan = raw.CreateTrial(studyId, null, new TrialClaim { Heartbeat = true });
            raw.SetTrialParam(orphan.TrialId, "x", 1.5, new FloatDistribution(-3, 3));
            raw.SetTrialParam(orphan.TrialId, "n", 2, new IntDistribution(0, 5));
        }

        Thread.Sleep(500);

        var alive = Study.Load(new StudyOptions
        {
            Name = "hb", StorageUrl = url, HeartbeatInterval = TimeSpan.FromMilliseconds(50), GracePeriod = TimeSpan.FromMilliseconds(300),
            RetryFailedTrials = new TrialRetryPolicy { MaxRetries = 2 },
        });
        alive.Optimize(Objective, new OptimizeOptions { Trials = 3 });
        var trials = alive.Trials;
        Assert.Equal(TrialState.Fail, trials[0].State);
        Assert.Contains("heartbeat", trials[0].SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
        var retry = trials[1];
        Assert.Equal(TrialState.Complete, retry.State);
        Assert.Equal(trials[0].Params["x"], retry.Params["x"]);
        Assert.Equal(trials[0].Params["n"], retry.Params["n"]);
        Assert.Equal(0, retry.SystemAttrs["failed_trial"].GetInt32());
        Assert.Equal("[0]", retry.SystemAttrs["retry_history"].GetRawText());
        Assert.Empty(alive.FailStaleTrials());
    }

    [Fact]
    public void HeartbeatOptions_AreValidated()
    {
        var e = Assert.Throws<ArgumentException>(() => Study.Create(new StudyOptions
        {
            GracePeriod = TimeSpan.FromSeconds(-1), RetryFailedTrials = new TrialRetryPolicy { MaxRetries = -1 },
        }));
        Assert.Contains("GracePeriod", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetries", e.Message, StringComparison.Ordinal);
        Assert.Contains("RetryFailedTrials needs HeartbeatInterval", e.Message, StringComparison.Ordinal);
    }
}
