using Hone.Storage;

namespace Hone.Tests.Storage;

public sealed class InMemoryStorageTests : StorageContractTests
{
    protected override IStorage NewStorage() => new InMemoryStorage();
}
