using System.Globalization;

namespace Hone.Cli.Output;

/// <summary>
/// Numbers and parameters as the CLI prints them, in one place so that every command writes a value the same
/// way: <c>0.219871</c>, <c>2.123e-05</c>, <c>1.5e+07</c>, <c>inf</c>, <c>-inf</c>, <c>nan</c> (Python's spelling,
/// which Optuna users read every day, rather than .NET's <c>2.12331E-05</c> and <c>∞</c>).
/// </summary>
internal static class Formatting
{
    /// <summary>A value for people: six significant digits, or four in exponent form for very small or large values.</summary>
    public static string Number(double v)
    {
        if (!double.IsFinite(v))
        {
            return NonFinite(v);
        }

        var magnitude = Math.Abs(v);
        return v == 0 || (magnitude >= 1e-4 && magnitude < 1e6)
            ? v.ToString("G6", CultureInfo.InvariantCulture)
            : v.ToString("0.###e+00", CultureInfo.InvariantCulture);
    }

    /// <summary>A value that reads back exactly (tables and CSV), with a Python-style exponent: <c>2.12331e-05</c>.</summary>
    public static string RoundTrip(double v)
    {
        if (!double.IsFinite(v))
        {
            return NonFinite(v);
        }

        var text = v.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return text;
        }

        var sign = text[e + 1] is '-' ? "-" : "+";
        var digits = text[(e + 1)..].TrimStart('+', '-');
        return text[..e] + "e" + sign + digits.PadLeft(2, '0');
    }

    public static string Value(object? v) => v switch
    {
        null => "null",
        double d => Number(d),
        float f => Number(f),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? string.Empty,
    };

    public static string Params(IReadOnlyDictionary<string, object?> parameters) =>
        "{" + string.Join(", ", parameters.Select(p => $"{p.Key}={Value(p.Value)}")) + "}";

    private static string NonFinite(double v) => double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
}
