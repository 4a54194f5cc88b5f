using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hone.Storage.Journal;

/// <summary>
/// Reads journal lines: JSON as Python's <c>json.dumps</c> writes it, whose bare <c>NaN</c>, <c>Infinity</c> and
/// <c>-Infinity</c> are not JSON. Before parsing they become strings marked with U+0001, which
/// <see cref="Double(JsonElement)"/> turns back into floats.
/// </summary>
internal static class JournalJson
{
    private const string Marker = "\u0001";

    public static JsonDocument Parse(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        if (span.IndexOf("NaN"u8) < 0 && span.IndexOf("Infinity"u8) < 0)
        {
            return JsonDocument.Parse(line);
        }

        return JsonDocument.Parse(QuoteNonFinite(span));
    }

    /// <summary>A number, or one of the marked non-finite words.</summary>
    public static double Double(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            Marker + "NaN" => double.NaN,
            Marker + "Infinity" => double.PositiveInfinity,
            Marker + "-Infinity" => double.NegativeInfinity,
            var s => throw new FormatException($"\"{s}\" is not a number."),
        },
        _ => throw new FormatException($"{e.ValueKind} is not a number."),
    };

    /// <summary>
    /// An attribute value detached from its document. A non-finite float inside (which JSON cannot hold) becomes the
    /// string "NaN", "Infinity" or "-Infinity".
    /// </summary>
    public static JsonElement Attr(JsonElement e)
    {
        var raw = e.GetRawText();
        if (!raw.Contains("\\u0001", StringComparison.Ordinal))
        {
            return e.Clone();
        }

        using var doc = JsonDocument.Parse(raw.Replace("\\u0001", string.Empty, StringComparison.Ordinal));
        return doc.RootElement.Clone();
    }

    /// <summary>A time Python's <c>datetime.isoformat</c> wrote; naive times are taken as UTC.</summary>
    public static DateTime? Time(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var t = DateTime.Parse(e.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return DateTime.SpecifyKind(t, DateTimeKind.Utc);
    }

    private static byte[] QuoteNonFinite(ReadOnlySpan<byte> line)
    {
        var output = new List<byte>(line.Length + 32);
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            var b = line[i];
            if (inString)
            {
                output.Add(b);
                if (b == '\\' && i + 1 < line.Length)
                {
                    output.Add(line[++i]);
                }
                else if (b == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (b == '"')
            {
                inString = true;
                output.Add(b);
                continue;
            }

            var word = line[i..].StartsWith("NaN"u8) ? "NaN"
                : line[i..].StartsWith("Infinity"u8) ? "Infinity"
                : line[i..].StartsWith("-Infinity"u8) ? "-Infinity"
                : null;
            if (word is null)
            {
                output.Add(b);
                continue;
            }

            output.AddRange(Encoding.UTF8.GetBytes("\"\\u0001" + word + "\""));
            i += word.Length - 1;
        }

        return [.. output];
    }
}
