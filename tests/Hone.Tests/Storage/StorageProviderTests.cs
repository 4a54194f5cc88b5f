using Hone.Storage;
using Hone.Studies;

namespace Hone.Tests.Storage;

/// <summary>
/// What a user sees when a storage URL's provider package is missing (this test project references only the
/// core library, so Hone.Storage.Sqlite and Hone.Storage.Postgres really are absent here). The case where the
/// package is referenced but untouched is tested in Hone.Readme.Tests, which references Hone.Storage.Sqlite.
/// </summary>
public class StorageProviderTests
{
    [Theory]
    [InlineData("sqlite:///hone.db", "Hone.Storage.Sqlite")]
    [InlineData("postgresql://u:s3cret@localhost/db", "Hone.Storage.Postgres")]
    public void KnownScheme_WithoutItsPackage_NamesThePackageToAdd(string url, string package)
    {
        Assert.DoesNotContain(package, AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name));

        var e = Assert.Throws<StorageException>(() => Study.Create(new StudyOptions { Name = "s", StorageUrl = url }));

        Assert.Contains($"needs the {package} package", e.Message, StringComparison.Ordinal);
        Assert.Contains($"src/{package}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownScheme_SaysWhichSchemesExist_AndTheirPackages()
    {
        var e = Assert.Throws<StorageException>(() => StorageUrl.Parse("mysql://u@h/d").Open());
        Assert.Contains("scheme \"mysql\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("sqlite (package Hone.Storage.Sqlite)", e.Message, StringComparison.Ordinal);
        Assert.Contains("postgresql (package Hone.Storage.Postgres)", e.Message, StringComparison.Ordinal);
    }
}
