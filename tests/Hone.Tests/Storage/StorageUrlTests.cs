using Hone.Storage;
using Hone.Studies;

namespace Hone.Tests.Storage;

public sealed class StorageUrlTests
{
    [Theory]
    [InlineData("sqlite:///hone.db", "sqlite", "hone.db")]
    [InlineData("sqlite:////tmp/a b.db", "sqlite", "/tmp/a b.db")]
    [InlineData("SQLITE:///x/y.db?timeout=5", "sqlite", "x/y.db")]
    public void Sqlite_PathFollowsTheThirdSlash(string url, string scheme, string path)
    {
        var parsed = StorageUrl.Parse(url);
        Assert.Equal(scheme, parsed.Scheme);
        Assert.Equal(path, parsed.SqlitePath());
    }

    [Theory]
    [InlineData("postgresql://hone:s3cret@db:5432/studies", "postgresql://hone:***@db:5432/studies")]
    [InlineData("postgresql+psycopg2://hone:s3cret@db/studies", "postgresql+psycopg2://hone:***@db/studies")]
    [InlineData("postgres://u:p%40ss@h/d?sslmode=require", "postgres://u:***@h/d?sslmode=require")]
    [InlineData("postgresql://h/d?password=s3cret", "postgresql://h/d?password=***")]
    [InlineData("host=db dbname=studies user=hone password=s3cret", "host=db dbname=studies user=hone password=***")]
    [InlineData("Host=db;Database=studies;Username=hone;Password=s3cret", "Host=db;Database=studies;Username=hone;Password=***")]
    public void Postgres_PasswordIsMasked(string url, string masked)
    {
        var parsed = StorageUrl.Parse(url);
        Assert.Equal("postgresql", parsed.Scheme);
        Assert.Equal(masked, parsed.ToString());
        Assert.DoesNotContain("s3cret", parsed.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hone.db")]
    [InlineData("sqlite://")]
    [InlineData("sqlite://host/x.db")]
    [InlineData("://x")]
    public void BadUrl_SaysWhatIsRight(string url)
    {
        var e = Assert.Throws<ArgumentException>(() => StorageUrl.Parse(url));
        Assert.Contains("sqlite:///", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownScheme_NamesTheUrlWithoutPassword()
    {
        var e = Assert.Throws<StorageException>(() => StorageUrl.Parse("mysql://u:s3cret@h/d").Open());
        Assert.Contains("mysql://u:***@h/d", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InMemory_OpensAnEmptyStorage()
    {
        var study = Study.Create(new StudyOptions { StorageUrl = "inmemory" });
        study.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 2 });
        Assert.Equal(2, study.Trials.Count);
    }

    [Fact]
    public void StorageAndStorageUrl_Together_AreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Study.Create(new StudyOptions { Storage = new InMemoryStorage(), StorageUrl = "inmemory" }));
        Assert.Contains("only one", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegisteredProvider_IsUsed()
    {
        var storage = new InMemoryStorage();
        StorageUrl.RegisterProvider("hone-test", _ => storage);
        var study = Study.Create(new StudyOptions { Name = "x", StorageUrl = "hone-test://anything" });
        Assert.Equal("x", storage.GetStudy(storage.FindStudy("x")!.Value).Name);
        Assert.Same(storage, Study.Load("x", "hone-test://anything").Storage);
        _ = study;
    }
}
