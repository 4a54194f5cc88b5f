using Hone.Storage.Tests;

namespace Hone.Storage.Sqlite.Tests;

public sealed class SqliteOptunaInteropTests : OptunaInteropTests, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override (StorageUrl Hone, string Python) NewDatabase()
    {
        var path = _folder.File($"interop-{Guid.NewGuid():N}.db");
        return (StorageUrl.Parse("sqlite:///" + path), "sqlite:///" + path);
    }

    public void Dispose() => _folder.Dispose();
}
