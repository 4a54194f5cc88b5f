using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

/// <summary>The sweeps in examples/ run as documented (on copies, so the examples stay clean).</summary>
public sealed class ExampleTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static string ExamplesFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "examples", "sweep-python")))
            {
                return Path.Combine(dir.FullName, "examples");
            }
        }

        throw new DirectoryNotFoundException("examples/ not found above the test binaries");
    }

    private string CopyExample(string name)
    {
        var source = Path.Combine(ExamplesFolder(), name);
        foreach (var file in new[] { "sweep.yaml", "train.py", "app.cs" })
        {
            if (File.Exists(Path.Combine(source, file)))
            {
                File.Copy(Path.Combine(source, file), _dir[file]);
            }
        }

        return _dir["sweep.yaml"];
    }

    [Fact]
    public async Task PythonSweep_RunsWithPruningAndAFailingRegion()
    {
        var sweep = CopyExample("sweep-python");

        var result = await CliRunner.RunAsync("optimize", sweep, "--trials", "10", "--jobs", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        var study = Study.Load("sweep-python", _dir.StorageUrl);
        Assert.Equal(10, study.Trials.Count(t => t.State.IsFinished()));
        Assert.True(study.GetTrials(TrialState.Complete).Count >= 5);
        Assert.All(study.GetTrials(TrialState.Complete), t => Assert.Equal(20, t.IntermediateValues.Count));
        Assert.All(study.Trials, t => Assert.Equal((string)t.Params["optimizer"]! == "sgd", t.Params.ContainsKey("momentum")));
    }

    [Fact]
    public async Task CSharpFileBasedSweep_Runs()
    {
        var sweep = CopyExample("sweep-csharp");

        var result = await CliRunner.RunAsync("optimize", sweep, "--trials", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        var study = Study.Load("sweep-csharp", _dir.StorageUrl);
        var trial = study.GetTrials(TrialState.Complete)[0];
        Assert.Equal(30, trial.IntermediateValues.Count);
        Assert.InRange(trial.Value!.Value, 0.1, 1.0);
    }

    [Fact]
    public async Task OnATerminal_ShowsTheLiveView()
    {
        _dir.Write("sweep.yaml", """
            study: live
            sampler: random
            parameters:
              x: {type: float, low: 0, high: 1}
            command: [sh, -c, 'sleep 0.3; printf ''{{"value": 1}}\n''']
            trials: 3
            """);

        var result = await CliRunner.RunAsync(["optimize", _dir["sweep.yaml"]], CancellationToken.None, terminal: true);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("hone optimize", result.Output, StringComparison.Ordinal);
        Assert.Contains("running", result.Output, StringComparison.Ordinal);
        Assert.Contains("elapsed", result.Output, StringComparison.Ordinal);
        Assert.Contains("hone: best trial", result.Output, StringComparison.Ordinal);
    }
}
