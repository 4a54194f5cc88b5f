using System.Security.Cryptography;
using Hone.Studies;

namespace Hone.Cli.Tests;

/// <summary><c>hone tune</c> names its study after data, task and metric, prints where it is, and refuses other data.</summary>
public sealed class TuneNamingTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A file of the repository's data folder.</summary>
    public static string Data(string name)
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

    private Task<CliResult> TuneAsync(string data, params string[] extra) => TuneAsync(data, 1, extra);

    /// <summary>Runs tune until the study has <paramref name="total"/> trials (`--trials` is a total).</summary>
    private Task<CliResult> TuneAsync(string data, int total, params string[] extra) => CliRunner.RunAsync(
        ["tune", "--data", data, "--task", "multiclass", "--trainers", "SdcaMaximumEntropy", "-n", $"{total}", "--validation", "holdout:0.3",
         "--storage", _dir.StorageUrl, "--out", _dir["out"], .. extra]);

    [Fact]
    public async Task DefaultName_IsDataTaskAndMetric_PrintedAtStartAndEnd_AndRecordsTheData()
    {
        var result = await TuneAsync(Data("iris.csv"));

        Assert.True(result.ExitCode == 0, result.ToString());
        const string name = "iris-multiclass-accuracy";
        var lines = result.Output.Split('\n');
        Assert.StartsWith($"hone: study \"{name}\" in {_dir.StorageUrl}: a new study", lines[0], StringComparison.Ordinal);
        Assert.Contains($"hone trials --storage {_dir.StorageUrl} --study-name {name}", lines.Last(l => l.Length > 0), StringComparison.Ordinal);
        var study = Study.Load(name, _dir.StorageUrl);
        Assert.Equal("iris.csv", study.UserAttrs["data_file"].GetString());
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Data("iris.csv"))));
        Assert.Equal(hash, study.UserAttrs["data_sha256"].GetString());
    }

    [Fact]
    public async Task SecondRun_ResumesTheSameStudy()
    {
        Assert.Equal(0, (await TuneAsync(Data("iris.csv"))).ExitCode);
        var again = await TuneAsync(Data("iris.csv"), 2);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("resuming it (1 trial(s) so far)", again.Output, StringComparison.Ordinal);
        Assert.Contains("[1/1] trial 1 ", again.Output, StringComparison.Ordinal);
        var studies = await CliRunner.RunAsync("studies", "--storage", _dir.StorageUrl, "--format", "csv");
        Assert.Equal(2, studies.Output.Trim().Split('\n').Length);
        Assert.Equal(2, Study.Load("iris-multiclass-accuracy", _dir.StorageUrl).Trials.Count);
        Assert.Equal(0, (await CliRunner.RunAsync("trials", "--storage", _dir.StorageUrl)).ExitCode);
    }

    [Fact]
    public async Task ResumingWithOtherData_IsRefusedNamingBothFiles_UnlessForced()
    {
        Assert.Equal(0, (await TuneAsync(Data("iris.csv"), "--study-name", "flowers")).ExitCode);

        var refused = await TuneAsync(Data("wine_data.csv"), "--study-name", "flowers");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("study \"flowers\"", refused.Error, StringComparison.Ordinal);
        Assert.Contains("iris.csv", refused.Error, StringComparison.Ordinal);
        Assert.Contains("wine_data.csv", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Single(Study.Load("flowers", _dir.StorageUrl).Trials);

        var forced = await TuneAsync(Data("wine_data.csv"), 2, "--study-name", "flowers", "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal(2, Study.Load("flowers", _dir.StorageUrl).Trials.Count);
    }

    [Fact]
    public async Task BadLabel_SaysSoWithoutParameterSuffix_AndCreatesNoDatabase()
    {
        var result = await TuneAsync(Data("iris.csv"), "--label", "species");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--label: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("has no column \"species\"; its columns are f0, f1, f2, f3, target", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.Db));
    }

    [Fact]
    public async Task BadValidation_NamesTheFlag()
    {
        var result = await CliRunner.RunAsync("tune", "--data", Data("iris.csv"), "--task", "multiclass", "--validation", "kfold:1", "--storage", _dir.StorageUrl);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("hone: --validation kfold:1: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Actual value", result.Error, StringComparison.Ordinal);
    }
}
