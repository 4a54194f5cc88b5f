using Hone.Storage;
using Hone.Storage.Sqlite;
using Hone.Tests.Storage;

namespace Hone.Storage.Sqlite.Tests;

public sealed class SqliteStorageContractTests : StorageContractTests, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override IStorage NewStorage() => new SqliteStorage(_folder.File("contract.db"));

    public void Dispose() => _folder.Dispose();
}
