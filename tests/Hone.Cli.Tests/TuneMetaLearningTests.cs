using Hone.Studies;

namespace Hone.Cli.Tests;

public sealed class TuneMetaLearningTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Data(string name) => RepoData.Path(name);

    private string[] Tune(string file, string study) =>
        ["tune", "--data", Data(file), "--task", "multiclass", "--trainers", "LbfgsMaximumEntropy", "--validation", "holdout:0.3", "--jobs", "1",
         "--storage", _dir.StorageUrl, "--study-name", study, "--out", _dir[study]];

    [Fact]
    public async Task Tune_MetaLearn_StartsFromTheNearestEarlierDataset_AndSaysWhichItWas()
    {
        var first = await CliRunner.RunAsync([.. Tune("iris.csv", "iris"), "-n", "2", "--meta-learn"]);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("warning: Meta-learning (--meta-learn) found no earlier classification study", first.Error, StringComparison.Ordinal);

        var second = await CliRunner.RunAsync([.. Tune("wine_data.csv", "wine"), "-n", "2", "--meta-learn"]);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("meta-learning: nearest earlier datasets iris.csv (distance ", second.Output, StringComparison.Ordinal);
        using var iris = Study.Load("iris", _dir.StorageUrl);
        using var wine = Study.Load("wine", _dir.StorageUrl);
        var trial0 = wine.Trials.Single(t => t.Number == 0);
        Assert.Equal("iris.csv", trial0.UserAttrs["meta_learned_from"].GetString());
        Assert.Equal(iris.BestTrial.Params["LbfgsMaximumEntropy.L2Regularization"], trial0.Params["LbfgsMaximumEntropy.L2Regularization"]);
    }

    [Fact]
    public async Task Tune_MetaLearnStorage_WithoutMetaLearn_IsAUsageError()
    {
        var result = await CliRunner.RunAsync([.. Tune("iris.csv", "iris"), "--meta-learn-storage", _dir.StorageUrl]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--meta-learn-storage needs --meta-learn", result.Error, StringComparison.Ordinal);
    }
}
