using System.CommandLine;
using Hone.Analysis.Importance;
using Hone.Cli.Output;
using Hone.Trials;

namespace Hone.Cli.Commands;

/// <summary>
/// <c>hone importance</c>: which parameters matter for a study's objective (fANOVA, PED-ANOVA or mean decrease in
/// impurity, see docs/core.md), as a table of parameter, importance and spread, or JSON with fANOVA's interactions.
/// </summary>
internal static class ImportanceCommand
{
    private static readonly string[] Methods = ["fanova", "ped-anova", "mdi"];

    /// <summary>How many pairwise interactions the table shows (JSON has them all).</summary>
    private const int TableInteractions = 10;

    public static void Add(RootCommand root, CliContext context)
    {
        var target = new StudyTarget();
        var method = new Option<string>("--method") { Description = "fanova (default), ped-anova or mdi (mean decrease in impurity).", DefaultValueFactory = _ => "fanova" };
        method.AcceptOnlyFromAmong(Methods);
        var parameters = new Option<string[]>("--params")
        {
            Description = "Only these parameters, comma-separated (default: every parameter all complete trials have).",
            AllowMultipleArgumentsPerToken = true,
        };
        var objective = CommandLineValues.WholeNumber("--objective", string.Empty, 0, 1000, 0, "Which objective of a multi-objective study (0 = the first).");
        var seed = CommandLineValues.WholeNumber("--seed", string.Empty, 0, int.MaxValue, 0, "Seed of the random forest and resamples (default 0: the same output every time).");
        var trees = CommandLineValues.WholeNumber("--trees", string.Empty, 1, 100_000, 64, "Trees in the random forest (fanova, mdi).");
        var format = StudyCommands.FormatOption();
        var json = new Option<bool>("--json") { Description = "Print JSON (same as --format json), with fANOVA's pairwise interactions." };
        var command = new Command("importance", "Show how much each parameter matters for the objective: importance (summing to 1) and its spread.")
        {
            method, parameters, objective, seed, trees, format, json,
        };
        target.AddTo(command);
        command.SetAction(parse =>
        {
            var study = target.Load(parse);
            var complete = study.GetTrials(TrialState.Complete).Count;
            if (complete < 2)
            {
                context.Error.WriteLine($"hone: study \"{study.Name}\" has {complete} complete trial(s); importance needs at least 2");
                return ExitCodes.NotFound;
            }

            var names = parse.GetValue(parameters) is { Length: > 0 } given
                ? given.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
                : null;
            var options = new ImportanceOptions
            {
                Method = parse.GetValue(method) switch
                {
                    "ped-anova" => ImportanceMethod.PedAnova,
                    "mdi" => ImportanceMethod.MeanDecreaseImpurity,
                    _ => ImportanceMethod.Fanova,
                },
                Parameters = names,
                Objective = parse.GetValue(objective),
                Seed = parse.GetValue(seed),
                Trees = parse.GetValue(trees),
            };
            if (options.Objective >= study.Directions.Count)
            {
                throw new UsageException($"--objective {options.Objective} is out of range; study \"{study.Name}\" has {study.Directions.Count} objective(s), 0 to {study.Directions.Count - 1}");
            }

            ImportanceResult result;
            try
            {
                result = ParameterImportance.Evaluate(study, options);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(CliWords(Messages.Of(e)), e);
            }

            var asJson = parse.GetValue(json) || parse.GetValue(format) == "json";
            context.Output.WriteLine(asJson ? Json.Serialize(ToJson(study.Name, result), indented: true) : Text(result, parse.GetValue(format)!));
            return ExitCodes.Ok;
        });
        root.Add(command);
    }

    /// <summary>The library's option names in the words of this command's flags.</summary>
    private static string CliWords(string message) => message
        .Replace("ImportanceOptions.Parameters", "--params", StringComparison.Ordinal)
        .Replace("ImportanceOptions.Objective", "--objective", StringComparison.Ordinal);

    private static string Text(ImportanceResult result, string format)
    {
        var rows = result.Parameters.Select(p => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["parameter"] = p.Name,
            ["importance"] = format == "table" ? Math.Round(p.Importance, 4) : p.Importance,
            ["spread"] = format == "table" ? Math.Round(p.Spread, 4) : p.Spread,
        }).ToList();
        var text = new Records(["parameter", "importance", "spread"], rows).Write(format);
        var pairs = result.Interactions.Take(TableInteractions).ToList();
        if (format != "table" || pairs.Count == 0)
        {
            return text;
        }

        var pairRows = pairs.Select(i => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["interaction"] = $"{i.First} × {i.Second}",
            ["variance_fraction"] = Math.Round(i.VarianceFraction, 4),
            ["spread"] = Math.Round(i.Spread, 4),
        }).ToList();
        return text + Environment.NewLine + Environment.NewLine +
               $"Fraction of the variance explained by pairs beyond each parameter alone (fANOVA, {result.TrialCount} trials; top {pairs.Count}; " +
               $"the parameters alone explain {Formatting.Number(Math.Round(result.Parameters.Sum(p => p.VarianceFraction ?? 0), 4))}):" +
               Environment.NewLine + new Records(["interaction", "variance_fraction", "spread"], pairRows).Write("table");
    }

    private static Dictionary<string, object?> ToJson(string study, ImportanceResult result) => new()
    {
        ["study"] = study,
        ["method"] = result.Method switch
        {
            ImportanceMethod.PedAnova => "ped-anova",
            ImportanceMethod.MeanDecreaseImpurity => "mdi",
            _ => "fanova",
        },
        ["objective"] = result.Objective,
        ["n_trials"] = result.TrialCount,
        ["importances"] = result.Parameters.Select(p => new Dictionary<string, object?>
        {
            ["parameter"] = p.Name,
            ["importance"] = p.Importance,
            ["spread"] = p.Spread,
            ["variance_fraction"] = p.VarianceFraction,
        }).ToList(),
        ["interactions"] = result.Interactions.Select(i => new Dictionary<string, object?>
        {
            ["parameters"] = new[] { i.First, i.Second },
            ["variance_fraction"] = i.VarianceFraction,
            ["spread"] = i.Spread,
        }).ToList(),
    };
}
