using System.Globalization;
using System.Text.Json;

namespace Hone.Trials;

/// <summary>
/// How the intermediate values of a study with several objectives (<see cref="Trial.Report(IReadOnlyList{double}, int)"/>)
/// are stored: one trial system attribute per step, <c>intermediate_values:STEP</c>, holding a JSON list with one number per
/// objective (NaN and infinities as the strings "NaN", "Infinity", "-Infinity", which JSON numbers cannot express).
/// </summary>
/// <remarks>
/// Every storage keeps system attributes already (SQLite, PostgreSQL, the journal, in memory), so no schema changes, and
/// Optuna loads such a study as is: it sees attributes it does not use. Optuna's own intermediate values, one number per
/// step, stay for single-objective studies. One attribute per step keeps a report one small write, as a scalar report is.
/// </remarks>
internal static class IntermediateVectorAttributes
{
    public const string Prefix = "intermediate_values:";

    public static string Key(int step) => Prefix + step.ToString(CultureInfo.InvariantCulture);

    public static JsonElement ToJson(IReadOnlyList<double> values)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var v in values)
            {
                if (double.IsFinite(v))
                {
                    writer.WriteNumberValue(v);
                }
                else
                {
                    writer.WriteStringValue(double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
                }
            }

            writer.WriteEndArray();
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }

    /// <summary>The vectors in <paramref name="attrs"/> by step (ascending); attributes that are not well-formed vectors are skipped.</summary>
    public static SortedList<int, IReadOnlyList<double>> Read(IReadOnlyDictionary<string, JsonElement> attrs)
    {
        var result = new SortedList<int, IReadOnlyList<double>>();
        foreach (var (key, json) in attrs)
        {
            if (!key.StartsWith(Prefix, StringComparison.Ordinal)
                || !int.TryParse(key.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var step)
                || json.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var values = new double[json.GetArrayLength()];
            var i = 0;
            var ok = true;
            foreach (var item in json.EnumerateArray())
            {
                values[i++] = item.ValueKind switch
                {
                    JsonValueKind.Number => item.GetDouble(),
                    JsonValueKind.String when item.GetString() is "NaN" => double.NaN,
                    JsonValueKind.String when item.GetString() is "Infinity" => double.PositiveInfinity,
                    JsonValueKind.String when item.GetString() is "-Infinity" => double.NegativeInfinity,
                    _ => Fail(ref ok),
                };
            }

            if (ok)
            {
                result[step] = values;
            }
        }

        return result;
    }

    private static double Fail(ref bool ok)
    {
        ok = false;
        return double.NaN;
    }
}
