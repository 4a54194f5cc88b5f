using System.Diagnostics;
using System.Text.Json;
using Hone.Cli.Output;
using Hone.Cli.Running;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

/// <summary>What a new user meets in the first hour with the hone command: files, messages, masking, confirmations.</summary>
public sealed class FirstHourTests : IDisposable
{
    private const string Secret = "s3cr3tpw";
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Runs hone as a process in <paramref name="folder"/> without $HONE_STORAGE, so the default storage is that folder's hone.db.</summary>
    private static async Task<CliResult> RunInFolderAsync(string folder, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        info.Environment.Remove("HONE_STORAGE");
        info.ArgumentList.Add(CliRunner.ToolPath);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static TheoryData<string[]> ReadOnlyCommands() => new()
    {
        new[] { "studies" },
        new[] { "trials" },
        new[] { "best" },
        new[] { "export" },
        new[] { "export", "--format", "json" },
        new[] { "delete", "--study-name", "s" },
        new[] { "ask" },
        new[] { "tell", "--trial-number", "0", "--values", "1" },
        new[] { "enqueue", "--params", "{\"x\": 1}" },
        new[] { "studies", "--storage", "sqlite:///typo.db" },
        new[] { "trials", "--storage", "sqlite:///typo.db" },
        new[] { "best", "--storage", "sqlite:///typo.db" },
    };

    [Theory]
    [MemberData(nameof(ReadOnlyCommands))]
    public async Task CommandOnAMissingDatabase_FailsNamingThePath_AndCreatesNoFile(string[] args)
    {
        var result = await RunInFolderAsync(_dir.Path, args);

        Assert.True(result.ExitCode == 1, result.ToString());
        var expected = args.Contains("sqlite:///typo.db") ? _dir["typo.db"] : _dir.Db;
        Assert.Contains($"there is no database file {expected}", result.Error, StringComparison.Ordinal);
        Assert.Contains("No .db file was found", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public async Task CommandOnAMissingDatabase_ListsTheDatabasesNearby()
    {
        Directory.CreateDirectory(_dir["runs/a"]);
        Assert.Equal(0, (await CliRunner.RunAsync("create-study", "--storage", "sqlite:///" + _dir["runs/a/hone.db"], "--study-name", "s")).ExitCode);

        var result = await RunInFolderAsync(_dir.Path, "studies");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("Databases found nearby: runs/a/hone.db. Pass one with --storage sqlite:///runs/a/hone.db", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.Db));
    }

    private string PostgresSweep()
    {
        _dir.Write("sweep.yaml", $$"""
            study: s
            storage: postgresql://u:{{Secret}}@localhost:1/db
            parameters:
              x: {type: float, low: 0, high: 1}
            command: [true]
            trials: 1
            """);
        return _dir["sweep.yaml"];
    }

    public static TheoryData<string[]> PasswordCommands() => new()
    {
        new[] { "check", "SWEEP" },
        new[] { "optimize", "SWEEP" },
        new[] { "studies", "--sweep", "SWEEP" },
        new[] { "trials", "--sweep", "SWEEP" },
        new[] { "studies", "--storage", $"postgresql://u:{Secret}@localhost:1/db" },
        new[] { "best", "--storage", $"postgresql://u:{Secret}@localhost:1/db", "--study-name", "s" },
        new[] { "create-study", "--storage", $"postgresql://u:{Secret}@localhost:1/db", "--study-name", "s" },
        new[] { "tune", "--data", "DATA", "--storage", $"postgresql://u:{Secret}@localhost:1/db", "-n", "1" },
        new[] { "studies", "--storage", $"host=localhost port=1 dbname=db user=u password={Secret}" },
        new[] { "studies", "--storage", $"nosuch://u:{Secret}@localhost:1/db" },
    };

    [Theory]
    [MemberData(nameof(PasswordCommands))]
    public async Task PostgresPassword_NeverAppearsInOutputOrErrors(string[] args)
    {
        var sweep = PostgresSweep();
        var line = args.Select(a => a == "SWEEP" ? sweep : a == "DATA" ? TuneNamingTests.Data("iris.csv") : a).ToArray();

        var result = await CliRunner.RunAsync(line);

        Assert.True(result.ExitCode is 0 or 2 or 4, result.ToString());
        Assert.DoesNotContain(Secret, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Error, StringComparison.Ordinal);
        Assert.True(result.Output.Length + result.Error.Length > 0);
        if (args[0] == "check")
        {
            Assert.Contains("postgresql://u:***@localhost:1/db", result.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("postgresql://user:password@host:port/database")]
    [InlineData("password=...")]
    public void HelpPlaceholders_AreNotMistakenForPasswords(string text) => Assert.Equal(text, Messages.Clean(text));

    [Theory]
    [InlineData("postgresql://u:hunter2@db:5432/x", "postgresql://u:***@db:5432/x")]
    [InlineData("host=db password=hunter2 user=u", "host=db password=*** user=u")]
    public void Passwords_AreMasked(string text, string expected) => Assert.Equal(expected, Messages.Clean(text));

    [Fact]
    public async Task Delete_WithoutAName_RefusesUnlessYes()
    {
        var url = _dir.StorageUrl;
        Assert.Equal(0, (await CliRunner.RunAsync("create-study", "--storage", url, "--study-name", "only")).ExitCode);

        var refused = await CliRunner.RunAsync("delete", "--storage", url);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("--study-name \"only\"", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--yes", refused.Error, StringComparison.Ordinal);
        Assert.NotNull(Study.Load("only", url));

        var deleted = await CliRunner.RunAsync("delete", "--storage", url, "--yes");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Contains("Deleted study \"only\"", deleted.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync("create-study", "--storage", url, "--study-name", "named")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("delete", "--storage", url, "--study-name", "named")).ExitCode);
    }

    [Fact]
    public async Task CreateStudy_OnAnExistingName_NamesTheCliFlag()
    {
        var url = _dir.StorageUrl;
        Assert.Equal(0, (await CliRunner.RunAsync("create-study", "--storage", url, "--study-name", "s")).ExitCode);

        var result = await CliRunner.RunAsync("create-study", "--storage", url, "--study-name", "s");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--skip-if-exists", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("LoadIfExists", result.Error, StringComparison.Ordinal);
    }

    private async Task<string> StudyWithOneTrialAsync()
    {
        var url = _dir.StorageUrl;
        Assert.Equal(0, (await CliRunner.RunAsync("create-study", "--storage", url, "--study-name", "s")).ExitCode);
        const string space = """{"lr": {"name": "FloatDistribution", "attributes": {"low": 0.001, "high": 0.1, "log": true}}, "opt": {"name": "CategoricalDistribution", "attributes": {"choices": ["adam", "sgd"]}}}""";
        Assert.Equal(0, (await CliRunner.RunAsync("ask", "--storage", url, "--search-space", space)).ExitCode);
        return url;
    }

    [Theory]
    [InlineData("{\"lrr\": 0.01}", "\"lrr\" is not a parameter (did you mean \"lr\"?)")]
    [InlineData("{\"lr\": 5}", "\"lr\" = 5 is not a number from 0.001 to 0.1, log scale")]
    [InlineData("{\"opt\": \"rmsprop\"}", "\"opt\" = \"rmsprop\" is not one of \"adam\", \"sgd\"")]
    public async Task Enqueue_ParametersOutsideTheSearchSpace_AreRefusedUnlessForced(string parameters, string expected)
    {
        var url = await StudyWithOneTrialAsync();

        var refused = await CliRunner.RunAsync("enqueue", "--storage", url, "--params", parameters);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains(expected, refused.Error, StringComparison.Ordinal);
        Assert.Contains("Known parameters: lr (a number from 0.001 to 0.1, log scale), opt (one of \"adam\", \"sgd\")", refused.Error, StringComparison.Ordinal);
        Assert.Empty(Study.Load("s", url).GetTrials(TrialState.Waiting));

        var forced = await CliRunner.RunAsync("enqueue", "--storage", url, "--params", parameters, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Single(Study.Load("s", url).GetTrials(TrialState.Waiting));
    }

    [Fact]
    public async Task Enqueue_ParametersInTheSearchSpace_AreQueued()
    {
        var url = await StudyWithOneTrialAsync();
        var result = await CliRunner.RunAsync("enqueue", "--storage", url, "--params", "{\"lr\": 0.01, \"opt\": \"sgd\"}");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Tell_AcceptsInfinities()
    {
        var url = _dir.StorageUrl;
        Assert.Equal(0, (await CliRunner.RunAsync("create-study", "--storage", url, "--study-name", "s")).ExitCode);
        string[] spellings = ["inf", "-inf", "+inf", "Infinity"];
        for (var i = 0; i < spellings.Length; i++)
        {
            Assert.Equal(0, (await CliRunner.RunAsync("ask", "--storage", url)).ExitCode);
            var told = await CliRunner.RunAsync("tell", "--storage", url, "--trial-number", $"{i}", "--values", spellings[i]);
            Assert.True(told.ExitCode == 0, told.ToString());
        }

        var values = Study.Load("s", url).Trials.Select(t => t.Values![0]).ToArray();
        Assert.Equal([double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, double.PositiveInfinity], values);
    }

    [Theory]
    [InlineData(2.12331e-05, "2.123e-05")]
    [InlineData(0.219871234, "0.219871")]
    [InlineData(15_000_000.0, "1.5e+07")]
    [InlineData(0.0, "0")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Number_IsPrintedInPythonStyle(double value, string expected) => Assert.Equal(expected, Formatting.Number(value));

    [Theory]
    [InlineData(2.12331e-05, "2.12331e-05")]
    [InlineData(1e300, "1e+300")]
    [InlineData(0.1, "0.1")]
    public void RoundTrip_UsesALowerCaseExponent(double value, string expected) => Assert.Equal(expected, Formatting.RoundTrip(value));

    [Fact]
    public async Task Tables_PrintSmallValuesWithALowerCaseExponent()
    {
        var url = _dir.StorageUrl;
        Assert.Equal(0, (await CliRunner.RunAsync("create-study", "--storage", url, "--study-name", "s")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("ask", "--storage", url)).ExitCode);
        var told = await CliRunner.RunAsync("tell", "--storage", url, "--trial-number", "0", "--values", "2.12331e-05");
        Assert.Contains("[2.123e-05]", told.Output, StringComparison.Ordinal);
        var table = await CliRunner.RunAsync("trials", "--storage", url);
        Assert.Contains("2.12331e-05", table.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("E-05", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_OffersTheTableFormat()
    {
        var url = _dir.StorageUrl;
        Assert.Equal(0, (await CliRunner.RunAsync("create-study", "--storage", url, "--study-name", "s")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("ask", "--storage", url)).ExitCode);
        var result = await CliRunner.RunAsync("export", "--storage", url, "--format", "table");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"\| number \| value +\|", result.Output);
    }

    [Fact]
    public void PlainDisplay_NumbersLinesInTheOrderTheyArePrinted()
    {
        // Two trials finish (the run's count is 2) before either is printed, and the later one prints first.
        var state = new RunState("s", "inmemory", 30, 0, 2, maximize: false);
        FrozenTrial Done(int number) => new() { Number = number, State = TrialState.Complete, Values = [number] };
        var (first, second) = (Done(0), Done(1));
        state.Finish(first);
        state.Finish(second);
        var output = new StringWriter();
        var display = new PlainDisplay(output, TextWriter.Null);
        var outcome = new TrialOutcome(TrialState.Complete, [0], null, [], false, 0);

        display.TrialFinished(state, second, outcome);
        display.TrialFinished(state, first, outcome);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("[1/30] trial 1 ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("[2/30] trial 0 ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveView_OnCtrlC_IsErasedBeforeThePlainSummary()
    {
        _dir.Write("sweep.yaml", $"""
            study: s
            storage: {_dir.StorageUrl}
            parameters:
              x: {"{"}type: float, low: 0, high: 1{"}"}
            command: [sh, -c, "touch started; sleep 30"]
            grace_period: 1s
            trials: 2
            """);
        using var interrupt = new CancellationTokenSource();

        var run = CliRunner.RunAsync(["optimize", _dir["sweep.yaml"]], interrupt.Token, terminal: true);
        for (var i = 0; i < 600 && !File.Exists(_dir["started"]) && !run.IsCompleted; i++)
        {
            await Task.Delay(100);
        }

        await interrupt.CancelAsync();
        var result = await run;

        Assert.True(result.ExitCode == 130, result.ToString());
        var summary = result.Output.LastIndexOf("hone: 1 trial(s)", StringComparison.Ordinal);
        var lastBox = result.Output.LastIndexOf("hone optimize", StringComparison.Ordinal);
        Assert.True(summary > lastBox, result.Output);
        Assert.Contains("[1/2] trial 0 fail", result.Output[lastBox..], StringComparison.Ordinal);
        Assert.DoesNotContain("╭", result.Output[summary..], StringComparison.Ordinal);
    }
}
