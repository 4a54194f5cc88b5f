using Hone.Storage.Tests;
using Hone.Studies;
using Hone.Tests.Storage;
using Hone.Trials;

namespace Hone.Storage.Postgres.Tests;

public sealed class PostgresStorageContractTests : StorageContractTests, IDisposable
{
    private readonly List<string> _schemas = [];

    protected override IStorage NewStorage()
    {
        return new PostgresStorage(PostgresServer.NewSchema(_schemas));
    }

    public void Dispose() => PostgresServer.Drop(_schemas);
}

public sealed class PostgresOptunaInteropTests : OptunaInteropTests, IDisposable
{
    private readonly List<string> _schemas = [];

    protected override (StorageUrl Hone, string Python) NewDatabase()
    {
        var url = PostgresServer.NewSchema(_schemas);
        return (StorageUrl.Parse(url), url);
    }

    public void Dispose() => PostgresServer.Drop(_schemas);
}

public sealed class PostgresMultiProcessTests : MultiProcessTests, IDisposable
{
    private readonly List<string> _schemas = [];

    protected override int Workers => 32;

    protected override string NewDatabase() => PostgresServer.NewSchema(_schemas);

    protected override void AssertIntegrity(string url)
    {
        // PostgreSQL's WAL makes a killed client harmless; check that the rows still hang together.
        var storage = new PostgresStorage(url);
        foreach (var s in storage.GetAllStudies())
        {
            var trials = ((IStorage)storage).GetAllTrials(s.StudyId);
            Assert.Equal(Enumerable.Range(0, trials.Count), trials.Select(t => t.Number));
            Assert.All(trials.Where(t => t.State == TrialState.Complete), t => Assert.NotNull(t.Values));
        }
    }

    public void Dispose() => PostgresServer.Drop(_schemas);
}

public sealed class PostgresStudyTests : IDisposable
{
    private readonly List<string> _schemas = [];

    public void Dispose() => PostgresServer.Drop(_schemas);

    [PostgresFact]
    public void Study_SurvivesTheProcess_AndResumes_AndCopiesToSqliteFree_InMemory()
    {
        var url = PostgresServer.NewSchema(_schemas);
        var first = Study.Create(new StudyOptions { Name = "s", StorageUrl = url });
        first.Optimize(t => t.SuggestFloat("x", -1, 1) * t.SuggestInt("n", 1, 3), new OptimizeOptions { Trials = 6 });
        var resumed = Study.Load("s", url);
        Assert.Equal(6, resumed.Trials.Count);
        resumed.Optimize(t => t.SuggestFloat("x", -1, 1), new OptimizeOptions { Trials = 2 });
        Assert.Equal(8, first.Trials.Count);
        var memory = new InMemoryStorage();
        Study.Copy("s", new PostgresStorage(url), memory);
        Assert.Equal(8, ((IStorage)memory).GetAllTrials(memory.FindStudy("s")!.Value).Count);
        Study.Delete("s", url);
        Assert.Empty(Study.GetAllStudies(url));
    }

    [PostgresFact]
    public void WrongPassword_ClearErrorWithMaskedPassword()
    {
        var url = PostgresServer.BaseUrl.Replace("hone:hone@", "hone:wrong-secret@", StringComparison.Ordinal);
        var e = Assert.Throws<StorageException>(() => Study.Create(new StudyOptions { StorageUrl = url }));
        Assert.DoesNotContain("wrong-secret", e.Message, StringComparison.Ordinal);
        Assert.Contains("***", e.Message, StringComparison.Ordinal);
        Assert.Contains("password", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void UnreachableServer_ClearError()
    {
        var e = Assert.Throws<StorageException>(() => Study.Create(new StudyOptions { StorageUrl = "postgresql://u:s3cret@127.0.0.1:1/db?connect_timeout=2" }));
        Assert.Contains("postgresql://u:***@127.0.0.1:1/db", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
        Assert.Contains("reachable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOption_ClearError()
    {
        var e = Assert.Throws<StorageException>(() => new PostgresStorage("postgresql://u:p@h/db?colour=blue"));
        Assert.Contains("colour", e.Message, StringComparison.Ordinal);
    }
}
