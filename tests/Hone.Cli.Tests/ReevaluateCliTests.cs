using System.Text.Json;

namespace Hone.Cli.Tests;

public sealed class ReevaluateCliTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Data(string name) => RepoData.Path(name);

    [Theory]
    [InlineData("--reevaluate", "-1", "--reevaluate -1 is out of range; expected a whole number from 0 to 100")]
    [InlineData("--reevaluate", "many", "--reevaluate many is not a whole number")]
    [InlineData("--reevaluate-repeats", "0", "--reevaluate-repeats 0 is out of range; expected a whole number from 1 to 100")]
    public async Task Tune_BadReevaluateValues_NameTheFlag(string flag, string value, string expected)
    {
        var result = await CliRunner.RunAsync("tune", "--data", Data("iris.csv"), "--task", "multiclass", flag, value, "-n", "1", "--storage", _dir.StorageUrl);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tune_ReevaluateWithASecondObjective_IsAUsageError()
    {
        var result = await CliRunner.RunAsync("tune", "--data", Data("iris.csv"), "--task", "multiclass", "--second-objective", "size", "--reevaluate", "2", "-n", "1",
            "--storage", _dir.StorageUrl);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--reevaluate works with one objective", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tune_Reevaluate_PrintsProgressAndTheGap_AndWritesItToSummaryJson()
    {
        var result = await CliRunner.RunAsync(
            "tune", "--data", Data("iris.csv"), "--task", "multiclass", "--trainers", "LbfgsMaximumEntropy", "-n", "3", "--jobs", "1",
            "--reevaluate", "2", "--reevaluate-repeats", "1", "--storage", _dir.StorageUrl, "--study-name", "re", "--out", _dir["out"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"\[re-evaluation 1/1\] \d of \d configuration\(s\) racing on fresh folds, leader trial \d", result.Output);
        Assert.Contains("Winner's-curse gap of trial #", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"Cost: \d+ fits \(", result.Output);
        using var summary = JsonDocument.Parse(File.ReadAllText(_dir["out/summary.json"]));
        var re = summary.RootElement.GetProperty("reevaluation");
        Assert.True(re.GetProperty("ran").GetBoolean());
        Assert.Equal(summary.RootElement.GetProperty("best").GetProperty("trial").GetInt32(), re.GetProperty("winner").GetInt32());
        Assert.Equal([1001], re.GetProperty("fold_seeds").EnumerateArray().Select(x => x.GetInt32()));
    }
}
