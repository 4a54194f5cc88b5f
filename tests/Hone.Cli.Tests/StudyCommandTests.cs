using System.Text.Json;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

public sealed class StudyCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<CliResult> Run(params string[] args) => CliRunner.RunAsync([.. args, "--storage", _dir.StorageUrl]);

    private static CliResult Ok(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    [Fact]
    public async Task AskTellLoop_DrivesAStudy_AndTheListingsShowIt()
    {
        Assert.Equal("loop", Ok(await Run("create-study", "--study-name", "loop", "--direction", "maximize")).Output.Trim());
        Assert.Equal("loop", Ok(await Run("create-study", "--study-name", "loop", "--skip-if-exists")).Output.Trim());
        const string space = """{"x": {"name": "FloatDistribution", "attributes": {"low": 0.0, "high": 1.0, "log": false, "step": null}}, "k": {"name": "CategoricalDistribution", "attributes": {"choices": ["a", "b"]}}}""";
        for (var i = 0; i < 3; i++)
        {
            var asked = Ok(await Run("ask", "--study-name", "loop", "--search-space", space, "--sampler", "random", "--sampler-kwargs", "{\"seed\": 5}"));
            using var doc = JsonDocument.Parse(asked.Output);
            var number = doc.RootElement.GetProperty("number").GetInt32();
            var x = doc.RootElement.GetProperty("params").GetProperty("x").GetDouble();
            Assert.Equal(i, number);
            var told = Ok(await Run("tell", "--study-name", "loop", "--trial-number", $"{number}", "--values", $"{x}"));
            Assert.Contains($"Told trial {number}", told.Output, StringComparison.Ordinal);
        }

        Ok(await Run("ask", "--study-name", "loop"));
        Ok(await Run("tell", "--study-name", "loop", "--trial-number", "3", "--state", "pruned"));
        Assert.Equal(2, (await Run("tell", "--study-name", "loop", "--trial-number", "3", "--values", "1")).ExitCode);
        Ok(await Run("tell", "--study-name", "loop", "--trial-number", "3", "--values", "1", "--skip-if-finished"));

        var studies = Ok(await Run("studies")).Output;
        Assert.Matches(@"\| name +\| direction +\| n_trials \| datetime_start +\|", studies);
        Assert.Matches(@"\| loop +\| MAXIMIZE +\| +4 \|", studies);

        var table = Ok(await Run("trials", "--study-name", "loop")).Output;
        Assert.Contains("params_x", table, StringComparison.Ordinal);
        Assert.Contains("PRUNED", table, StringComparison.Ordinal);

        var json = Ok(await Run("trials", "--study-name", "loop", "--format", "json", "--state", "complete")).Output;
        using (var doc = JsonDocument.Parse(json))
        {
            Assert.Equal(3, doc.RootElement.GetArrayLength());
            Assert.Equal("COMPLETE", doc.RootElement[0].GetProperty("state").GetString());
            Assert.True(doc.RootElement[0].GetProperty("params").TryGetProperty("k", out _));
        }

        var study = Study.Load("loop", _dir.StorageUrl);
        var best = Ok(await Run("best", "--format", "json", "--study-name", "loop")).Output;
        using (var doc = JsonDocument.Parse(best))
        {
            Assert.Equal(study.BestTrial.Number, doc.RootElement.GetProperty("number").GetInt32());
            Assert.Equal(study.BestValue, doc.RootElement.GetProperty("value").GetDouble());
        }

        var csv = Ok(await Run("trials", "--format", "csv")).Output.TrimEnd().Split('\n');
        Assert.StartsWith("number,value,datetime_start,datetime_complete,duration,params_k,params_x,state", csv[0], StringComparison.Ordinal);
        Assert.Equal(5, csv.Length);

        Ok(await Run("export", "--study-name", "loop", "--format", "csv", "-o", _dir["out.csv"]));
        Assert.Contains("intermediate_values", File.ReadAllText(_dir["out.csv"]), StringComparison.Ordinal);
        var exported = Ok(await Run("export", "--study-name", "loop", "--format", "json")).Output;
        using (var doc = JsonDocument.Parse(exported))
        {
            Assert.Equal(4, doc.RootElement.GetArrayLength());
        }

        Ok(await Run("delete", "--study-name", "loop"));
        Assert.DoesNotContain("loop", Ok(await Run("studies", "--format", "csv")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskWithASweep_UsesItsConditionalSpace_AndEnqueuedParamsComeFirst()
    {
        _dir.Write("sweep.yaml", $"""
            study: sw
            storage: {_dir.StorageUrl}
            sampler: {"{"}name: random, seed: 1{"}"}
            parameters:
              opt: [adam, sgd]
              momentum: {"{"}type: float, low: 0, high: 1, when: {"{"}opt: sgd{"}"}{"}"}
            command: [true]
            """);
        Ok(await CliRunner.RunAsync("create-study", "--sweep", _dir["sweep.yaml"]));
        Ok(await CliRunner.RunAsync("enqueue", "--sweep", _dir["sweep.yaml"], "--params", "{\"opt\": \"sgd\", \"momentum\": 0.25}"));
        var first = Ok(await CliRunner.RunAsync("ask", "--sweep", _dir["sweep.yaml"])).Output;
        Assert.Equal("{\"number\":0,\"params\":{\"opt\":\"sgd\",\"momentum\":0.25}}", first.Trim());
        for (var i = 0; i < 8; i++)
        {
            using var doc = JsonDocument.Parse(Ok(await CliRunner.RunAsync("ask", "--sweep", _dir["sweep.yaml"])).Output);
            var p = doc.RootElement.GetProperty("params");
            Assert.Equal(p.GetProperty("opt").GetString() == "sgd", p.TryGetProperty("momentum", out _));
        }

        Assert.Equal(9, Study.Load("sw", _dir.StorageUrl).GetTrials(TrialState.Running).Count);
    }
}
