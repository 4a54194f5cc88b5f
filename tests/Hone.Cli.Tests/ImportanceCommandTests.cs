using System.Text.Json;
using Hone.Distributions;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

public sealed class ImportanceCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<CliResult> Run(params string[] args) => CliRunner.RunAsync([.. args, "--storage", _dir.StorageUrl]);

    /// <summary>A study where only x0 matters (f = (x0 − 0.3)²), with x1 and a categorical that do nothing.</summary>
    private void CreateStudy(string name, int trials, int objectives = 1)
    {
        using var study = Study.Create(new StudyOptions
        {
            Name = name,
            StorageUrl = StorageUrl.Parse(_dir.StorageUrl),
            Directions = [.. Enumerable.Repeat(StudyDirection.Minimize, objectives)],
        });
        var space = new Dictionary<string, Distribution>
        {
            ["x0"] = new FloatDistribution(0, 1),
            ["x1"] = new FloatDistribution(1e-3, 1, log: true),
            ["kind"] = new CategoricalDistribution(["a", "b"]),
        };
        var random = new Random(3);
        for (var t = 0; t < trials; t++)
        {
            var x0 = random.NextDouble();
            var parameters = new Dictionary<string, object?> { ["x0"] = x0, ["x1"] = Math.Exp(Math.Log(1e-3) * random.NextDouble()), ["kind"] = random.Next(2) == 0 ? "a" : "b" };
            double[] values = objectives == 1 ? [(x0 - 0.3) * (x0 - 0.3)] : [(x0 - 0.3) * (x0 - 0.3), (double)parameters["x1"]!];
            study.AddTrial(FrozenTrial.Create(parameters, space, values));
        }
    }

    [Fact]
    public async Task Table_ListsEveryParameter_MostImportantFirst_WithInteractions()
    {
        CreateStudy("s", 80);

        var r = await Run("importance", "--study", "s");

        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Output.Split('\n');
        Assert.Matches(@"^\| parameter +\| importance +\| spread +\|", lines[1]);
        Assert.Matches(@"^\| x0 +\| +0\.9\d* \|", lines[3]);
        Assert.Contains("| kind", r.Output, StringComparison.Ordinal);
        Assert.Contains("| x1", r.Output, StringComparison.Ordinal);
        Assert.Contains("interaction", r.Output, StringComparison.Ordinal);
        Assert.Contains(" × ", r.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fanova")]
    [InlineData("ped-anova")]
    [InlineData("mdi")]
    public async Task Json_HasTheMethodAndImportancesSummingToOne(string method)
    {
        CreateStudy("s", 80);

        var r = await Run("importance", "--study", "s", "--method", method, "--json");

        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Output);
        var root = doc.RootElement;
        Assert.Equal(method, root.GetProperty("method").GetString());
        Assert.Equal(80, root.GetProperty("n_trials").GetInt32());
        var importances = root.GetProperty("importances").EnumerateArray().ToList();
        Assert.Equal("x0", importances[0].GetProperty("parameter").GetString());
        Assert.Equal(1.0, importances.Sum(i => i.GetProperty("importance").GetDouble()), 9);
        Assert.Equal(method == "fanova" ? 3 : 0, root.GetProperty("interactions").GetArrayLength());
    }

    [Fact]
    public async Task SameCommandTwice_SameOutput()
    {
        CreateStudy("s", 40);

        var a = await Run("importance", "--study", "s", "--params", "x0,x1");
        var b = await Run("importance", "--study", "s", "--params", "x0", "x1");

        Assert.True(a.ExitCode == 0, a.ToString());
        Assert.Equal(a.Output, b.Output);
        Assert.DoesNotContain("kind", a.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownParameter_ExitsTwo_NamingTheFlagAndTheKnownOnes()
    {
        CreateStudy("s", 20);

        var r = await Run("importance", "--study", "s", "--params", "lr");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--params", r.Error, StringComparison.Ordinal);
        Assert.Contains("\"lr\"", r.Error, StringComparison.Ordinal);
        Assert.Contains("kind, x0, x1", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FewerThanTwoCompleteTrials_ExitsOne()
    {
        CreateStudy("s", 1);

        var r = await Run("importance", "--study", "s");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("has 1 complete trial(s); importance needs at least 2", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMethodOrStudy_AreRefused()
    {
        CreateStudy("s", 20);

        var method = await Run("importance", "--study", "s", "--method", "shap");
        var study = await Run("importance", "--study", "nope");

        Assert.Equal(2, method.ExitCode);
        Assert.Contains("fanova", method.Error, StringComparison.Ordinal);
        Assert.Equal(1, study.ExitCode);
        Assert.Contains("no study named \"nope\"", study.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MultiObjective_ObjectiveFlagChoosesTheValue()
    {
        CreateStudy("m", 60, objectives: 2);

        var second = await Run("importance", "--study", "m", "--objective", "1", "--format", "json");
        var outOfRange = await Run("importance", "--study", "m", "--objective", "2");

        Assert.True(second.ExitCode == 0, second.ToString());
        using var doc = JsonDocument.Parse(second.Output);
        Assert.Equal("x1", doc.RootElement.GetProperty("importances")[0].GetProperty("parameter").GetString());
        Assert.Equal(2, outOfRange.ExitCode);
        Assert.Contains("--objective 2 is out of range", outOfRange.Error, StringComparison.Ordinal);
    }
}
