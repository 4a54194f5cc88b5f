using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

public sealed class TuneCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Data(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "data", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException(name);
    }

    [Fact]
    public async Task Tune_RunsTrialsIntoTheStudy_AndSavesTheModel()
    {
        var result = await CliRunner.RunAsync(
            "tune", "--data", Data("wine_data.csv"), "--task", "multiclass", "--trainers", "SdcaMaximumEntropy", "-n", "2",
            "--validation", "holdout:0.3", "--storage", _dir.StorageUrl, "--study-name", "wine", "--out", _dir["out"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Best trial", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(_dir["out/model.zip"]));
        var report = File.ReadAllText(_dir["out/report.html"]);
        Assert.Contains("Tuning statistics (hone tune)", report, StringComparison.Ordinal);
        Assert.Contains("SdcaMaximumEntropy", report, StringComparison.Ordinal);
        Assert.Equal(2, Study.Load("wine", _dir.StorageUrl).Trials.Count(t => t.State.IsFinished()));
        var listed = await CliRunner.RunAsync("trials", "--storage", _dir.StorageUrl, "--study-name", "wine");
        Assert.Contains("SdcaMaximumEntropy", listed.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--task", "clustering")]
    [InlineData("--metric", "auc")]
    [InlineData("--validation", "folds:x")]
    public async Task Tune_BadArguments_ExitWithUsage(string option, string value)
    {
        var result = await CliRunner.RunAsync("tune", "--data", Data("wine_data.csv"), "--task", "multiclass", option, value, "-n", "1");
        Assert.True(result.ExitCode == 2, result.ToString());
    }

    [Fact]
    public async Task Tune_MissingData_ExitsWithNotFound()
    {
        var result = await CliRunner.RunAsync("tune", "--data", _dir["nope.csv"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }
}
