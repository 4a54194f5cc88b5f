using System.Globalization;
using System.Text.Json;
using Hone.Trials;

namespace Hone.Bench.RealProblems;

/// <summary>
/// One searched parameter of a real problem (an entry of <c>params</c> in bench/real_problems.json): its
/// distribution and the condition under which it is suggested at all.
/// </summary>
internal sealed record RealParameter
{
    public required string Name { get; init; }

    /// <summary>"float", "int" or "categorical".</summary>
    public required string Type { get; init; }

    public double Low { get; init; }

    public double High { get; init; }

    public bool Log { get; init; }

    /// <summary>The float step (null: continuous) or the int step (null: 1).</summary>
    public double? Step { get; init; }

    /// <summary>The categorical choices: strings, numbers (double), booleans or null.</summary>
    public IReadOnlyList<object?> Choices { get; init; } = [];

    /// <summary>Earlier parameters and the values for which this one is suggested; empty: always.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<object?>> When { get; init; } = new Dictionary<string, IReadOnlyList<object?>>();

    /// <summary>Whether the parameter is suggested after <paramref name="earlier"/> were.</summary>
    public bool IsActive(IReadOnlyDictionary<string, object?> earlier)
    {
        foreach (var (other, allowed) in When)
        {
            if (!earlier.TryGetValue(other, out var value) || !allowed.Any(a => SameValue(a, value)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Suggests the parameter from <paramref name="trial"/>: a double, an int, or one of <see cref="Choices"/>.</summary>
    public object? Suggest(Trial trial) => Type switch
    {
        "float" => trial.SuggestFloat(Name, Low, High, Log, Step),
        "int" => trial.SuggestInt(Name, (int)Low, (int)High, Log, (int)(Step ?? 1)),
        _ => trial.SuggestCategorical(Name, Choices),
    };

    /// <summary>A value read from JSON as the declared type; throws with the parameter's name when it does not fit.</summary>
    public object? Coerce(string problem, JsonElement value)
    {
        switch (Type)
        {
            case "float" when value.ValueKind == JsonValueKind.Number:
                return value.GetDouble();
            case "int" when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i):
                return i;
            case "int" when value.ValueKind == JsonValueKind.Number && value.GetDouble() == Math.Round(value.GetDouble()):
                return (int)value.GetDouble();
            case "categorical":
                var parsed = FromJson(value);
                foreach (var choice in Choices)
                {
                    if (SameValue(choice, parsed))
                    {
                        return choice;
                    }
                }

                break;
        }

        throw new FormatException(
            $"{problem}: parameter \"{Name}\" must be {Describe()}, got {value.GetRawText()}.");
    }

    /// <summary>Two parameter values are the same when they are equal numbers or equal other values.</summary>
    public static bool SameValue(object? a, object? b) =>
        (a, b) switch
        {
            (null, null) => true,
            (null, _) or (_, null) => false,
            (string x, string y) => x == y,
            (bool x, bool y) => x == y,
            (string or bool, _) or (_, string or bool) => false,
            _ => Convert.ToDouble(a, CultureInfo.InvariantCulture) == Convert.ToDouble(b, CultureInfo.InvariantCulture),
        };

    /// <summary>A JSON scalar as a choice value: a string, a double, a boolean or null.</summary>
    public static object? FromJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => throw new FormatException($"Expected a string, number, boolean or null, got {value.GetRawText()}."),
    };

    private string Describe() => Type switch
    {
        "float" => string.Create(CultureInfo.InvariantCulture, $"a number in [{Low}, {High}]"),
        "int" => string.Create(CultureInfo.InvariantCulture, $"an integer in [{Low}, {High}]"),
        _ => "one of " + JsonSerializer.Serialize(Choices),
    };
}
