using System.CommandLine;
using System.Text.Json;
using Hone.Cli.Output;
using Hone.Cli.Running;
using Hone.Cli.Sweep;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Trials;
using YamlDotNet.RepresentationModel;

namespace Hone.Cli.Commands;

/// <summary><c>hone ask</c>, <c>tell</c> and <c>enqueue</c>: a shell loop can drive a study, as with optuna's CLI.</summary>
internal static class AskTellCommands
{
    public static void Add(RootCommand root, CliContext context)
    {
        {
            var target = new StudyTarget();
            var space = new Option<string?>("--search-space") { Description = "The parameters as JSON: name to Optuna distribution, e.g. '{\"x\": {\"name\": \"FloatDistribution\", \"attributes\": {\"low\": 0, \"high\": 1}}}'." };
            var sampler = new Option<string?>("--sampler") { Description = "Sampler name: tpe, random, qmc, grid, bruteforce (default: the sweep's, else tpe)." };
            var kwargs = new Option<string?>("--sampler-kwargs") { Description = "Sampler options as JSON, e.g. '{\"seed\": 1}'." };
            var ask = new Command("ask", "Start a trial and print its number and parameters as JSON; finish it later with 'hone tell'.") { space, sampler, kwargs };
            target.AddTo(ask);
            ask.SetAction(parse =>
            {
                SweepFile? sweep = parse.GetValue(target.Sweep) is { } path ? OptimizeCommands.Load(path, null) : null;
                if (sweep is not null && parse.GetValue(space) is not null)
                {
                    throw new UsageException("give --search-space or --sweep, not both");
                }

                var specs = sweep?.Parameters ?? ParseSpace(parse.GetValue(space));
                var chosen = CreateSampler(parse.GetValue(sampler), parse.GetValue(kwargs), specs) ?? sweep?.CreateSampler();
                var study = target.Load(parse, chosen);
                var trial = study.Ask();
                var parameters = SweepRunner.Suggest(trial, specs);
                context.Output.WriteLine(Json.Serialize(new Dictionary<string, object?> { ["number"] = trial.Number, ["params"] = parameters }));
                return ExitCodes.Ok;
            });
            root.Add(ask);
        }

        {
            var target = new StudyTarget();
            var number = CommandLineValues.WholeNumber("--trial-number", string.Empty, 0, int.MaxValue, 0, "The trial to finish.");
            number.Required = true;
            var values = CommandLineValues.Numbers("--values", "The objective value(s) of a complete trial (inf and -inf allowed).");
            var state = new Option<string?>("--state") { Description = "complete (default with --values), pruned or fail (default without)." };
            state.AcceptOnlyFromAmong("complete", "pruned", "fail");
            var skip = new Option<bool>("--skip-if-finished") { Description = "Succeed without change if the trial is already finished." };
            var tell = new Command("tell", "Finish a trial started with 'hone ask'.") { number, values, state, skip };
            target.AddTo(tell);
            tell.SetAction(parse =>
            {
                var study = target.Load(parse);
                var n = parse.GetValue(number);
                var trial = study.Trials.FirstOrDefault(t => t.Number == n)
                    ?? throw new NotFoundException($"study \"{study.Name}\" has no trial {n}" +
                        (study.Trials.Count == 0 ? "; it has no trials yet" : $"; its trials are numbered 0 to {study.Trials[^1].Number}"));
                if (trial.State.IsFinished())
                {
                    if (parse.GetValue(skip))
                    {
                        context.Error.WriteLine($"hone: trial {n} is already finished ({trial.State.ToString().ToUpperInvariant()}); skipped");
                        return ExitCodes.Ok;
                    }

                    throw new UsageException($"trial {n} is already finished ({trial.State.ToString().ToUpperInvariant()}); use --skip-if-finished to ignore");
                }

                var vs = parse.GetValue(values) is { Length: > 0 } v ? v : null;
                TrialState? st = parse.GetValue(state) is { } s ? StudyCommands.ParseState(s) : null;
                if (st == TrialState.Complete && vs is null)
                {
                    throw new UsageException("--state complete needs --values");
                }

                if (vs is not null && st is TrialState.Fail)
                {
                    throw new UsageException("--values cannot be given with --state fail");
                }

                if (vs is not null && st is not TrialState.Pruned && vs.Length != study.Directions.Count)
                {
                    throw new UsageException($"--values: study \"{study.Name}\" has {study.Directions.Count} objective(s), so give {study.Directions.Count} value(s); got {vs.Length}");
                }

                var told = study.Tell(n, vs, st ?? (vs is null ? TrialState.Fail : null));
                context.Output.WriteLine($"Told trial {n} with values [{string.Join(", ", told.Values?.Select(Formatting.Number) ?? [])}] and state {told.State.ToString().ToUpperInvariant()}.");
                return ExitCodes.Ok;
            });
            root.Add(tell);
        }

        {
            var target = new StudyTarget();
            var parameters = new Option<string>("--params") { Description = "The parameters as a JSON object, e.g. '{\"x\": 0.5, \"optimizer\": \"adam\"}'.", Required = true };
            var skip = new Option<bool>("--skip-if-exists") { Description = "Do nothing if a waiting, running or complete trial has these parameters." };
            var force = new Option<bool>("--force", "--allow-unknown") { Description = "Accept parameters that are not in the search space, or values outside their range." };
            var enqueue = new Command("enqueue", "Queue a trial with given parameters; the next 'hone optimize' or 'hone ask' runs it first.") { parameters, skip, force };
            target.AddTo(enqueue);
            enqueue.SetAction(parse =>
            {
                var study = target.Load(parse);
                var values = ParseParams(parse.GetValue(parameters)!);
                if (!parse.GetValue(force))
                {
                    var known = KnownSpace(study, parse.GetValue(target.Sweep) is { } sweepPath ? OptimizeCommands.Load(sweepPath, null) : null);
                    if (known is not null && EnqueueCheck.Problems(values, known) is { Count: > 0 } problems)
                    {
                        throw new UsageException(
                            $"--params does not fit the search space of study \"{study.Name}\": {string.Join("; ", problems)}. " +
                            $"Known parameters: {EnqueueCheck.Describe(known)}. Pass --force to enqueue them anyway.");
                    }
                }

                var queued = study.Enqueue(values, skipIfExists: parse.GetValue(skip));
                context.Output.WriteLine(queued
                    ? $"Enqueued a trial with params {Json.Serialize(values)}."
                    : $"A trial with params {Json.Serialize(values)} exists; nothing enqueued.");
                return ExitCodes.Ok;
            });
            root.Add(enqueue);
        }
    }

