using System.CommandLine;
using Hone.Cli.Output;
using Hone.Cli.Running;
using Hone.Cli.Sweep;
using Spectre.Console;

namespace Hone.Cli.Commands;

/// <summary><c>hone optimize</c> and <c>hone check</c>.</summary>
internal static class OptimizeCommands
{
    public static void Add(RootCommand root, CliContext context)
    {
        var sweepArg = new Argument<string>("sweep") { Description = "The sweep file (YAML)." };
        var trials = CommandLineValues.OptionalWholeNumber("--trials", "-n", 1, int.MaxValue, "How many finished trials the study should have (overrides the sweep's trials).");
        var jobs = CommandLineValues.OptionalWholeNumber("--jobs", "-j", 1, 1024, "Trials run at once (overrides the sweep's jobs).");
        var timeout = CommandLineValues.Duration("--timeout", "Start no trial after this long, e.g. 30m (overrides the sweep's timeout).");
        var storage = new Option<string?>("--storage") { Description = "Storage URL (overrides the sweep's storage)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print nothing but warnings and errors." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per finished trial, and a summary." };
        var requeue = new Option<bool>("--requeue-interrupted") { Description = "On Ctrl+C, put the interrupted trials' parameters back in the queue instead of only failing them." };

        var optimize = new Command("optimize", "Run the program of a sweep file for each trial of its study (resumes the study if it exists).")
        {
            sweepArg, trials, jobs, timeout, storage, quiet, json, requeue,
        };
        optimize.SetAction(async (parse, _) =>
        {
            var sweep = Load(parse.GetValue(sweepArg)!, parse.GetValue(storage));
            var limit = parse.GetValue(timeout);
            if (parse.GetValue(quiet) && parse.GetValue(json))
            {
                throw new UsageException("--quiet and --json cannot be used together");
            }

            var settings = new RunSettings(parse.GetValue(trials), parse.GetValue(jobs), limit, parse.GetValue(requeue));
            using var display = CreateDisplay(context, parse.GetValue(quiet), parse.GetValue(json));
            return await new SweepRunner(sweep, settings, display).RunAsync(context.Interrupt, context.KillNow).ConfigureAwait(false);
        });
        root.Add(optimize);

        var checkArg = new Argument<string>("sweep") { Description = "The sweep file (YAML)." };
        var check = new Command("check", "Check a sweep file and print what it would run, without running anything.") { checkArg };
        check.SetAction(parse =>
        {
            var sweep = Load(parse.GetValue(checkArg)!, null);
            var o = context.Output;
            o.WriteLine($"{parse.GetValue(checkArg)}: OK");
            o.WriteLine($"  study:      {sweep.StudyName} ({string.Join(", ", sweep.Directions.Zip(sweep.Metrics, (d, m) => $"{d.ToString().ToLowerInvariant()} {m}"))})");
            o.WriteLine($"  storage:    {StorageFactory.Display(sweep.Storage)}");
            o.WriteLine($"  sampler:    {sweep.SamplerName}; pruner: {sweep.PrunerName}");
            o.WriteLine($"  command:    {(sweep.Shell ? "/bin/sh -c " + sweep.ShellCommand : string.Join(" ", sweep.Argv))}");
            foreach (var p in sweep.Parameters)
            {
                var when = p.When.Count == 0 ? string.Empty : " when " + string.Join(" and ", p.When.Select(c => $"{c.Parameter} in [{string.Join(", ", c.Values.Select(Formatting.Value))}]"));
                o.WriteLine($"  parameter:  {p.Name} {p.Distribution}{when}");
            }

            if (sweep.Pbt is { } pbt)
            {
                o.WriteLine(System.FormattableString.Invariant(
                    $"  scheduler:  pbt{(pbt.Explore == Population.PbtExploreMethod.Pb2 ? " (explore: pb2)" : "")}, {pbt.PopulationSize} members, {pbt.Generations} segments of {pbt.Interval} steps each, jobs {sweep.Jobs}"));
            }
            else
            {
                o.WriteLine($"  trials:     {sweep.Trials?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "until timeout or Ctrl+C"}, jobs {sweep.Jobs}");
            }
            return ExitCodes.Ok;
        });
        root.Add(check);
    }

    public static SweepFile Load(string path, string? storageOverride)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"sweep file \"{path}\" does not exist");
        }

        var sweep = SweepReader.Read(path);
        if (storageOverride is not null && Hone.Storage.StorageUrl.Problem(SweepReader.ResolveStorage(storageOverride, Environment.CurrentDirectory)) is { } problem)
        {
            throw new UsageException($"--storage: {problem}");
        }

        return storageOverride is null
            ? sweep
            : sweep with { Storage = SweepReader.ResolveStorage(storageOverride, Environment.CurrentDirectory) };
    }

    internal static RunDisplay CreateDisplay(CliContext context, bool quiet, bool json)
    {
        if (quiet)
        {
            return new QuietDisplay(context.Error);
        }

        if (json)
        {
            return new JsonDisplay(context.Output, context.Error);
        }

        var plain = new PlainDisplay(context.Output, context.Error);
        if (!context.Terminal)
        {
            return plain;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Output),
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
        });
        return new Running.LiveDisplay(console, plain, context.Interrupt);
    }
}
