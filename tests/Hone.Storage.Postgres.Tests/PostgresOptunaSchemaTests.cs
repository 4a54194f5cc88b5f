using Hone.Studies;
using Npgsql;

namespace Hone.Storage.Postgres.Tests;

/// <summary>The <c>optuna_schema</c> option on PostgreSQL, in both URL forms Hone accepts it in.</summary>
public sealed class PostgresOptunaSchemaTests : IDisposable
{
    private readonly List<string> _schemas = [];

    public void Dispose() => PostgresServer.Drop(_schemas);

    private static (string Revision, bool StudyIdIndex) Inspect(string url)
    {
        using var c = new NpgsqlConnection(PostgresBackend.ConnectionString(StorageUrl.Parse(url)));
        c.Open();
        using var revision = new NpgsqlCommand("SELECT version_num FROM alembic_version", c);
        using var index = new NpgsqlCommand("SELECT to_regclass('trials_study_id_key') IS NOT NULL", c);
        return ((string)revision.ExecuteScalar()!, (bool)index.ExecuteScalar()!);
    }

    [PostgresFact]
    public void UrlForm_OptunaSchema30_CreatesRevision300d_WithoutTheIndex_AndTheDefaultHasIt()
    {
        var old = PostgresServer.NewSchema(_schemas);
        Study.Create(new StudyOptions { Name = "s", StorageUrl = old + "&optuna_schema=3.0" });
        Assert.Equal(("v3.0.0.d", false), Inspect(old));

        var current = PostgresServer.NewSchema(_schemas);
        Study.Create(new StudyOptions { Name = "s", StorageUrl = current });
        Assert.Equal(("v3.2.0.a", true), Inspect(current));

        var e = Assert.Throws<StorageException>(() => Study.Load("s", current + "&optuna_schema=3.1"));
        Assert.Contains("already has Optuna schema revision v3.2.0.a", e.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void KeywordForm_TakesTheOptionToo()
    {
        var url = PostgresServer.NewSchema(_schemas);
        var uri = new Uri(url);
        var user = uri.UserInfo.Split(':');
        var schema = url[(url.LastIndexOf("%3D", StringComparison.Ordinal) + 3)..];
        var keywords = $"host={uri.Host} port={uri.Port} dbname={uri.AbsolutePath.TrimStart('/')} user={Uri.UnescapeDataString(user[0])} " +
            $"password={Uri.UnescapeDataString(user[1])} search_path={schema} optuna_schema=3.0";

        Study.Create(new StudyOptions { Name = "s", StorageUrl = keywords });

        Assert.Equal(("v3.0.0.d", false), Inspect(url));
    }

    [PostgresFact]
    public void UnknownValue_IsRefused()
    {
        var url = PostgresServer.NewSchema(_schemas) + "&optuna_schema=2";
        var e = Assert.Throws<StorageException>(() => new PostgresStorage(url));
        Assert.Contains("optuna_schema=2,", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(":hone@", e.Message, StringComparison.Ordinal);
    }
}