    /// <summary>The search space to check enqueued parameters against: the sweep's, else what the study's trials used; null when unknown.</summary>
    private static IReadOnlyDictionary<string, Distribution>? KnownSpace(Studies.Study study, SweepFile? sweep)
    {
        if (sweep is not null)
        {
            return sweep.Parameters.ToDictionary(p => p.Name, p => p.Distribution, StringComparer.Ordinal);
        }

        var space = new Dictionary<string, Distribution>(StringComparer.Ordinal);
        foreach (var trial in study.Trials)
        {
            foreach (var (name, distribution) in trial.Distributions)
            {
                space.TryAdd(name, distribution);
            }
        }

        return space.Count == 0 ? null : space;
    }

    private static Dictionary<string, object?> ParseParams(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException("--params must be a JSON object of parameter names to values");
            }

            var result = new Dictionary<string, object?>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                {
                    throw new UsageException($"--params: \"{p.Name}\" must be a number, string, true/false or null");
                }

                result[p.Name] = Json.ToObject(p.Value);
            }

            return result;
        }
        catch (JsonException e)
        {
            throw new UsageException($"--params is not valid JSON: {e.Message}", e);
        }
    }

    private static List<ParameterSpec> ParseSpace(string? json)
    {
        if (json is null)
        {
            return [];
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException("--search-space must be a JSON object of parameter names to distributions");
            }

            var result = new List<ParameterSpec>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                try
                {
                    result.Add(new ParameterSpec(p.Name, Distribution.FromJson(p.Value.GetRawText()), []));
                }
                catch (Exception e) when (e is ArgumentException or JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
                {
                    throw new UsageException($"--search-space: parameter \"{p.Name}\": {e.Message}", e);
                }
            }

            return result;
        }
        catch (JsonException e)
        {
            throw new UsageException($"--search-space is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>A sampler from a name and JSON options (JSON is YAML, so the sweep file's option reader serves both).</summary>
    private static ISampler? CreateSampler(string? name, string? kwargs, IReadOnlyList<ParameterSpec> specs)
    {
        if (name is null && kwargs is null)
        {
            return null;
        }

        var yaml = new YamlContext(kwargs is null ? "--sampler" : "--sampler-kwargs");
        YamlMappingNode? options = null;
        if (kwargs is not null)
        {
            var node = YamlContext.Load("--sampler-kwargs", kwargs, out var syntax);
            if (syntax is not null)
            {
                throw new UsageException(syntax);
            }

            options = node is null ? null : yaml.Mapping(node, "--sampler-kwargs");
        }

        var factory = SamplerFactory.Create(name ?? "auto", new OptionReader(yaml, options, "sampler"), specs);
        if (yaml.Problems.Count > 0 || factory is null)
        {
            throw new UsageException(string.Join(Environment.NewLine, yaml.Problems));
        }

        return factory();
    }
}
