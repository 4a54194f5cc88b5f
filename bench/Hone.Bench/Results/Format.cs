using System.Globalization;

namespace Hone.Bench.Results;

/// <summary>Number formatting for tables: invariant culture, widths that suit regrets and timings.</summary>
internal static class Format
{
    /// <summary>A regret: 3 significant digits, scientific when tiny or huge.</summary>
    public static string Regret(double? value) => value switch
    {
        null => "—",
        { } v when double.IsPositiveInfinity(v) => "∞",
        { } v when double.IsNaN(v) => "NaN",
        { } v when v == 0 => "0",
        { } v when Math.Abs(v) < 1e-3 || Math.Abs(v) >= 1e3 => v.ToString("0.00e0", CultureInfo.InvariantCulture),
        { } v => v.ToString("G3", CultureInfo.InvariantCulture),
    };

    /// <summary>A ratio a / b with two decimals.</summary>
    public static string Ratio(double? a, double? b)
    {
        if (a is not { } x || b is not { } y || double.IsNaN(x) || double.IsNaN(y))
        {
            return "—";
        }

        if (x == y)
        {
            return "1.00";
        }

        if (y == 0 || double.IsPositiveInfinity(x))
        {
            return "∞";
        }

        var r = x / y;
        return r >= 100 ? r.ToString("0", CultureInfo.InvariantCulture) : r.ToString("0.00", CultureInfo.InvariantCulture);
    }

    public static string Number(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);
}
