using System.CommandLine;
using Hone.Cli.Output;
using Hone.Cli.Sweep;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Commands;

/// <summary><c>hone studies</c>, <c>trials</c>, <c>best</c>, <c>export</c>, <c>delete</c> and <c>create-study</c>, with the optuna CLI's columns.</summary>
internal static class StudyCommands
{
    private static readonly string[] States = ["complete", "pruned", "fail", "running", "waiting"];

    public static Option<string> FormatOption(string defaultFormat = "table")
    {
        var o = new Option<string>("--format") { Description = "Output format: table, json or csv.", DefaultValueFactory = _ => defaultFormat };
        o.AcceptOnlyFromAmong([.. Records.Formats]);
        return o;
    }

    public static void Add(RootCommand root, CliContext context)
    {
        {
            var target = new StudyTarget();
            var format = FormatOption();
            var studies = new Command("studies", "List the studies in a storage: name, direction, number of trials, first start.") { format };
            target.AddTo(studies, withStudy: false);
            studies.SetAction(parse =>
            {
                var storage = target.OpenExisting(parse);
                var rows = new List<IReadOnlyDictionary<string, object?>>();
                foreach (var record in storage.GetAllStudies())
                {
                    var trials = storage.GetAllTrials(record.StudyId);
                    rows.Add(new Dictionary<string, object?>
                    {
                        ["name"] = record.Name,
                        ["direction"] = Directions(record.Directions),
                        ["n_trials"] = trials.Count,
                        ["datetime_start"] = trials.Where(t => t.DatetimeStart is not null).Select(t => t.DatetimeStart).Min(),
                    });
                }

                context.Output.WriteLine(new Records(["name", "direction", "n_trials", "datetime_start"], rows).Write(parse.GetValue(format)!));
                return ExitCodes.Ok;
            });
            root.Add(studies);
        }

        {
            var target = new StudyTarget();
            var format = FormatOption();
            var state = new Option<string[]>("--state") { Description = "Only trials in these states: complete, pruned, fail, running, waiting.", AllowMultipleArgumentsPerToken = true };
            var trials = new Command("trials", "List a study's trials: number, values, times, parameters, state.") { format, state };
            target.AddTo(trials);
            trials.SetAction(parse =>
            {
                var study = target.Load(parse);
                var states = ParseStates(parse.GetValue(state));
                var list = study.GetTrials(states);
                context.Output.WriteLine(TrialRecords(study, list, attrs: false).Write(parse.GetValue(format)!));
                return ExitCodes.Ok;
            });
            root.Add(trials);
        }

        {
            var target = new StudyTarget();
            var format = FormatOption();
            var best = new Command("best", "Show the best trial (for several objectives, the trials on the Pareto front).") { format };
            best.Aliases.Add("best-trial");
            best.Aliases.Add("best-trials");
            target.AddTo(best);
            best.SetAction(parse =>
            {
                var study = target.Load(parse);
                if (study.GetTrials(TrialState.Complete).Count == 0)
                {
                    context.Error.WriteLine($"hone: study \"{study.Name}\" has no complete trial yet ({study.Trials.Count} trial(s) in other states); see them with 'hone trials'");
                    return ExitCodes.NotFound;
                }

                var list = study.IsMultiObjective ? study.BestTrials : [study.BestTrial];
                context.Output.WriteLine(TrialRecords(study, list, attrs: false).Write(parse.GetValue(format)!, single: !study.IsMultiObjective));
                return ExitCodes.Ok;
            });
            root.Add(best);
        }

        {
            var target = new StudyTarget();
            var format = FormatOption("csv");
            var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of stdout." };
            var export = new Command("export", "Export every trial of a study with attributes and intermediate values, as CSV, JSON or a table.") { format, output };
            target.AddTo(export);
            export.SetAction(parse =>
            {
                var study = target.Load(parse);
                var text = TrialRecords(study, study.Trials, attrs: true).Write(parse.GetValue(format)!);
                if (parse.GetValue(output) is { } path)
                {
                    try
                    {
                        File.WriteAllText(path, text + Environment.NewLine);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw new IOException($"cannot write --output {path}: {e.Message}", e);
                    }

                    context.Error.WriteLine($"hone: wrote {study.Trials.Count} trial(s) to {path}");
                }
                else
                {
                    context.Output.WriteLine(text);
                }

                return ExitCodes.Ok;
            });
            root.Add(export);
        }

        {
            var target = new StudyTarget();
            var yes = new Option<bool>("--yes", "-y") { Description = "Delete the storage's only study without naming it with --study-name." };
            var delete = new Command("delete", "Delete a study and all its trials (name it with --study-name, or pass --yes to delete the storage's only study).") { yes };
            delete.Aliases.Add("delete-study");
            target.AddTo(delete);
            delete.SetAction(parse =>
            {
                var storage = target.OpenExisting(parse);
                var study = target.Load(parse, storage);
                if (target.NameIsInferred(parse) && !parse.GetValue(yes))
                {
                    throw new UsageException(
                        $"delete needs the study's name: pass --study-name \"{study.Name}\" (the storage's only study, with {study.Trials.Count} trial(s)), " +
                        "or --yes to delete it without naming it");
                }

                var count = study.Trials.Count;
                Study.Delete(study.Name, storage);
                context.Output.WriteLine($"Deleted study \"{study.Name}\" ({count} trial(s)).");
                return ExitCodes.Ok;
            });
            root.Add(delete);
        }

        {
            var target = new StudyTarget();
            var direction = new Option<string?>("--direction") { Description = "minimize or maximize (default minimize)." };
            direction.AcceptOnlyFromAmong("minimize", "maximize");
            var directions = new Option<string[]>("--directions") { Description = "One direction per objective, for a multi-objective study.", AllowMultipleArgumentsPerToken = true };
            var skip = new Option<bool>("--skip-if-exists") { Description = "Do nothing (and succeed) if the study exists." };
            var create = new Command("create-study", "Create a study; prints its name.") { direction, directions, skip };
            target.AddTo(create);
            create.SetAction(parse =>
            {
                var storage = target.OpenStorage(parse);
                var name = parse.GetValue(target.StudyName) ?? (parse.GetValue(target.Sweep) is { } s ? OptimizeCommands.Load(s, null).StudyName : null)
                    ?? $"no-name-{Guid.NewGuid()}";
                var ds = parse.GetValue(directions) is { Length: > 0 } list
                    ? list.Select(ParseDirection).ToList()
                    : [ParseDirection(parse.GetValue(direction) ?? "minimize")];
                if (storage.FindStudy(name) is not null && parse.GetValue(skip))
                {
                    context.Output.WriteLine(name);
                    return ExitCodes.Ok;
                }

                try
                {
                    Study.Create(new StudyOptions { Name = name, Directions = ds, Storage = storage });
                }
                catch (Storage.DuplicateStudyException e)
                {
                    throw new UsageException(
                        $"a study named \"{name}\" already exists in {target.DisplayUrl(parse)}; pass --skip-if-exists to accept it as it is, or choose another --study-name", e);
                }

                context.Output.WriteLine(name);
                return ExitCodes.Ok;
            });
            root.Add(create);
        }
    }

