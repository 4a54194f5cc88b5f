using System.Text.Json;
using Hone.Trials;

namespace Hone.Bench.RealProblems;

/// <summary>
/// One real tuning problem of bench/real_problems.json: a model on a dataset, scored by cross-validation, with its
/// searched parameters in the order both drivers suggest them.
/// </summary>
internal sealed record RealProblem
{
    public required string Name { get; init; }

    /// <summary>"sklearn" (bench/optuna/real_eval.py) or "mlnet" (<see cref="MlNetEvaluator"/>).</summary>
    public required string Evaluator { get; init; }

    public required string Model { get; init; }

    public required string Dataset { get; init; }

    /// <summary>"classification" or "regression".</summary>
    public required string Task { get; init; }

    /// <summary>"error", "log_loss" or "mse"; always minimized.</summary>
    public required string Metric { get; init; }

    /// <summary>Use only the first rows of the dataset; null: all.</summary>
    public int? Rows { get; init; }

    /// <summary>"standard", "minmax" or null.</summary>
    public string? Preprocess { get; init; }

    /// <summary>Constructor arguments that are not searched.</summary>
    public IReadOnlyDictionary<string, JsonElement> Fixed { get; init; } = new Dictionary<string, JsonElement>();

    public required IReadOnlyList<RealParameter> Parameters { get; init; }

    /// <summary>A digest of this problem's definition and the CV settings: what cached losses are keyed by.</summary>
    public required string Hash { get; init; }

    /// <summary>Suggests the parameters define-by-run in the file's order, skipping those whose condition fails.</summary>
    public IReadOnlyDictionary<string, object?> Suggest(Trial trial)
    {
        var values = new OrderedParams();
        foreach (var parameter in Parameters)
        {
            if (parameter.IsActive(values))
            {
                values[parameter.Name] = parameter.Suggest(trial);
            }
        }

        return values;
    }

    /// <summary>Parameters read from a JSON object, each as its declared type; throws when one is missing, extra or does not fit.</summary>
    public IReadOnlyDictionary<string, object?> ParseParams(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{Name}: \"params\" must be an object, got {json.GetRawText()}.");
        }

        var values = new OrderedParams();
        foreach (var parameter in Parameters)
        {
            if (!parameter.IsActive(values))
            {
                continue;
            }

            if (!json.TryGetProperty(parameter.Name, out var value))
            {
                throw new FormatException($"{Name}: parameter \"{parameter.Name}\" is missing.");
            }

            values[parameter.Name] = parameter.Coerce(Name, value);
        }

        var extra = json.EnumerateObject().Select(p => p.Name).Where(n => !values.ContainsKey(n)).ToList();
        if (extra.Count > 0)
        {
            throw new FormatException($"{Name}: unexpected or inactive parameter(s) {string.Join(", ", extra)}.");
        }

        return values;
    }

    /// <summary>The parameters as a JSON object in the file's order.</summary>
    public static string ParamsJson(IReadOnlyDictionary<string, object?> values) => JsonSerializer.Serialize(values);

    /// <summary>The cache key of a configuration: the problem and its parameters in the file's order.</summary>
    public string CacheKey(IReadOnlyDictionary<string, object?> values) => Name + ParamsJson(values);
}
