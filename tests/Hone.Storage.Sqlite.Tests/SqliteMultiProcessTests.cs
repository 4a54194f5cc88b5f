using Hone.Storage.Tests;
using Microsoft.Data.Sqlite;

namespace Hone.Storage.Sqlite.Tests;

public sealed class SqliteMultiProcessTests : MultiProcessTests, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override int Workers => 16;

    protected override string NewDatabase() => "sqlite:///" + _folder.File($"shared-{Guid.NewGuid():N}.db");

    protected override void AssertIntegrity(string url)
    {
        using var c = new SqliteConnection($"Data Source={StorageUrl.Parse(url).SqlitePath()};Pooling=false");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", cmd.ExecuteScalar() as string);
    }

    public void Dispose() => _folder.Dispose();
}
