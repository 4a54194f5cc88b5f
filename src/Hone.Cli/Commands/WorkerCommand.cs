using System.CommandLine;
using System.Text.Json;
using Hone.Cli.Running;
using Hone.Cli.Sweep;
using Hone.Storage;

namespace Hone.Cli.Commands;

/// <summary>
/// <c>hone worker</c>: a long-lived worker for any scheduler (Kubernetes, Slurm, systemd). It runs a study by its name
/// alone, with the sweep file that <c>hone optimize</c> kept with the study, pulls trials until the study's target is
/// reached, and on SIGTERM stops taking trials and lets running ones finish within <c>--drain</c> before it stops and
/// queues them again.
/// </summary>
internal static class WorkerCommand
{
    /// <summary>The default drain: with the program's own <c>grace_period</c> (10 s by default) it fits Kubernetes' default 30 s.</summary>
    public static readonly TimeSpan DefaultDrain = TimeSpan.FromSeconds(20);

    public static void Add(RootCommand root, CliContext context)
    {
        var target = new StudyTarget();
        var trials = CommandLineValues.OptionalWholeNumber("--trials", "-n", 1, int.MaxValue, "How many finished trials the study should have (default: the sweep's trials; none: until stopped).");
        var jobs = CommandLineValues.OptionalWholeNumber("--jobs", "-j", 1, SweepReader.MaxJobs, "Trials this worker runs at once (default: the sweep's jobs).");
        var timeout = CommandLineValues.Duration("--timeout", "Start no trial after this long, e.g. 8h (default: the sweep's timeout).");
        var drain = CommandLineValues.Duration("--drain", "On SIGTERM or Ctrl+C, how long running trials may go on to finish before they are stopped and queued again (default 20s; 0 stops them at once).");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print nothing but warnings and errors." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per finished trial, and a summary." };
        var metricsPort = CommandLineValues.OptionalWholeNumber("--metrics-port", string.Empty, 1, 65535,
            "Serve Hone's metrics in Prometheus format at http://HOST:PORT/metrics while the worker runs (every interface).");
        var command = new Argument<string[]>("command")
        {
            Description = "After --: the program to run instead of the sweep's command, with {parameter} placeholders.",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var worker = new Command(
            "worker",
            "Run trials of an existing study until its target is reached, with the sweep file kept with the study (for Kubernetes, Slurm, systemd).")
        {
            trials, jobs, timeout, drain, quiet, json, metricsPort, command,
        };
        target.AddTo(worker);
        worker.SetAction(async (parse, _) =>
        {
            if (parse.GetValue(quiet) && parse.GetValue(json))
            {
                throw new UsageException("--quiet and --json cannot be used together");
            }

            var sweep = LoadSweep(parse, target);
            if (parse.GetValue(command) is { Length: > 0 } argv)
            {
                sweep = WithCommand(sweep, argv);
            }

            var settings = new RunSettings(parse.GetValue(trials), parse.GetValue(jobs), parse.GetValue(timeout), RequeueInterrupted: true, parse.GetValue(drain) ?? DefaultDrain);
            using var metrics = parse.GetValue(metricsPort) is { } port ? MetricsEndpoint.Start(port) : null;
            using var display = OptimizeCommands.CreateDisplay(context, parse.GetValue(quiet), parse.GetValue(json));
            return await new SweepRunner(sweep, settings, display).RunAsync(context.Interrupt, context.KillNow).ConfigureAwait(false);
        });
        root.Add(worker);
    }

    /// <summary>The sweep of <c>--sweep FILE</c>, else the one kept with the study named by <c>--storage</c> and <c>--study</c>.</summary>
    private static SweepFile LoadSweep(ParseResult parse, StudyTarget target)
    {
        if (parse.GetValue(target.Sweep) is { } path)
        {
            var fromFile = OptimizeCommands.Load(path, parse.GetValue(target.Storage));
            return parse.GetValue(target.StudyName) is { } name && name != fromFile.StudyName
                ? throw new UsageException($"--study {name} differs from the study of {path} ({fromFile.StudyName}); give one of them")
                : fromFile;
        }

        var url = target.StorageUrl(parse);
        var storage = target.OpenExisting(parse);
        var studyName = target.Name(parse, storage);
        if (storage.FindStudy(studyName) is not { } studyId)
        {
            var names = storage.GetAllStudies().Select(s => s.Name).ToList();
            throw new NotFoundException($"no study named \"{studyName}\" in {target.DisplayUrl(parse)}; {(names.Count == 0 ? "the storage has no study" : KeySuggestions.Hint(studyName, names))}");
        }

        if (!storage.GetStudySystemAttrs(studyId).TryGetValue(SweepRunner.SweepKey, out var recorded)
            || recorded.ValueKind != JsonValueKind.Object
            || !recorded.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String
            || !recorded.TryGetProperty("path", out var recordedPath) || recordedPath.ValueKind != JsonValueKind.String)
        {
            throw new UsageException(
                $"study \"{studyName}\" has no sweep file kept with it (it was not run by 'hone optimize'); run 'hone optimize SWEEP.yaml' once, or give the sweep file with --sweep");
        }

        // Relative paths in the sweep (command, working_directory, logs) are relative to its folder where it was run;
        // on a machine without that folder, to the folder the worker runs in.
        var original = recordedPath.GetString()!;
        var folder = Path.GetDirectoryName(original) is { } dir && Directory.Exists(dir) ? dir : Environment.CurrentDirectory;
        var sweep = SweepReader.Parse($"the sweep file kept with study \"{studyName}\"", Path.Combine(folder, Path.GetFileName(original)), text.GetString()!);
        return sweep with { Storage = url, StudyName = studyName };
    }

    /// <summary>The sweep with another command (after <c>--</c>), its placeholders checked against the sweep's parameters.</summary>
    private static SweepFile WithCommand(SweepFile sweep, string[] argv)
    {
        var names = sweep.Parameters.Select(p => p.Name).Concat(Placeholders.BuiltIn).ToList();
        foreach (var word in argv)
        {
            var used = Placeholders.Names(word, out var error);
            foreach (var name in used)
            {
                if (!names.Contains(name))
                {
                    throw new UsageException($"command after --: placeholder {{{name}}} is not a parameter of the study; {KeySuggestions.Hint(name, names)}");
                }
            }

            if (error is not null)
            {
                throw new UsageException($"command after --: {error}");
            }
        }

        return sweep with { Argv = argv, Shell = false, ShellCommand = null };
    }
}
