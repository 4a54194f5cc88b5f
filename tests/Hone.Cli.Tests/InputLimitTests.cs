using Hone.Cli.Sweep;

namespace Hone.Cli.Tests;

/// <summary>Sweep files that used to crash hone or pass check and then fail optimize: each is refused at its place.</summary>
public sealed class InputLimitTests : IDisposable
{
    private const string Good = """
        study: s
        parameters:
          lr: {type: float, low: 0.001, high: 1, log: true}
          opt: [adam, sgd]
        command: [./train.sh, "{lr}"]
        """;

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<CliResult> CheckAsync(string yaml)
    {
        _dir.Write("sweep.yaml", yaml);
        return await CliRunner.RunAsync("check", _dir["sweep.yaml"]);
    }

    private async Task AssertRefusedAsync(string yaml, params string[] expected)
    {
        var result = await CheckAsync(yaml);
        Assert.True(result.ExitCode == 2, result.ToString());
        foreach (var e in expected)
        {
            Assert.Contains(e, result.Error, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[", 35_000)]
    [InlineData("{a: ", 30_000)]
    [InlineData("- ", 35_000)]
    [InlineData("[", 101)]
    public async Task DeepNesting_IsRefusedBeforeParsing_WithPlaceAndLimit(string opener, int depth)
    {
        var text = Good + "\nresult: " + string.Concat(Enumerable.Repeat(opener, depth)) + "\n";
        await AssertRefusedAsync(text, "sweep.yaml:6:", "at most 100 levels");
    }

    [Fact]
    public async Task DeepIndentation_IsRefused()
    {
        var lines = Enumerable.Range(0, 150).Select(i => new string(' ', i) + "k" + i + ":");
        await AssertRefusedAsync(Good + "\nenv:\n" + string.Join("\n", lines.Skip(1)) + " x\n", "at most 100 levels");
    }

    [Fact]
    public async Task NestingWithinTheLimit_StillParses()
    {
        var text = Good + "\nsampler: {name: tpe}\nenv: {A: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'}\n";
        var result = await CheckAsync(text);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task HugeFile_IsRefusedWithoutReadingIt()
    {
        var path = _dir["sweep.yaml"];
        using (var f = File.Create(path))
        {
            f.SetLength(SweepLimits.MaxBytes + 1);
        }

        var result = await CliRunner.RunAsync("check", path);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("at most 1 MiB", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndlessDevice_IsRefusedAfterTheLimit()
    {
        var result = await CliRunner.RunAsync("check", "/dev/zero");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("at most 1 MiB", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trial_timeout: 99999999999999h", "trial_timeout \"99999999999999h\" is longer than the maximum of 24d (576h)")]
    [InlineData("timeout: 1e300", "timeout \"1e300\" is longer than the maximum")]
    [InlineData("grace_period: 25d", "grace_period \"25d\" is longer than the maximum")]
    [InlineData("timeout: 99999999999999999999999999999999999999m", "is longer than the maximum")]
    [InlineData("trial_timeout: -5", "trial_timeout must be a positive duration")]
    [InlineData("trial_timeout: 0s", "trial_timeout must be a positive duration")]
    public async Task HugeOrBadDurations_AreRefusedWithTheMaximum(string line, string expected) =>
        await AssertRefusedAsync(Good + "\n" + line + "\n", expected);

    [Fact]
    public async Task DurationAtTheMaximum_IsAccepted()
    {
        var result = await CheckAsync(Good + "\ntimeout: 24d\ntrial_timeout: 1h30m\n");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("workdir: \"\\0\"", "sweep.yaml:6:10:", "NUL")]
    [InlineData("logs: \"a\\0b\"", "sweep.yaml:6:7:", "NUL")]
    [InlineData("env: {A: \"x\\0\"}", "NUL")]
    [InlineData("result: {file: \"out\\0.json\"}", "NUL")]
    public async Task NulInAPathOrValue_IsRefusedAtItsPlace(string line, params string[] expected) =>
        await AssertRefusedAsync(Good + "\n" + line + "\n", expected);

    [Fact]
    public async Task NulInACategoricalChoice_IsRefused() =>
        await AssertRefusedAsync(Good.Replace("opt: [adam, sgd]", "opt: [adam, \"sg\\0d\"]", StringComparison.Ordinal), "sweep.yaml:4:15:", "NUL");

    [Fact]
    public async Task NulInTheCommand_IsRefused() =>
        await AssertRefusedAsync(Good.Replace("./train.sh", "\"./tr\\0ain.sh\"", StringComparison.Ordinal), "sweep.yaml:5:11:", "NUL");

    [Theory]
    [InlineData("command: [\"\"]", "sweep.yaml:5:11: command: the program (the first argument) is empty")]
    [InlineData("command: \"  \"", "command is empty")]
    [InlineData("command: \"'' x\"", "the program (the first word) is empty")]
    [InlineData("command: \"{lr} x\"", "the program itself cannot be a placeholder")]
    public async Task EmptyProgram_IsRefused(string line, string expected) =>
        await AssertRefusedAsync(Good.Replace("command: [./train.sh, \"{lr}\"]", line, StringComparison.Ordinal), expected);

    [Fact]
    public async Task EmptyShellCommand_IsRefused() =>
        await AssertRefusedAsync(Good.Replace("command: [./train.sh, \"{lr}\"]", "shell: true\ncommand: \" \"", StringComparison.Ordinal), "command is empty");

    [Theory]
    [InlineData("storage: \"postgresql://\"", "sweep.yaml:6:10: storage:", "names no server")]
    [InlineData("storage: \"sqlite:///x.db?synchronous=full&synchronous=off\"", "\"synchronous\" more than once")]
    [InlineData("storage: \"sqlite:///x.db?synchronous=maybe\"", "synchronous=maybe")]
    [InlineData("storage: \"postgresql://h/db?colour=blue\"", "unknown option \"colour\"")]
    [InlineData("storage: \"mysql:/x\"", "is not a storage URL")]
    public async Task BadStorage_IsRefusedByCheck(string line, params string[] expected) =>
        await AssertRefusedAsync(Good + "\n" + line + "\n", expected);

    [Fact]
    public async Task BadStorageOverride_IsAUsageError()
    {
        _dir.Write("sweep.yaml", Good);
        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"], "--storage", "postgresql://");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--storage:", result.Error, StringComparison.Ordinal);
        Assert.Contains("names no server", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BruteForceWithAContinuousFloat_IsRefusedByCheck() =>
        await AssertRefusedAsync(Good + "\nsampler: bruteforce\n", "sampler bruteforce:", "\"lr\"", "give it a step");

    [Fact]
    public async Task BruteForceWithAHugeRange_IsRefusedByCheck() =>
        await AssertRefusedAsync(Good.Replace("lr: {type: float, low: 0.001, high: 1, log: true}", "lr: {type: int, low: 0, high: 100000000}", StringComparison.Ordinal)
            + "\nsampler: bruteforce\n", "\"lr\"", "100000001", "1,000,000");

    [Fact]
    public async Task GridBeyondItsLimit_IsRefusedByCheck()
    {
        var yaml = """
            parameters:
              a: {type: int, low: 0, high: 9999}
              b: {type: int, low: 0, high: 9999}
            command: [x, "{a}", "{b}"]
            sampler: grid
            """;
        await AssertRefusedAsync(yaml, "sampler grid:", "1E+08 points", "10000000");
    }

    [Theory]
    [InlineData("  x: {type: float, low: 1e-9, high: 1.797e308, step: 0.5}", "2^53")]
    [InlineData("  x: {type: float, low: -1.797e308, high: 1e308}", "too wide")]
    [InlineData("  x: {type: float, low: -1e308, high: -9.41, step: 1e308}", "parameter \"x\"")]
    public async Task ExtremeFloatRanges_AreRefused(string line, string expected) =>
        await AssertRefusedAsync(Good.Replace("  opt: [adam, sgd]", line, StringComparison.Ordinal), expected);

    [Fact]
    public async Task TooManyJobs_IsRefused() =>
        await AssertRefusedAsync(Good + "\njobs: 2147483647\n", "sweep.yaml:6:7: jobs must be at most 1024");

    [Fact]
    public async Task RecursiveAlias_IsRefused() =>
        await AssertRefusedAsync(Good + "\n? &k [*k]\n: 1\n", "sweep.yaml:6:", "cannot be recursive");

    [Fact]
    public async Task EnvNameWithEquals_IsRefused() =>
        await AssertRefusedAsync(Good + "\nenv: {\"A=B\": x}\n", "contains \"=\"");

    [Fact]
    public async Task OverlongStudyName_IsRefused() =>
        await AssertRefusedAsync(Good.Replace("study: s", "study: " + new string('s', 600), StringComparison.Ordinal), "1 to 512 characters");

    [Fact]
    public async Task TwentyThousandChoices_CheckQuickly()
    {
        var choices = string.Join(", ", Enumerable.Range(0, 20_000).Select(i => "c" + i));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await CheckAsync(Good.Replace("opt: [adam, sgd]", $"opt: [{choices}]", StringComparison.Ordinal));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
