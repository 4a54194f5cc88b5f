using System.Diagnostics;
using System.Text.RegularExpressions;
using Hone.Studies;
using Hone.Trials;
using YamlDotNet.RepresentationModel;

namespace Hone.Cli.Tests;

/// <summary>
/// The launch recipes in examples/deploy, run as far as this machine allows: no cluster, scheduler or image registry
/// here, so each recipe's own hone command line is taken out of it and run against a local SQLite study, and the
/// Slurm script itself runs under bash, SIGTERM included.
/// </summary>
public sealed partial class DeployRecipeTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public DeployRecipeTests()
    {
        File.Copy(Path.Combine(Recipes, "sweep.yaml"), _dir["sweep.yaml"]);
    }

    private static string Recipes => Path.Combine(ExampleTests.ExamplesFolder(), "deploy");

    public void Dispose() => _dir.Dispose();

    private int Complete()
    {
        using var study = Study.Load("deploy-demo", _dir.StorageUrl);
        return study.GetTrials(TrialState.Complete).Count;
    }

    private static async Task RunHoneAsync(IEnumerable<string> args)
    {
        var result = await CliRunner.RunAsync([.. args]);
        Assert.True(result.ExitCode == 0, string.Join(" ", args) + "\n" + result);
    }

    private static YamlMappingNode LoadYaml(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Recipes, file));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step is int i ? ((YamlSequenceNode)node).Children[i] : ((YamlMappingNode)node).Children[new YamlScalarNode((string)step)];
        }

        return node;
    }

    private static List<string> Words(YamlNode sequence) => [.. ((YamlSequenceNode)sequence).Children.Select(n => ((YamlScalarNode)n).Value!)];

    private static TimeSpan Duration(string text) =>
        text.EndsWith('s') ? TimeSpan.FromSeconds(double.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture)) : throw new FormatException(text);

    /// <summary>The drain the command line asks for plus the sweep's grace period: what a stop signal may take.</summary>
    private static TimeSpan StopTime(List<string> args)
    {
        var drain = args.IndexOf("--drain") is var i and >= 0 ? Duration(args[i + 1]) : TimeSpan.FromSeconds(20);
        var grace = GraceRegex().Match(File.ReadAllText(Path.Combine(Recipes, "sweep.yaml"))).Groups[1].Value;
        return drain + Duration(grace);
    }

    [Fact]
    public async Task KubernetesIndexedJob_WorkerCommandRuns_AndTheGracePeriodCoversTheDrain()
    {
        var job = LoadYaml("kubernetes-worker-job.yaml");
        Assert.Equal("Job", At(job, "kind").ToString());
        Assert.Equal("Indexed", At(job, "spec", "completionMode").ToString());
        var pod = At(job, "spec", "template", "spec");
        var container = At(pod, "containers", 0);
        Assert.Equal(["hone"], Words(At(container, "command")));
        var args = Words(At(container, "args"));
        Assert.True(TimeSpan.FromSeconds(int.Parse(At(pod, "terminationGracePeriodSeconds").ToString(), System.Globalization.CultureInfo.InvariantCulture)) > StopTime(args));

        var mount = At(container, "volumeMounts", 0, "mountPath").ToString();
        await RunHoneAsync(args
            .Select(a => a.Replace("$(HONE_STORAGE)", _dir.StorageUrl, StringComparison.Ordinal).Replace(mount + "/sweep.yaml", _dir["sweep.yaml"], StringComparison.Ordinal))
            .Concat(["--trials", "3"]));

        Assert.Equal(3, Complete());
    }

    [Fact]
    public async Task DockerCompose_WorkerCommandRuns_AndTheStopGracePeriodCoversTheDrain()
    {
        var compose = LoadYaml("docker-compose.yml");
        var worker = At(compose, "services", "worker");
        var args = Words(At(worker, "command"));
        Assert.True(Duration(At(worker, "stop_grace_period").ToString()) > StopTime(args));
        var storage = args[args.IndexOf("--storage") + 1];
        Assert.StartsWith("postgresql://", storage, StringComparison.Ordinal);
        Assert.Contains("service_healthy", At(worker, "depends_on", "postgres", "condition").ToString(), StringComparison.Ordinal);

        await RunHoneAsync(args
            .Select(a => a == storage ? _dir.StorageUrl : a.Replace("/sweep/sweep.yaml", _dir["sweep.yaml"], StringComparison.Ordinal))
            .Concat(["--trials", "3"]));

        Assert.Equal(3, Complete());
    }

    [Fact]
    public async Task SystemdTemplateUnit_ExecStartRuns_ForAStudyWithAKeptSweep()
    {
        var unit = File.ReadAllLines(Path.Combine(Recipes, "hone-worker@.service"));
        string Key(string name) => unit.Single(l => l.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];
        var exec = Key("ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.Equal("/usr/local/bin/hone", exec[0]);
        Assert.True(TimeSpan.FromSeconds(int.Parse(Key("TimeoutStopSec"), System.Globalization.CultureInfo.InvariantCulture)) > StopTime(exec));
        Assert.Equal("SIGTERM", Key("KillSignal"));

        // systemd's own check of every key, where systemd is installed (the binary stands in for hone, not installed here).
        if (File.Exists("/usr/bin/systemd-analyze"))
        {
            var copy = _dir.Write("hone-worker@demo.service", string.Join("\n", unit).Replace("/usr/local/bin/hone", "/bin/true", StringComparison.Ordinal));
            using var verify = Process.Start(new ProcessStartInfo("/usr/bin/systemd-analyze", ["verify", copy]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var said = await verify.StandardOutput.ReadToEndAsync() + await verify.StandardError.ReadToEndAsync();
            await verify.WaitForExitAsync();
            Assert.True(verify.ExitCode == 0 && said.Trim().Length == 0, said);
        }

        // The unit names only the study: its sweep must already be kept with it (a first run with the sweep file).
        await RunHoneAsync(["worker", "--storage", _dir.StorageUrl, "--sweep", _dir["sweep.yaml"], "--trials", "1"]);
        await RunHoneAsync(exec.Skip(1)
            .Select(a => a.Replace("${HONE_STORAGE}", _dir.StorageUrl, StringComparison.Ordinal).Replace("%i", "deploy-demo", StringComparison.Ordinal))
            .Concat(["--trials", "3"]));

        Assert.Equal(3, Complete());
    }

    private Process StartSlurmScript(params string[] args)
    {
        var info = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir.Path,
        };
        info.ArgumentList.Add(Path.Combine(Recipes, "slurm-worker-array.sbatch"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["HONE"] = $"{(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet")} {CliRunner.ToolPath}";
        info.Environment["HONE_STORAGE"] = _dir.StorageUrl;
        info.Environment["HONE_SWEEP"] = _dir["sweep.yaml"];
        info.Environment["SLURM_ARRAY_TASK_ID"] = "7";
        return Process.Start(info)!;
    }

    [Fact]
    public async Task SlurmArrayScript_RunsTheWorker_AsAnArrayTask()
    {
        using var script = StartSlurmScript("--trials", "3");
        var output = await script.StandardOutput.ReadToEndAsync() + await script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();

        Assert.True(script.ExitCode == 0, output);
        Assert.Contains("array task 7", output, StringComparison.Ordinal);
        Assert.Equal(3, Complete());
    }

    [Fact]
    public async Task SlurmArrayScript_PassesSigtermToTheWorker_WhichDrains()
    {
        // The trial takes 3 s, well inside the script's 20 s drain: it completes, and no other trial starts.
        using var script = StartSlurmScript("--trials", "50", "--", "sh", "-c", "touch started-{trial_number}; sleep 3; echo loss=1");
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!File.Exists(_dir["started-0"]))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60) || script.HasExited)
            {
                script.Kill(entireProcessTree: true);
                Assert.Fail("the first trial should have started: " + await stdout + await stderr);
            }

            await Task.Delay(50);
        }

        CliRunner.Signal(script.Id, "TERM");
        var exited = script.WaitForExitAsync();
        Assert.True(await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(40))) == exited, "the script exits after SIGTERM");
        var output = await stdout + await stderr;

        Assert.True(script.ExitCode == 130, output);
        Assert.Contains("exited with 130", output, StringComparison.Ordinal);
        Assert.Equal(1, Complete());
        Assert.False(File.Exists(_dir["started-1"]), output);
    }

    [GeneratedRegex(@"(?m)^grace_period:\s*(\S+)")]
    private static partial Regex GraceRegex();
}
