using System.Text.RegularExpressions;

namespace Hone.Cli.Tests;

/// <summary>One test per row of the exit-code table in docs/cli.md, and the table itself.</summary>
public sealed partial class ExitCodeTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<CliResult> WithStudyAsync(params string[] args)
    {
        var created = await CliRunner.RunAsync("create-study", "--storage", _dir.StorageUrl, "--study-name", "s");
        Assert.True(created.ExitCode == 0, created.ToString());
        return await CliRunner.RunAsync([.. args, "--storage", _dir.StorageUrl]);
    }

    private static void AssertExit(int expected, CliResult result) => Assert.True(result.ExitCode == expected, result.ToString());

    [Fact]
    public void DocsTable_ListsExactlyTheCodesHoneUses()
    {
        var docs = File.ReadAllText(Path.Combine(Path.GetDirectoryName(TuneNamingTests.Data("iris.csv"))!, "..", "docs", "cli.md"));
        var section = docs[docs.IndexOf("## Exit codes", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var codes = TableRow().Matches(section).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([ExitCodes.Ok, ExitCodes.NotFound, ExitCodes.Usage, ExitCodes.AllTrialsFailed, ExitCodes.Error, ExitCodes.Shifted, ExitCodes.Interrupted], codes);
    }

    [Fact]
    public async Task Row0_Done() => AssertExit(0, await WithStudyAsync("studies"));

    [Theory]
    [InlineData("trials", "--study-name", "nope")]
    [InlineData("delete", "--study-name", "nope")]
    [InlineData("tell", "--study-name", "s", "--trial-number", "7", "--values", "1")]
    [InlineData("best", "--study-name", "s")]
    [InlineData("importance", "--study-name", "s")]
    public async Task Row1_NotFound_StudyTrialOrCompleteTrial(params string[] args) => AssertExit(1, await WithStudyAsync(args));

    [Theory]
    [InlineData("trials")]
    [InlineData("delete")]
    [InlineData("ask")]
    public async Task Row1_NotFound_AStorageWithNoStudy(string command)
    {
        Assert.Equal(0, (await CliRunner.RunAsync("create-study", "--storage", _dir.StorageUrl, "--study-name", "s")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("delete", "--storage", _dir.StorageUrl, "--study-name", "s")).ExitCode);
        var result = await CliRunner.RunAsync(command, "--storage", _dir.StorageUrl);
        AssertExit(1, result);
        Assert.Contains("has no study yet", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row1_NotFound_TheDatabaseFile() => AssertExit(1, await CliRunner.RunAsync("studies", "--storage", "sqlite:///" + _dir["missing.db"]));

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("trials", "--frobnicate")]
    [InlineData("trials", "--format", "xml")]
    [InlineData("tell", "--study-name", "s", "--trial-number", "x")]
    [InlineData("create-study", "--study-name", "s")]
    [InlineData("enqueue", "--study-name", "s", "--params", "[1]")]
    [InlineData("importance", "--study-name", "s", "--method", "shap")]
    public async Task Row2_Usage(params string[] args) => AssertExit(2, await WithStudyAsync(args));

    [Fact]
    public async Task Row2_Usage_TellingAFinishedTrial()
    {
        await WithStudyAsync("ask");
        Assert.Equal(0, (await CliRunner.RunAsync("tell", "--storage", _dir.StorageUrl, "--trial-number", "0", "--values", "1")).ExitCode);
        AssertExit(2, await CliRunner.RunAsync("tell", "--storage", _dir.StorageUrl, "--trial-number", "0", "--values", "1"));
    }

    [Fact]
    public async Task Row3_EveryTrialFailed()
    {
        _dir.Write("sweep.yaml", $"""
            study: s
            storage: {_dir.StorageUrl}
            parameters:
              x: {"{"}type: float, low: 0, high: 1{"}"}
            command: ["false"]
            trials: 2
            """);
        AssertExit(3, await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]));
    }

    [Fact]
    public async Task Row4_TheStorageCannotBeOpened()
    {
        File.WriteAllText(_dir.Db, "this is not a SQLite database, it is a text file that happens to be called hone.db\n");
        var result = await CliRunner.RunAsync("studies", "--storage", _dir.StorageUrl);
        AssertExit(4, result);
        Assert.StartsWith("hone: error: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row130_Interrupted()
    {
        _dir.Write("sweep.yaml", $"""
            study: s
            storage: {_dir.StorageUrl}
            parameters:
              x: {"{"}type: float, low: 0, high: 1{"}"}
            command: [sh, -c, "touch started; sleep 30"]
            grace_period: 1s
            trials: 1
            """);
        using var interrupt = new CancellationTokenSource();
        var run = CliRunner.RunAsync(["optimize", _dir["sweep.yaml"]], interrupt.Token);
        for (var i = 0; i < 600 && !File.Exists(_dir["started"]) && !run.IsCompleted; i++)
        {
            await Task.Delay(100);
        }

        await interrupt.CancelAsync();
        AssertExit(130, await run);
    }

    [GeneratedRegex(@"^\| (\d+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
