using System.Text.Json.Nodes;

namespace Hone.Report.Plots;

/// <summary>Small builders for Plotly's JSON: numbers that are not finite become null (JSON has no NaN).</summary>
internal static class Json
{
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    public static JsonArray Numbers(IEnumerable<double> values) => [.. values.Select(Number)];

    public static JsonArray Numbers(IEnumerable<double?> values) => [.. values.Select(v => v is { } x ? Number(x) : null)];

    public static JsonArray Ints(IEnumerable<int> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];

    public static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];

    /// <summary>Numbers, or strings for categorical values.</summary>
    public static JsonArray Values(IEnumerable<object?> values) => [.. values.Select(v => v switch
    {
        double d => Number(d),
        string s => JsonValue.Create(s),
        null => null,
        _ => JsonValue.Create(v.ToString()),
    })];

    public static JsonObject Axis(string title, string? type = null)
    {
        var axis = new JsonObject { ["title"] = new JsonObject { ["text"] = title } };
        if (type is not null)
        {
            axis["type"] = type;
        }

        return axis;
    }

    /// <summary>The hover text of each trial: its number.</summary>
    public static JsonArray TrialLabels(IEnumerable<int> numbers) => Strings(numbers.Select(n => $"Trial #{n}"));
}
