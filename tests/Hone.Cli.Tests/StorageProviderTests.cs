namespace Hone.Cli.Tests;

/// <summary>A storage URL whose scheme has no provider: a clear message on stderr, no stack trace.</summary>
public sealed class StorageProviderTests
{
    [Fact]
    public async Task UnknownScheme_IsOneClearLine_WithoutAStackTrace()
    {
        var result = await CliRunner.RunAsync("studies", "--storage", "mysql://u:s3cret@localhost/db");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("scheme \"mysql\"", result.Error, StringComparison.Ordinal);
        Assert.Contains("sqlite:///", result.Error, StringComparison.Ordinal); // what would be right
        Assert.DoesNotContain("   at ", result.Error + result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error + result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", result.Error + result.Output, StringComparison.Ordinal);
    }
}
