using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

public sealed class TuneCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Data(string name) => RepoData.Path(name);

    [Fact]
    public async Task Tune_WithoutTask_InfersItFromTheLabel_AndSaysSo()
    {
        var result = await CliRunner.RunAsync(
            "tune", "--data", Data("wine_data.csv"), "--trainers", "SdcaMaximumEntropy", "-n", "2",
            "--validation", "holdout:0.3", "--storage", _dir.StorageUrl, "--out", _dir["out"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("task multiclass, from the label \"target\" (3 distinct numbers); pass --task to choose another", result.Output, StringComparison.Ordinal);
        Assert.Contains("wine_data-multiclass-accuracy", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tune_WithAMetricThatDoesNotFitTheInferredTask_SaysToPassTask()
    {
        var result = await CliRunner.RunAsync(
            "tune", "--data", Data("wine_data.csv"), "--metric", "rmse", "-n", "1", "--storage", _dir.StorageUrl, "--out", _dir["out"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--metric rmse does not fit the label \"target\", which looks like a multiclass task; pass --task", result.Error, StringComparison.Ordinal);
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

    [Fact]
    public async Task Tune_Penguins_EncodesCategoricalColumns_AndNamesAnUnknownColumn()
    {
        var result = await CliRunner.RunAsync(
            "tune", "--data", Data("penguins.csv"), "--label", "species", "--task", "multiclass", "--trainers", "LbfgsMaximumEntropy", "-n", "2",
            "--validation", "stratified:3", "--storage", _dir.StorageUrl, "--study-name", "penguins", "--out", _dir["out"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("2 categorical", result.Output, StringComparison.Ordinal);
        Assert.Contains("preprocessing (tuned)", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"preprocessing\"", File.ReadAllText(_dir["out/summary.json"]), StringComparison.Ordinal);

        var bad = await CliRunner.RunAsync(
            "tune", "--data", Data("penguins.csv"), "--label", "species", "--task", "multiclass", "--ignore", "Island", "-n", "1", "--storage", _dir.StorageUrl);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--ignore", bad.Error, StringComparison.Ordinal);
        Assert.Contains("has no column \"Island\"; its columns are species, island, bill_length_mm", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tune_SecondObjectiveSize_PrintsTheParetoSet_RefitsTheChosenTradeOff()
    {
        var result = await CliRunner.RunAsync(
            "tune", "--data", Data("breast_cancer.csv"), "--trainers", "FastTree,LbfgsLogisticRegression", "-n", "6",
            "--validation", "holdout:0.3", "--second-objective", "size", "--storage", _dir.StorageUrl, "--out", _dir["out"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Pareto set of auc against size (bytes, minimised)", result.Output, StringComparison.Ordinal);
        Assert.Contains("Chosen (*): the knee", result.Output, StringComparison.Ordinal);
        Assert.Contains("Refit model's size:", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(_dir["out/model.zip"]));

        using var study = Study.Load("breast_cancer-binary-auc-size", _dir.StorageUrl);
        Assert.Equal([StudyDirection.Maximize, StudyDirection.Minimize], study.Directions);
        var front = study.BestTrials;
        Assert.NotEmpty(front);
        Assert.All(study.GetTrials(TrialState.Complete), t => Assert.True(t.Values![1] > 0));
        // Every Pareto trial is listed, and the starred one is on the front.
        Assert.All(front, t => Assert.Contains($"trial #{t.Number} ", result.Output, StringComparison.Ordinal));
        var starred = result.Output.Split('\n').Single(l => l.TrimStart().StartsWith("* trial #", StringComparison.Ordinal));
        Assert.Contains(front, t => starred.Contains($"trial #{t.Number} ", StringComparison.Ordinal));
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(_dir["out/summary.json"]));
        Assert.Equal("size", summary.RootElement.GetProperty("second_objective").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Tune_MaxSecond_WithoutSecondObjective_IsAUsageError()
    {
        var result = await CliRunner.RunAsync("tune", "--data", Data("breast_cancer.csv"), "--max-second", "1000", "-n", "1");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--max-second needs --second-objective", result.Error, StringComparison.Ordinal);
        var bad = await CliRunner.RunAsync("tune", "--data", Data("breast_cancer.csv"), "--second-objective", "weight", "-n", "1");
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("use size, latency or train-time", bad.Error, StringComparison.Ordinal);
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
    public async Task Tune_TimeBudget_FailsSlowTrialsInTheUsersTerms_CpuBudget_StopsTheRun_CostIsPrinted()
    {
        var slow = await CliRunner.RunAsync(
            "tune", "--data", Data("iris.csv"), "--task", "multiclass", "--trainers", "LbfgsMaximumEntropy", "-n", "2", "--jobs", "1",
            "--time-budget", "1ms", "--storage", _dir.StorageUrl, "--study-name", "slow", "--out", _dir["slow"]);
        Assert.True(slow.ExitCode == 3, slow.ToString());
        Assert.Contains("ran longer than its time limit of 0.001 s", slow.Output + slow.Error, StringComparison.Ordinal);
        Assert.Contains("--time-budget", slow.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", slow.Output + slow.Error, StringComparison.Ordinal);

        var result = await CliRunner.RunAsync(
            "tune", "--data", Data("iris.csv"), "--task", "multiclass", "--trainers", "LbfgsMaximumEntropy", "-n", "20", "--jobs", "1",
            "--cpu-budget", "1ms", "--memory-limit", "64GB", "--storage", _dir.StorageUrl, "--study-name", "budget", "--out", _dir["out"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Stopped starting trials early: the trials used", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"Cost of the trials: [\d.]+ s CPU, [\d.]+ Wh \((estimate|measured)", result.Output);
        Assert.Matches(@"trial 0 LbfgsMaximumEntropy complete .*trial [\d.]+s CPU\)", result.Output);
        Assert.Single(Study.Load("budget", _dir.StorageUrl).Trials);
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(_dir["out/summary.json"]));
        Assert.True(summary.RootElement.GetProperty("resources").GetProperty("cpu_seconds").GetDouble() > 0);
    }

    [Fact]
    public async Task Tune_WarmStart_RunsTheSourcesBestConfigurationsFirst_AndNamesAMissingSource()
    {
        string[] common = ["tune", "--data", Data("iris.csv"), "--task", "multiclass", "--trainers", "LbfgsMaximumEntropy", "--jobs", "1", "--storage", _dir.StorageUrl];
        var old = await CliRunner.RunAsync([.. common, "-n", "8", "--study-name", "old", "--out", _dir["old"]]);
        Assert.True(old.ExitCode == 0, old.ToString());

        var missing = await CliRunner.RunAsync([.. common, "-n", "2", "--study-name", "new", "--warm-start", "olde"]);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("--warm-start: ", missing.Error, StringComparison.Ordinal);
        Assert.Contains("has no study \"olde\"; its studies are old", missing.Error, StringComparison.Ordinal);

        var result = await CliRunner.RunAsync([.. common, "-n", "4", "--study-name", "new", "--warm-start", "old", "--out", _dir["new"]]);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var source = Study.Load("old", _dir.StorageUrl);
        using var target = Study.Load("new", _dir.StorageUrl);
        Assert.Equal(["old"], target.UserAttrs[Hone.Studies.WarmStart.SourcesKey].EnumerateArray().Select(e => e.GetString()));
        var best = source.GetTrials(TrialState.Complete).OrderByDescending(t => t.Values![0]).Take(3).Select(t => t.Params["LbfgsMaximumEntropy.L2Regularization"]).ToArray();
        var first = target.Trials.OrderBy(t => t.Number).Take(3).ToArray();
        Assert.All(first, t => Assert.True(t.UserAttrs.ContainsKey("warm_start_value")));
        Assert.Equal(best, first.Select(t => t.Params["LbfgsMaximumEntropy.L2Regularization"]).ToArray());
    }

    [Fact]
    public async Task Tune_MissingData_ExitsWithNotFound()
    {
        var result = await CliRunner.RunAsync("tune", "--data", _dir["nope.csv"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }
}
