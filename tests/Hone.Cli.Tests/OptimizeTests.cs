using System.Diagnostics;
using System.Text.Json;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

public sealed class OptimizeTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private Study Load(string name = "s") => Study.Load(name, _dir.StorageUrl);

    /// <summary>A script that prints {"loss": $1} (or its first argument as given).</summary>
    private void WriteEmit(string name = "emit.sh", string before = "") => _dir.Write(name, $$"""
        #!/bin/sh
        {{before}}
        printf '{"loss": %s}\n' "$1"
        """);

    private static string SweepYaml(string command, string extra = "", string parameters = "  x: {type: float, low: -2, high: 2}") => $"""
        study: s
        metric: loss
        sampler: {"{"}name: random, seed: 7{"}"}
        parameters:
        {parameters}
        command: {command}
        grace_period: 1s
        {extra}
        """;

    [Fact]
    public async Task Optimize_WithoutSampler_UsesTheAutoSampler_AndRecordsEachChoice()
    {
        WriteEmit();
        _dir.Write("sweep.yaml", SweepYaml("[./emit.sh, \"{x}\"]", "trials: 4").Replace("sampler: {name: random, seed: 7}\n", "", StringComparison.Ordinal));

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var study = Load();
        Assert.Equal(4, study.GetTrials(TrialState.Complete).Count);
        Assert.All(study.Trials, t => Assert.Equal("gp", t.SystemAttrs["auto:sampler"].GetString()));
    }

    [Fact]
    public async Task Optimize_AutoSamplerOptions_AreRead()
    {
        WriteEmit();
        var yaml = SweepYaml("[./emit.sh, \"{x}\"]", "trials: 4", "  x: {type: float, low: -2, high: 2}\n  y: {type: float, low: 0, high: 1}")
            .Replace("sampler: {name: random, seed: 7}", "sampler: {name: auto, seed: 3, gp_trials: 2}", StringComparison.Ordinal);
        _dir.Write("sweep.yaml", yaml);

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var choices = Load().Trials.Select(t => t.SystemAttrs["auto:sampler"].GetString()).ToList();
        Assert.Equal(["gp", "gp", "cmaes", "cmaes"], choices);
    }

    [Fact]
    public async Task Optimize_PassesParamsByArgvEnvAndFile_ReadsLastJsonLine()
    {
        _dir.Write("obj.sh", """
            #!/bin/sh
            # argv: --x VALUE; env: HONE_PARAM_N; file: HONE_PARAMS_FILE
            x="$2"
            file_n=$(sed -e 's/.*"n":\([0-9]*\).*/\1/' "$HONE_PARAMS_FILE")
            [ "$file_n" = "$HONE_PARAM_N" ] || { echo "file and env disagree: $file_n $HONE_PARAM_N" >&2; exit 9; }
            echo '{"loss": 1000}'
            echo "not json"
            awk -v x="$x" -v n="$HONE_PARAM_N" 'BEGIN { printf "{\"loss\": %.10f, \"extra\": 1}\n", x * x + n }'
            """);
        _dir.Write("sweep.yaml", SweepYaml("[./obj.sh, --x, \"{x}\"]", "trials: 5", "  x: {type: float, low: -2, high: 2}\n  n: {type: int, low: 0, high: 3}"));

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(_dir.Db), "the default storage is sqlite:///hone.db beside the sweep file");
        var study = Load();
        Assert.Equal(5, study.GetTrials(TrialState.Complete).Count);
        foreach (var t in study.Trials)
        {
            var x = (double)t.Params["x"]!;
            var n = (int)t.Params["n"]!;
            Assert.Equal((x * x) + n, t.Value!.Value, 6);
            var log = t.UserAttrs["log_file"].GetString()!;
            Assert.StartsWith(Path.Combine(_dir.Path, "hone-logs", "s"), log, StringComparison.Ordinal);
            Assert.Contains("not json", File.ReadAllText(log), StringComparison.Ordinal);
        }

        Assert.Contains("best trial", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Optimize_RerunResumesToTheTrialTarget()
    {
        WriteEmit();
        _dir.Write("sweep.yaml", SweepYaml("[./emit.sh, \"{x}\"]", "trials: 3"));
        Assert.Equal(0, (await CliRunner.RunAsync("optimize", _dir["sweep.yaml"])).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("optimize", _dir["sweep.yaml"])).ExitCode);
        Assert.Equal(3, Load().Trials.Count);
        Assert.Equal(0, (await CliRunner.RunAsync("optimize", _dir["sweep.yaml"], "--trials", "5")).ExitCode);
        Assert.Equal(5, Load().GetTrials(TrialState.Complete).Count);
    }

    [Fact]
    public async Task Optimize_FailingChild_TrialFailsWithExitCodeAndStderrTail_StudyGoesOn()
    {
        _dir.Write("obj.sh", """
            #!/bin/sh
            echo "line one" >&2
            echo "Traceback: something broke" >&2
            exit 3
            """);
        _dir.Write("sweep.yaml", SweepYaml("./obj.sh", "trials: 2"));

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 3, result.ToString());
        var trials = Load().Trials;
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Fail, t.State));
        Assert.Equal("the program exited with code 3", trials[0].SystemAttrs["fail_reason"].GetString());
        Assert.Contains("Traceback: something broke", result.Output, StringComparison.Ordinal);
        Assert.Contains("Traceback: something broke", trials[0].SystemAttrs["stderr_tail"].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[sh, -c, 'echo hello']", "no line of stdout is a JSON object with the key \"loss\"")]
    [InlineData("[./emit.sh, '\"abc\"']", "metric \"loss\" is \"abc\", which is not a number")]
    [InlineData("[./emit.sh, 'true']", "metric \"loss\" is true, which is not a number")]
    [InlineData("[no-such-program-hone-test, x]", "command not found: no-such-program-hone-test")]
    [InlineData("[./missing.sh]", "command not found: ./missing.sh")]
    [InlineData("[sh, -c, 'kill -9 $$']", "killed by signal 9")]
    public async Task Optimize_BadChildOutput_TrialFailsWithReason(string command, string reason)
    {
        WriteEmit();
        _dir.Write("sweep.yaml", SweepYaml(command, "trials: 1"));

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 3, result.ToString());
        var trial = Assert.Single(Load().Trials);
        Assert.Equal(TrialState.Fail, trial.State);
        Assert.Contains(reason, trial.SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
        Assert.Contains(reason, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Optimize_ParallelJobs_RunAtOnce()
    {
        WriteEmit(before: "sleep 0.6");
        _dir.Write("sweep.yaml", SweepYaml("[./emit.sh, \"{x}\"]", "trials: 4\njobs: 4"));

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var trials = Load().Trials;
        Assert.Equal(4, trials.Count(t => t.State == TrialState.Complete));
        var lastStart = trials.Max(t => t.DatetimeStart!.Value);
        var firstEnd = trials.Min(t => t.DatetimeComplete!.Value);
        Assert.True(lastStart < firstEnd, "all four trials ran at the same time");
    }

    [Fact]
    public async Task Optimize_TrialTimeout_TerminatesTheTreeAndFails()
    {
        _dir.Write("obj.sh", """
            #!/bin/sh
            sleep 30 &
            echo $! > "grandchild-$HONE_TRIAL_NUMBER.pid"
            wait
            """);
        _dir.Write("sweep.yaml", SweepYaml("./obj.sh", "trials: 1\ntrial_timeout: 500ms"));
        var clock = Stopwatch.StartNew();

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"the 30 s program was stopped at the 0.5 s trial timeout, yet the run took {clock.Elapsed}");
        var trial = Assert.Single(Load().Trials);
        Assert.Equal(TrialState.Fail, trial.State);
        Assert.Contains("timed out after 0.5s", trial.SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
        var grandchild = int.Parse(File.ReadAllText(_dir["grandchild-0.pid"]).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(CliRunner.IsAlive(grandchild), "the grandchild (sleep 30) was terminated with its group");
        _ = result;
    }

    [Fact]
    public async Task Optimize_ChildIgnoringSigterm_IsKilledAfterTheGracePeriod()
    {
        _dir.Write("obj.sh", """
            #!/bin/sh
            trap '' TERM
            sh -c 'trap "" TERM; sleep 30' &
            echo $! > grandchild.pid
            while true; do sleep 0.1; done
            """);
        _dir.Write("sweep.yaml", SweepYaml("./obj.sh", "trials: 1\ntrial_timeout: 300ms"));
        var clock = Stopwatch.StartNew();

        await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        var elapsed = clock.Elapsed;
        Assert.True(elapsed >= TimeSpan.FromSeconds(1.2) && elapsed < TimeSpan.FromSeconds(25), $"timeout 0.3 s + grace 1 s, took {elapsed}");
        var trial = Assert.Single(Load().Trials);
        Assert.Equal(TrialState.Fail, trial.State);
        var grandchild = int.Parse(File.ReadAllText(_dir["grandchild.pid"]).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(CliRunner.IsAlive(grandchild), "SIGKILL reached the whole group");
    }

    [Fact]
    public async Task Optimize_ConditionalParameter_OnlyWhenParentHasTheValue_ArgumentLeftOut()
    {
        _dir.Write("obj.sh", """
            #!/bin/sh
            echo "args: $*" >&2
            case "$*" in
              *--momentum=*) [ "$HONE_PARAM_OPT" = sgd ] || exit 7 ;;
              *) [ "$HONE_PARAM_OPT" = adam ] || exit 8 ;;
            esac
            echo '{"loss": 1}'
            """);
        _dir.Write("sweep.yaml", SweepYaml("[./obj.sh, \"--opt={opt}\", \"--momentum={momentum}\"]", "trials: 12",
            "  opt: [adam, sgd]\n  momentum: {type: float, low: 0, high: 0.9, when: {opt: sgd}}"));

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var trials = Load().Trials;
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.All(trials, t => Assert.Equal((string)t.Params["opt"]! == "sgd", t.Params.ContainsKey("momentum")));
        Assert.Contains(trials, t => (string)t.Params["opt"]! == "sgd");
        Assert.Contains(trials, t => (string)t.Params["opt"]! == "adam");
    }

    [Fact]
    public async Task Optimize_ArgvValuesAreNeverRunByAShell_ShellTrueQuotesThem()
    {
        WriteEmit(before: "echo \"$2\" >&2");
        _dir.Write("sweep.yaml", SweepYaml("[./emit.sh, '1', \"{evil}\"]", "trials: 1", "  evil: ['$(touch pwned1); touch pwned2']"));
        Assert.Equal(0, (await CliRunner.RunAsync("optimize", _dir["sweep.yaml"])).ExitCode);
        _dir.Write("shell.yaml", SweepYaml("'echo {evil} >&2; ./emit.sh 2'", "study: t\ntrials: 1\nshell: true", "  evil: ['$(touch pwned3); touch pwned4']").Replace("study: s\n", string.Empty, StringComparison.Ordinal));

        var result = await CliRunner.RunAsync("optimize", _dir["shell.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2.0, Load("t").Trials[0].Value);
        Assert.Empty(Directory.GetFiles(_dir.Path, "pwned*"));
    }

    [Fact]
    public async Task Optimize_ResultFromRegexAndFromFile()
    {
        _dir.Write("regex.yaml", SweepYaml("[sh, -c, 'echo \"val_loss: 5\"; echo \"val_loss: {x}\"']", "trials: 2\nresult: {regex: 'val_loss: (?<value>\\S+)'}"));
        _dir.Write("file.yaml", SweepYaml("[sh, -c, 'echo {x} > out-{trial_number}.txt']", "trials: 2\nresult: {file: 'out-{trial_number}.txt'}").Replace("study: s", "study: f", StringComparison.Ordinal));

        Assert.Equal(0, (await CliRunner.RunAsync("optimize", _dir["regex.yaml"])).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("optimize", _dir["file.yaml"])).ExitCode);

        foreach (var name in new[] { "s", "f" })
        {
            foreach (var t in Load(name).Trials)
            {
                Assert.Equal(TrialState.Complete, t.State);
                Assert.Equal((double)t.Params["x"]!, t.Value!.Value, 12);
            }
        }
    }

    [Fact]
    public async Task Optimize_Retries_RunAFailedTrialsParamsAgain()
    {
        // Fails the first time each x is seen, succeeds the second time.
        _dir.Write("obj.sh", """
            #!/bin/sh
            f="seen-$HONE_PARAM_X"
            if [ -e "$f" ]; then echo '{"loss": 1}'; else touch "$f"; exit 1; fi
            """);
        _dir.Write("sweep.yaml", SweepYaml("./obj.sh", "trials: 4\nretries: 1"));

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var trials = Load().Trials;
        Assert.Equal(8, trials.Count); // failed trials do not count toward `trials`: 4 complete, each after a failure
        Assert.Equal([TrialState.Fail, TrialState.Complete, TrialState.Fail, TrialState.Complete, TrialState.Fail, TrialState.Complete, TrialState.Fail, TrialState.Complete], trials.Select(t => t.State));
        Assert.Equal(trials[0].Params["x"], trials[1].Params["x"]);
        Assert.Equal(0, trials[1].SystemAttrs["failed_trial"].GetInt32());
    }

    [Fact]
    public async Task Optimize_JsonOutput_IsOneObjectPerLine()
    {
        WriteEmit();
        _dir.Write("sweep.yaml", SweepYaml("[./emit.sh, \"{x}\"]", "trials: 2"));

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"], "--json");

        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        using var last = JsonDocument.Parse(lines[^1]);
        Assert.Equal("finished", last.RootElement.GetProperty("event").GetString());
        Assert.Equal(2, last.RootElement.GetProperty("complete").GetInt32());
        Assert.Empty((await CliRunner.RunAsync("optimize", _dir["sweep.yaml"], "--quiet", "-n", "3")).Output);
    }

    [Fact]
    public async Task Optimize_SeveralMetrics_MultiObjectiveStudy_ReportLinesAreIgnoredWithANote()
    {
        _dir.Write("obj.sh", """
            #!/bin/sh
            echo "hone:report step=0 value=1"
            awk -v x="$HONE_PARAM_X" 'BEGIN { printf "{\"loss\": %.6f, \"cost\": %.6f}\n", x * x, (x - 1) * (x - 1) }'
            """);
        _dir.Write("sweep.yaml", """
            study: s
            metrics: [loss, cost]
            directions: [minimize, minimize]
            sampler: {name: random, seed: 2}
            parameters:
              x: {type: float, low: -1, high: 2}
            command: ./obj.sh
            trials: 6
            """);

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var study = Load();
        Assert.True(study.IsMultiObjective);
        Assert.All(study.Trials, t => Assert.Equal(2, t.Values!.Count));
        Assert.Contains("cannot use \"hone:report step=0 value=1\"", result.Error, StringComparison.Ordinal);
        var best = await CliRunner.RunAsync("best", "--storage", _dir.StorageUrl, "--format", "csv");
        Assert.True(best.ExitCode == 0, best.ToString());
        Assert.StartsWith("number,values_0,values_1,", best.Output, StringComparison.Ordinal);
        Assert.Equal(study.BestTrials.Count + 1, best.Output.TrimEnd().Split('\n').Length);
    }

    [Fact]
    public async Task Optimize_GridSampler_StopsWhenEveryPointRan()
    {
        WriteEmit();
        _dir.Write("sweep.yaml", """
            study: s
            metric: loss
            sampler: grid
            parameters:
              x: {type: int, low: 1, high: 3}
              k: [a, b]
            command: [./emit.sh, "{x}"]
            trials: 50
            """);

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var trials = Load().Trials;
        Assert.Equal(6, trials.Count);
        Assert.Equal(6, trials.Select(t => $"{t.Params["x"]}{t.Params["k"]}").Distinct().Count());
    }

    [Fact]
    public async Task Optimize_RunTimeout_StartsNoTrialAfterIt_EnvAndWorkdirApply()
    {
        Directory.CreateDirectory(_dir["work"]);
        _dir.Write("work/emit.sh", """
            #!/bin/sh
            sleep 0.3
            printf '{"loss": %s}\n' "$GREETING_VALUE"
            """);
        _dir.Write("sweep.yaml", SweepYaml("./emit.sh", "workdir: work\nenv: {GREETING_VALUE: \"42\"}\ntimeout: 1s"));

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var trials = Load().Trials;
        Assert.InRange(trials.Count, 1, 4);
        Assert.All(trials, t => Assert.Equal(42.0, t.Value));
    }
}
