using Hone.Storage;
using Hone.Studies;

namespace Hone.Cli.Tests;

public sealed class ReportCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private void CreateStudy(string name, int trials)
    {
        using var study = Study.Create(new StudyOptions { Name = name, StorageUrl = StorageUrl.Parse(_dir.StorageUrl), Sampler = new Samplers.RandomSampler(1) });
        study.Optimize(t => Math.Pow(t.SuggestFloat("x", -2, 2) - 0.5, 2) + t.SuggestInt("n", 1, 5), new OptimizeOptions { Trials = trials });
    }

    [Fact]
    public async Task Report_WritesOneHtmlFileWithThePlots()
    {
        CreateStudy("quad", 25);

        var result = await CliRunner.RunAsync("report", "--storage", _dir.StorageUrl, "--study", "quad", "--out", _dir["r.html"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var html = File.ReadAllText(_dir["r.html"]);
        Assert.Contains("id=\"plot-history\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"plot-slice\"", html, StringComparison.Ordinal);
        Assert.Contains("Is more tuning worth it?", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Report_UnknownStudy_SaysWhichStudiesExist()
    {
        CreateStudy("quad", 2);

        var result = await CliRunner.RunAsync("report", "--storage", _dir.StorageUrl, "--study", "nope", "--out", _dir["r.html"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("quad", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["r.html"]));
    }

    [Fact]
    public async Task Report_MissingOutFolder_IsAUsageError()
    {
        CreateStudy("quad", 2);

        var result = await CliRunner.RunAsync("report", "--storage", _dir.StorageUrl, "--study", "quad", "--out", _dir["no/such/r.html"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out", result.Error, StringComparison.Ordinal);
    }
}

public sealed class DashboardCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Dashboard_ExposedWithoutToken_IsAUsageErrorNamingToken()
    {
        using (Study.Create(new StudyOptions { Name = "s", StorageUrl = StorageUrl.Parse(_dir.StorageUrl) }))
        {
        }

        var result = await CliRunner.RunAsync("dashboard", "--storage", _dir.StorageUrl, "--host", "0.0.0.0", "--port", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--token", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_MissingDatabase_IsNotCreated()
    {
        var result = await CliRunner.RunAsync("dashboard", "--storage", $"sqlite:///{_dir["nope.db"]}", "--port", "0");

        Assert.NotEqual(0, result.ExitCode);
        Assert.False(File.Exists(_dir["nope.db"]));
    }
}