    public static StudyDirection ParseDirection(string text) => text.ToLowerInvariant() switch
    {
        "minimize" => StudyDirection.Minimize,
        "maximize" => StudyDirection.Maximize,
        _ => throw new UsageException($"direction \"{text}\" is unknown; {KeySuggestions.Hint(text, ["minimize", "maximize"])}"),
    };

    public static TrialState ParseState(string text) => text.ToLowerInvariant() switch
    {
        "complete" => TrialState.Complete,
        "pruned" => TrialState.Pruned,
        "fail" => TrialState.Fail,
        "running" => TrialState.Running,
        "waiting" => TrialState.Waiting,
        _ => throw new UsageException($"state \"{text}\" is unknown; {KeySuggestions.Hint(text, States)}"),
    };

    private static TrialState[] ParseStates(string[]? texts) =>
        [.. (texts ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(ParseState)];

    private static string Directions(IReadOnlyList<StudyDirection> ds) =>
        ds.Count == 1 ? ds[0].ToString().ToUpperInvariant() : "(" + string.Join(", ", ds.Select(d => d.ToString().ToUpperInvariant())) + ")";

    /// <summary>Trials as optuna's trials_dataframe columns: number, value(s), times, duration, params_*, [attrs], state.</summary>
    public static Records TrialRecords(Study study, IReadOnlyList<FrozenTrial> trials, bool attrs)
    {
        var paramNames = trials.SelectMany(t => t.Params.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var userNames = attrs ? trials.SelectMany(t => t.UserAttrs.Keys).Distinct().Order(StringComparer.Ordinal).ToList() : [];
        var systemNames = attrs ? trials.SelectMany(t => t.SystemAttrs.Keys).Distinct().Order(StringComparer.Ordinal).ToList() : [];
        var valueColumns = study.IsMultiObjective ? Enumerable.Range(0, study.Directions.Count).Select(i => $"values_{i}").ToList() : ["value"];
        var columns = new List<string> { "number" };
        columns.AddRange(valueColumns);
        columns.AddRange(["datetime_start", "datetime_complete", "duration"]);
        columns.AddRange(paramNames.Select(p => "params_" + p));
        columns.AddRange(userNames.Select(p => "user_attrs_" + p));
        columns.AddRange(systemNames.Select(p => "system_attrs_" + p));
        if (attrs)
        {
            columns.Add("intermediate_values");
        }

        var constrained = trials.Any(t => t.Constraints is not null);
        if (constrained)
        {
            columns.Add("constraints");
        }

        columns.Add("state");
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        foreach (var t in trials)
        {
            var row = new Dictionary<string, object?> { ["number"] = t.Number };
            for (var i = 0; i < valueColumns.Count; i++)
            {
                row[valueColumns[i]] = t.Values is { } v && i < v.Count ? v[i] : null;
            }

            row["datetime_start"] = t.DatetimeStart;
            row["datetime_complete"] = t.DatetimeComplete;
            row["duration"] = t.Duration is { } d ? Records.Text(d) : null;
            foreach (var p in paramNames)
            {
                if (t.Params.TryGetValue(p, out var value))
                {
                    row["params_" + p] = value;
                }
            }

            foreach (var a in userNames)
            {
                if (t.UserAttrs.TryGetValue(a, out var value))
                {
                    row["user_attrs_" + a] = value;
                }
            }

            foreach (var a in systemNames)
            {
                if (t.SystemAttrs.TryGetValue(a, out var value))
                {
                    row["system_attrs_" + a] = value;
                }
            }

            if (attrs)
            {
                row["intermediate_values"] = t.IntermediateValues.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => (object?)kv.Value);
            }

            if (constrained)
            {
                row["constraints"] = ConstraintText(t);
            }

            row["state"] = t.State.ToString().ToUpperInvariant();
            rows.Add(row);
        }

        return new Records(columns, rows);
    }

    /// <summary>"feasible", or "violates" and each violated constraint with its value (by name when known), e.g. "violates memory_gb=0.4".</summary>
    private static string? ConstraintText(FrozenTrial t)
    {
        if (t.Constraints is not { } values)
        {
            return null;
        }

        if (t.IsFeasible)
        {
            return "feasible";
        }

        var names = t.ConstraintNames;
        var violated = values
            .Select((v, i) => (Name: names is not null && i < names.Count ? names[i] : $"c{i}", Value: v))
            .Where(c => !(c.Value <= 0))
            .Select(c => $"{c.Name}={c.Value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}");
        return "violates " + string.Join(", ", violated);
    }
}
