using System.Globalization;

namespace Hone.Cli.Output;

/// <summary>Numbers and parameters as the CLI prints them.</summary>
internal static class Formatting
{
    public static string Number(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    public static string Value(object? v) => v switch
    {
        null => "null",
        double d => Number(d),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? string.Empty,
    };

    public static string Params(IReadOnlyDictionary<string, object?> parameters) =>
        "{" + string.Join(", ", parameters.Select(p => $"{p.Key}={Value(p.Value)}")) + "}";
}
