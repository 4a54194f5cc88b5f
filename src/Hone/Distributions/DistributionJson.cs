using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hone.Distributions;

/// <summary>
/// Reads and writes distributions in Optuna's JSON format
/// (<c>{"name": "FloatDistribution", "attributes": {...}}</c>), including Optuna's legacy names.
/// </summary>
internal static class DistributionJson
{
    public static string Serialize(Distribution distribution)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            switch (distribution)
            {
                case FloatDistribution f:
                    w.WriteString("name", "FloatDistribution");
                    w.WriteStartObject("attributes");
                    w.WritePropertyName("step");
                    if (f.Step is { } step)
                    {
                        WriteFloat(w, step);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }

                    w.WritePropertyName("low");
                    WriteFloat(w, f.Low);
                    w.WritePropertyName("high");
                    WriteFloat(w, f.High);
                    w.WriteBoolean("log", f.Log);
                    w.WriteEndObject();
                    break;
                case IntDistribution i:
                    w.WriteString("name", "IntDistribution");
                    w.WriteStartObject("attributes");
                    w.WriteBoolean("log", i.Log);
                    w.WriteNumber("step", i.Step);
                    w.WriteNumber("low", i.Low);
                    w.WriteNumber("high", i.High);
                    w.WriteEndObject();
                    break;
                case CategoricalDistribution c:
                    w.WriteString("name", "CategoricalDistribution");
                    w.WriteStartObject("attributes");
                    w.WriteStartArray("choices");
                    foreach (var choice in c.Choices)
                    {
                        WriteChoice(w, choice);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                    break;
                default:
                    throw new ArgumentException($"Unknown distribution type {distribution.GetType().Name}.", nameof(distribution));
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static Distribution Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Distribution JSON is not valid JSON ({e.Message}): {json}", e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("attributes", out var a) || a.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException(
                    $"Distribution JSON must be an object with a string \"name\" and an object \"attributes\", got: {json}");
            }

            var name = nameElement.GetString();
            try
            {
                return name switch
                {
                    "FloatDistribution" => new FloatDistribution(
                        Number(a, "low"), Number(a, "high"), OptionalBool(a, "log"), OptionalNumber(a, "step")),
                    "UniformDistribution" => new FloatDistribution(Number(a, "low"), Number(a, "high")),
                    "LogUniformDistribution" => new FloatDistribution(Number(a, "low"), Number(a, "high"), log: true),
                    "DiscreteUniformDistribution" => new FloatDistribution(Number(a, "low"), Number(a, "high"), step: Number(a, "q")),
                    "IntDistribution" => new IntDistribution(
                        Int(a, "low"), Int(a, "high"), OptionalBool(a, "log"), (int)(OptionalNumber(a, "step") ?? 1)),
                    "IntUniformDistribution" => new IntDistribution(
                        Int(a, "low"), Int(a, "high"), step: (int)(OptionalNumber(a, "step") ?? 1)),
                    "IntLogUniformDistribution" => new IntDistribution(Int(a, "low"), Int(a, "high"), log: true),
                    "CategoricalDistribution" => new CategoricalDistribution(Choices(a)),
                    _ => throw new FormatException(
                        $"Unknown distribution name \"{name}\"; expected FloatDistribution, IntDistribution, CategoricalDistribution " +
                        "or one of Optuna's legacy names."),
                };
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"Distribution JSON describes an invalid {name}: {e.Message} ({json})", e);
            }
        }
    }

    /// <summary>Reads a JSON value as a categorical choice (integers as int when they fit, else long).</summary>
    public static object? ReadChoice(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number when e.TryGetInt32(out var i) && !HasFractionSyntax(e) => i,
        JsonValueKind.Number when e.TryGetInt64(out var l) && !HasFractionSyntax(e) => l,
        JsonValueKind.Number => e.GetDouble(),
        _ => throw new FormatException($"A categorical choice must be null, a boolean, a number or a string, got {e.GetRawText()}."),
    };

    public static void WriteChoice(Utf8JsonWriter w, object? choice)
    {
        switch (choice)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case double d: WriteFloat(w, d); break;
            case float f: WriteFloat(w, f); break;
            case decimal m: w.WriteNumberValue(m); break;
            default: w.WriteNumberValue(Convert.ToInt64(choice, CultureInfo.InvariantCulture)); break;
        }
    }

    /// <summary>Writes a float the way Python does: integral values keep a ".0" so they read back as floats.</summary>
    private static void WriteFloat(Utf8JsonWriter w, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"JSON cannot hold the non-finite number {value}.", nameof(value));
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (!text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal))
        {
            text += ".0";
        }

        w.WriteRawValue(text);
    }

    private static bool HasFractionSyntax(JsonElement e)
    {
        var raw = e.GetRawText();
        return raw.Contains('.', StringComparison.Ordinal) || raw.Contains('e', StringComparison.OrdinalIgnoreCase);
    }

    private static double Number(JsonElement a, string key) =>
        a.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : throw new FormatException($"Distribution attribute \"{key}\" must be a number.");

    private static int Int(JsonElement a, string key) =>
        a.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)
            ? i
            : throw new FormatException($"Distribution attribute \"{key}\" must be a 32-bit integer.");

    private static double? OptionalNumber(JsonElement a, string key) =>
        !a.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number ? v.GetDouble()
        : throw new FormatException($"Distribution attribute \"{key}\" must be a number or null.");

    private static bool OptionalBool(JsonElement a, string key) =>
        a.TryGetProperty(key, out var v) && v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new FormatException($"Distribution attribute \"{key}\" must be a boolean."),
        };

    private static List<object?> Choices(JsonElement a)
    {
        if (!a.TryGetProperty("choices", out var v) || v.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("Distribution attribute \"choices\" must be an array.");
        }

        var list = new List<object?>(v.GetArrayLength());
        foreach (var e in v.EnumerateArray())
        {
            list.Add(ReadChoice(e));
        }

        return list;
    }
}
