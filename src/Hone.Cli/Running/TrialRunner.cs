using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hone.Cli.Sweep;
using Hone.Trials;

namespace Hone.Cli.Running;

/// <summary>Runs one trial's program: parameters in, output to its log, intermediate values to the pruner, result out.</summary>
internal sealed class TrialRunner(SweepFile sweep)
{
    private const int TailLines = 10;

    /// <summary>The text a parameter value takes in argv, environment variables and paths.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    public string LogPath(int number) => Path.Combine(sweep.LogDirectory, $"trial-{number:D5}.log");

    public string ParamsPath(int number) => Path.Combine(sweep.LogDirectory, $"trial-{number:D5}.params.json");

    /// <summary>Runs the program for <paramref name="trial"/>; never throws for anything the program does.</summary>
    /// <param name="trial">The live trial (for reports and pruning).</param>
    /// <param name="parameters">The trial's active parameters.</param>
    /// <param name="interrupt">Cancelled on Ctrl+C: the program is terminated and the trial marked interrupted.</param>
    /// <param name="killNow">Cancelled on a second Ctrl+C: skip the grace period.</param>
    /// <param name="onNote">Receives notes about the run (ignored report lines).</param>
    /// <param name="segment">With <c>scheduler: pbt</c>, the checkpoint files and steps of the segment; else null.</param>
    public async Task<TrialOutcome> RunAsync(
        Trial trial, IReadOnlyDictionary<string, object?> parameters, string studyName, CancellationToken interrupt, CancellationToken killNow,
        Action<string>? onNote = null, SegmentFiles? segment = null)
    {
        Directory.CreateDirectory(sweep.LogDirectory);
        var number = trial.Number;
        var paramsPath = ParamsPath(number);
        await File.WriteAllTextAsync(paramsPath, Output.Json.Serialize(parameters), CancellationToken.None).ConfigureAwait(false);

        string? Lookup(string name) => name switch
        {
            "trial_number" => number.ToString(CultureInfo.InvariantCulture),
            "study_name" => studyName,
            "params_file" => paramsPath,
            "checkpoint_in" when segment is not null => segment.CheckpointIn ?? string.Empty,
            "checkpoint_out" when segment is not null => segment.CheckpointOut,
            "start_step" when segment is not null => segment.StartStep.ToString(CultureInfo.InvariantCulture),
            "end_step" when segment is not null => segment.EndStep.ToString(CultureInfo.InvariantCulture),
            _ => parameters.TryGetValue(name, out var v) ? Format(v) : null,
        };

        string program;
        List<string> args;
        if (sweep.Shell)
        {
            program = "/bin/sh";
            args = ["-c", Placeholders.Expand(sweep.ShellCommand!, n => Lookup(n) is { } v ? Placeholders.ShellQuote(v) : "''")!];
        }
        else
        {
            var expanded = new List<string>(sweep.Argv.Count);
            foreach (var template in sweep.Argv)
            {
                // An argument that names a parameter this trial does not have (a conditional one) is left out.
                if (Placeholders.Expand(template, Lookup) is { } arg)
                {
                    expanded.Add(arg);
                }
            }

            var env = MergedEnvironment(number, studyName, paramsPath, parameters, segment);
            var resolved = ResolveProgram(expanded[0], env.TryGetValue("PATH", out var p) ? p : Environment.GetEnvironmentVariable("PATH"));
            if (resolved.Path is null)
            {
                return new TrialOutcome(TrialState.Fail, null, resolved.Problem, [], false, null);
            }

            program = resolved.Path;
            args = expanded[1..];
        }

        var logPath = LogPath(number);
        trial.SetUserAttr("log_file", logPath);
        var log = new StreamWriter(logPath, append: false, new UTF8Encoding(false)) { AutoFlush = true };
        await using var logDisposal = log.ConfigureAwait(false);
        var logGate = new Lock();
        var tail = new Queue<string>();
        var reader = new ResultReader(sweep.Metrics, sweep.Result);
        // The program also stops when another process finished its trial (found this run dead, say): nothing more is recorded on it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt, trial.FinishedElsewhere);
        var pruned = false;
        var reportProblem = false;

        void OnStdout(string line)
        {
            lock (logGate)
            {
                log.WriteLine(line);
            }

            if (pruned)
            {
                return;
            }

            if (ConstraintLine.TryParse(line, out var constraint, out var constraintValue, out var constraintError))
            {
                if (constraintError is not null)
                {
                    onNote?.Invoke($"trial {number}: {constraintError}");
                    return;
                }

                trial.SetConstraint(constraint, constraintValue);
                return;
            }

            if (ReportLine.TryParse(line, out var step, out var value, out var error))
            {
                if (error is not null)
                {
                    onNote?.Invoke($"trial {number}: {error}");
                    return;
                }

                try
                {
                    trial.Report(value, step);
                    if (trial.ShouldPrune())
                    {
                        pruned = true;
                        stop.Cancel();
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException or Storage.StorageException)
                {
                    // A report the study cannot take (several objectives, a storage hiccup) must not take the run down.
                    if (!reportProblem)
                    {
                        reportProblem = true;
                        onNote?.Invoke($"trial {number}: cannot use \"{line.Trim()}\": {e.Message}");
                    }
                }

                return;
            }

            reader.OnLine(line);
        }

        void OnStderr(string line)
        {
            lock (logGate)
            {
                log.WriteLine(line);
                tail.Enqueue(line);
                if (tail.Count > TailLines)
                {
                    tail.Dequeue();
                }
            }
        }

        ChildProcess child;
        try
        {
            child = ChildProcess.Start(program, args, sweep.WorkingDirectory, MergedEnvironment(number, studyName, paramsPath, parameters, segment), OnStdout, OnStderr);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return new TrialOutcome(TrialState.Fail, null, $"cannot start {program}: {e.Message}", [], false, null);
        }

        using (child)
        {
            var timedOut = false;
            if (sweep.TrialTimeout is { } limit)
            {
                stop.CancelAfter(limit);
            }

            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (stop.Token.Register(() => stopped.TrySetResult()).ConfigureAwait(false))
            {
                await Task.WhenAny(child.Exited, stopped.Task).ConfigureAwait(false);
            }

            var wasStopped = !child.Exited.IsCompleted && stop.IsCancellationRequested;
            if (wasStopped)
            {
                timedOut = !pruned && !interrupt.IsCancellationRequested && !trial.FinishedElsewhere.IsCancellationRequested;
                await child.TerminateAsync(sweep.GracePeriod, killNow).ConfigureAwait(false);
                await child.Exited.ConfigureAwait(false);
            }

            await child.DrainAsync().ConfigureAwait(false);
            string[] stderrTail;
            lock (logGate)
            {
                stderrTail = [.. tail];
            }

            var exitCode = child.ExitCode;
            if (trial.FinishedElsewhere.IsCancellationRequested)
            {
                return new TrialOutcome(TrialState.Fail, null, "another process finished the trial while it ran (it found this run's heartbeats missing); its process tree was terminated", stderrTail, false, exitCode);
            }

            if (wasStopped && interrupt.IsCancellationRequested && !pruned)
            {
                return new TrialOutcome(TrialState.Fail, null, "the run was interrupted (Ctrl+C) while the trial ran; its process tree was terminated", stderrTail, true, exitCode);
            }

            if (pruned)
            {
                return new TrialOutcome(TrialState.Pruned, null, null, stderrTail, false, exitCode);
            }

            if (timedOut)
            {
                return new TrialOutcome(TrialState.Fail, null, $"timed out after {Duration(sweep.TrialTimeout!.Value)} (trial_timeout); its process tree was terminated", stderrTail, false, exitCode);
            }

            if (exitCode != 0)
            {
                var how = exitCode > 128 && exitCode < 160 ? $"was killed by signal {exitCode - 128} (exit code {exitCode})" : $"exited with code {exitCode}";
                return new TrialOutcome(TrialState.Fail, null, $"the program {how}", stderrTail, false, exitCode);
            }

            var filePath = sweep.Result.File is { } f ? Path.GetFullPath(Path.Combine(sweep.WorkingDirectory, Placeholders.Expand(f, n => Lookup(n) ?? string.Empty)!)) : null;
            var values = reader.Values(filePath, out var problem);
            return values is null
                ? new TrialOutcome(TrialState.Fail, null, problem, stderrTail, false, exitCode)
                : new TrialOutcome(TrialState.Complete, values, null, stderrTail, false, exitCode);
        }
    }

    public static string Duration(TimeSpan t) => t.TotalSeconds < 60
        ? t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
        : t.ToString(t.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);

    private Dictionary<string, string> MergedEnvironment(int number, string studyName, string paramsPath, IReadOnlyDictionary<string, object?> parameters, SegmentFiles? segment)
    {
        var env = new Dictionary<string, string>(sweep.Environment, StringComparer.Ordinal)
        {
            ["HONE_TRIAL_NUMBER"] = number.ToString(CultureInfo.InvariantCulture),
            ["HONE_STUDY_NAME"] = studyName,
            ["HONE_PARAMS_FILE"] = paramsPath,
        };
        foreach (var (name, value) in parameters)
        {
            env[ParameterSpec.EnvironmentNameOf(name)] = Format(value);
        }

        if (segment is not null)
        {
            env["HONE_CHECKPOINT_IN"] = segment.CheckpointIn ?? string.Empty;
            env["HONE_CHECKPOINT_OUT"] = segment.CheckpointOut;
            env["HONE_START_STEP"] = segment.StartStep.ToString(CultureInfo.InvariantCulture);
            env["HONE_END_STEP"] = segment.EndStep.ToString(CultureInfo.InvariantCulture);
        }

        return env;
    }

    /// <summary>Finds the program as execvp would: a path with a slash as is (relative to the working folder), else on PATH.</summary>
    private (string? Path, string? Problem) ResolveProgram(string name, string? pathVariable)
    {
        if (name.Length == 0)
        {
            return (null, "the command's program is empty");
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(Path.Combine(sweep.WorkingDirectory, name));
            if (!File.Exists(full))
            {
                return (null, $"command not found: {name} (no file {full})");
            }

            return IsExecutable(full) ? (full, null) : (null, $"command {name} is not executable ({full} lacks the execute permission)");
        }

        foreach (var dir in (pathVariable ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return (candidate, null);
            }
        }

        return (null, $"command not found: {name} (not on PATH)");
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
