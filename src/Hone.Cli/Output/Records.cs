using System.Globalization;
using System.Text;

namespace Hone.Cli.Output;

/// <summary>
/// Rows of named columns written as the optuna CLI writes them: a bordered table (cliff's style), JSON
/// (a list of objects, or one object for a single record) or CSV.
/// </summary>
internal sealed class Records(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyDictionary<string, object?>> rows)
{
    public static readonly IReadOnlyList<string> Formats = ["table", "json", "csv"];

    private static readonly string[] NestedPrefixes = ["params_", "user_attrs_", "system_attrs_"];

    public string Write(string format, bool single = false) => format switch
    {
        "json" => Json.Serialize(single && rows.Count == 1 ? Nest(rows[0]) : rows.Select(r => (object?)Nest(r)).ToList(), indented: true),
        "csv" => Csv(),
        _ => Table(),
    };

    /// <summary>In JSON, "params_x" columns become a "params" object, as in optuna's JSON output.</summary>
    private Dictionary<string, object?> Nest(IReadOnlyDictionary<string, object?> row)
    {
        var result = new Dictionary<string, object?>();
        foreach (var c in columns)
        {
            var value = row.GetValueOrDefault(c);
            var prefix = NestedPrefixes.FirstOrDefault(p => c.StartsWith(p, StringComparison.Ordinal));
            if (prefix is not null)
            {
                if (!row.ContainsKey(c))
                {
                    continue;
                }

                var group = prefix[..^1];
                if (result.GetValueOrDefault(group) is not Dictionary<string, object?> nested)
                {
                    nested = [];
                    result[group] = nested;
                }

                nested[c[prefix.Length..]] = value;
            }
            else
            {
                result[c] = value;
            }
        }

        return result;
    }

    private string Table()
    {
        var cells = rows.Select(r => columns.Select(c => Text(r.GetValueOrDefault(c))).ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var numeric = columns.Select((c, i) => rows.Count > 0 && rows.All(r => r.GetValueOrDefault(c) is null or int or long or double)).ToArray();
        var sb = new StringBuilder();
        var rule = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        sb.AppendLine(rule);
        sb.AppendLine("| " + string.Join(" | ", columns.Select((c, i) => c.PadRight(widths[i]))) + " |");
        sb.AppendLine(rule);
        foreach (var r in cells)
        {
            sb.AppendLine("| " + string.Join(" | ", r.Select((v, i) => numeric[i] ? v.PadLeft(widths[i]) : v.PadRight(widths[i]))) + " |");
        }

        sb.AppendLine(rule);
        return sb.ToString().TrimEnd('\n', '\r');
    }

    private string Csv()
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", columns.Select(CsvField)));
        foreach (var r in rows)
        {
            sb.AppendLine(string.Join(",", columns.Select(c => CsvField(r.TryGetValue(c, out var v) ? Text(v, csv: true) : string.Empty))));
        }

        return sb.ToString().TrimEnd('\n', '\r');
    }

    private static string CsvField(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    public static string Text(object? v, bool csv = false) => v switch
    {
        null => csv ? string.Empty : "None",
        double d => Formatting.RoundTrip(d),
        bool b => b ? "True" : "False",
        string s => s,
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        TimeSpan t => t.ToString(@"h\:mm\:ss\.ffffff", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Text.Json.JsonElement e => e.ValueKind == System.Text.Json.JsonValueKind.String ? e.GetString()! : e.GetRawText(),
        _ => Json.Serialize(v),
    };
}
