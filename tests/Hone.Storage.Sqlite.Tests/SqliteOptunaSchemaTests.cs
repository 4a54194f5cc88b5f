using Hone.Studies;
using Microsoft.Data.Sqlite;

namespace Hone.Storage.Sqlite.Tests;

/// <summary>The <c>optuna_schema</c> URL option: which Optuna alembic revision a new SQLite file gets.</summary>
public sealed class SqliteOptunaSchemaTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static (string Revision, string LibraryVersion, bool StudyIdIndex) Inspect(string path)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        string Scalar(string sql)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            return Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        }

        return (Scalar("SELECT version_num FROM alembic_version"),
            Scalar("SELECT library_version FROM version_info"),
            Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'trials_study_id_key'") == "1");
    }

    [Fact]
    public void Default_CreatesRevision320a_WithTheStudyIdIndex()
    {
        var path = _folder.File("default.db");
        using (new SqliteStorage(path))
        {
        }

        Assert.Equal(("v3.2.0.a", "3.2.0", true), Inspect(path));
    }

    [Theory]
    [InlineData("3.0")]
    [InlineData("3.1")]
    [InlineData("v3.0.0.d")]
    public void OptunaSchema30_CreatesRevision300d_WithoutTheStudyIdIndex(string value)
    {
        var path = _folder.File("old.db");
        var study = Study.Create(new StudyOptions { Name = "s", StorageUrl = $"sqlite:///{path}?optuna_schema={value}" });
        study.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 2 });

        Assert.Equal(("v3.0.0.d", "3.1.0", false), Inspect(path));
        Assert.Equal(2, Study.Load("s", $"sqlite:///{path}?optuna_schema={value}").Trials.Count);
        Assert.Equal(2, Study.Load("s", $"sqlite:///{path}").Trials.Count); // without the option any known revision opens
    }

    [Theory]
    [InlineData("3.2")]
    [InlineData("4.1")]
    [InlineData("v3.2.0.a")]
    public void OptunaSchema32_CreatesTheDefaultRevision(string value)
    {
        var path = _folder.File("new.db");
        using (new SqliteStorage(StorageUrl.Parse($"sqlite:///{path}?optuna_schema={value}")))
        {
        }

        Assert.Equal("v3.2.0.a", Inspect(path).Revision);
    }

    [Theory]
    [InlineData("2.10")]
    [InlineData("latest")]
    [InlineData("")]
    public void OptunaSchema_UnknownValue_IsRefusedWithWhatWouldBeRight(string value)
    {
        var path = _folder.File("bad.db");
        var e = Assert.Throws<StorageException>(() => new SqliteStorage(StorageUrl.Parse($"sqlite:///{path}?optuna_schema={value}")));
        Assert.Contains($"optuna_schema={value},", e.Message, StringComparison.Ordinal);
        Assert.Contains("optuna_schema=3.0", e.Message, StringComparison.Ordinal);
        Assert.Contains("optuna_schema=3.2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptunaSchema_OnAnExistingDatabaseOfAnotherRevision_IsRefused()
    {
        var path = _folder.File("existing.db");
        using (new SqliteStorage(path))
        {
        }

        var e = Assert.Throws<StorageException>(() => new SqliteStorage(StorageUrl.Parse($"sqlite:///{path}?optuna_schema=3.1")));
        Assert.Contains("already has Optuna schema revision v3.2.0.a", e.Message, StringComparison.Ordinal);
        Assert.Contains("only chooses the revision of a new database", e.Message, StringComparison.Ordinal);
        Assert.Equal("v3.2.0.a", Inspect(path).Revision);
    }
}
