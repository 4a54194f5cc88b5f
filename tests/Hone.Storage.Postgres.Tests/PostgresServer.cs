using Hone.Storage.Tests;
using Npgsql;

namespace Hone.Storage.Postgres.Tests;

/// <summary>
/// The PostgreSQL server the tests use: <c>HONE_TEST_POSTGRES</c> (a postgresql:// URL), by default
/// <c>postgresql://hone:hone@localhost:5432/hone</c> as .ci/run creates it. Each test gets its own schema.
/// </summary>
internal static class PostgresServer
{
    public static readonly string BaseUrl =
        Environment.GetEnvironmentVariable("HONE_TEST_POSTGRES") is { Length: > 0 } url ? url : "postgresql://hone:hone@localhost:5432/hone";

    private static readonly Lazy<string?> Missing = new(() =>
    {
        try
        {
            using var c = new NpgsqlConnection(PostgresBackend.ConnectionString(StorageUrl.Parse(BaseUrl)) + ";Timeout=5");
            c.Open();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or StorageException or TimeoutException)
        {
            return $"PostgreSQL is not reachable at {StorageUrl.Parse(BaseUrl)} ({e.Message}); run .ci/run, or set HONE_TEST_POSTGRES";
        }
    });

    public static string? WhyMissing => Missing.Value;

    /// <summary>Makes the storage tests need the server: skipped locally without it, failing when CI=true.</summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
#pragma warning disable CA2255 // test-assembly setup
    internal static void Require() => Hone.Tests.Storage.StorageFactAttribute.Requirement = () => WhyMissing;
#pragma warning restore CA2255

    /// <summary>A fresh schema; returns the URL that selects it (understood by Hone and by SQLAlchemy/psycopg2).</summary>
    public static string NewSchema(List<string> created)
    {
        var schema = $"t_{Guid.NewGuid():N}";
        Execute($"CREATE SCHEMA {schema}");
        created.Add(schema);
        var sep = BaseUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{BaseUrl}{sep}options=-csearch_path%3D{schema}";
    }

    public static void Drop(List<string> created)
    {
        if (WhyMissing is not null)
        {
            return;
        }

        foreach (var schema in created)
        {
            Execute($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    private static void Execute(string sql)
    {
        if (WhyMissing is { } why)
        {
            throw new InvalidOperationException(why);
        }

        using var c = new NpgsqlConnection(PostgresBackend.ConnectionString(StorageUrl.Parse(BaseUrl)));
        c.Open();
        using var cmd = c.CreateCommand();
#pragma warning disable CA2100
        cmd.CommandText = sql;
#pragma warning restore CA2100
        cmd.ExecuteNonQuery();
    }
}

/// <summary>A test that needs the PostgreSQL server.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.WhyMissing is { } why && !External.InCi)
        {
            Skip = why;
        }
    }
}
