using Hone.Storage;

namespace Hone.Tests.Storage;

public class StorageUrlProblemTests
{
    [Theory]
    [InlineData("sqlite:///hone.db")]
    [InlineData("sqlite:////tmp/x.db?synchronous=full&timeout=5")]
    [InlineData("postgresql://u:p@h:5432/db?sslmode=require&connect_timeout=3")]
    [InlineData("postgresql:///db?host=/var/run/postgresql")]
    [InlineData("host=h dbname=d user=u password=p")]
    [InlineData("Host=h;Database=d")]
    [InlineData("inmemory")]
    public void GoodUrls_HaveNoProblem(string url) => Assert.Null(StorageUrl.Problem(url));

    [Theory]
    [InlineData("postgresql://", "names no server")]
    [InlineData("postgresql://u:p@/db", "names no server")]
    [InlineData("sqlite:///x.db?synchronous=full&synchronous=off", "\"synchronous\" more than once")]
    [InlineData("sqlite:///x.db?synchronous=sometimes", "synchronous=sometimes")]
    [InlineData("sqlite:///x.db?colour=blue", "colour=blue")]
    [InlineData("sqlite:///?timeout=1", "names no database file")]
    [InlineData("sqlite:///x\0.db", "NUL")]
    [InlineData("postgresql://h/db?port=99999", "port must be a number from 1 to 65535")]
    [InlineData("postgresql://h/db?sslmode=maybe", "sslmode must be")]
    [InlineData("postgresql://h/db?colour=blue", "unknown option \"colour\"")]
    [InlineData("host=h host=g", "more than once")]
    [InlineData("dbname=d user=u", "names no server")]
    [InlineData("host=h junk", "not a key=value pair")]
    [InlineData("postgresql://h:99999999/db", "not a valid PostgreSQL URL")]
    public void BadUrls_SayWhatIsWrong(string url, string expected)
    {
        var problem = StorageUrl.Problem(url);
        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesAUrlWithoutHost_AndRepeatedOptions()
    {
        Assert.Throws<ArgumentException>(() => StorageUrl.Parse("postgresql://"));
        Assert.Throws<ArgumentException>(() => StorageUrl.Parse("sqlite:///x.db?timeout=1&TIMEOUT=2"));
    }

    [Fact]
    public void Problem_MasksThePassword()
    {
        var problem = StorageUrl.Problem("postgresql://u:s3cret@h/db?colour=blue");
        Assert.NotNull(problem);
        Assert.DoesNotContain("s3cret", problem, StringComparison.Ordinal);
    }
}
