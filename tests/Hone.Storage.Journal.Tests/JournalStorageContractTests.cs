using Hone.Tests.Storage;

namespace Hone.Storage.Journal.Tests;

public sealed class JournalStorageContractTests : StorageContractTests, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override IStorage NewStorage() => new JournalStorage(_folder.File($"contract-{Guid.NewGuid():N}.log"));

    public void Dispose() => _folder.Dispose();
}

/// <summary>The same contract with the open(O_EXCL) lock instead of the symbolic link.</summary>
public sealed class JournalOpenLockContractTests : StorageContractTests, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override IStorage NewStorage() => new JournalStorage(_folder.File($"contract-{Guid.NewGuid():N}.log"), JournalLockKind.Open);

    public void Dispose() => _folder.Dispose();
}
