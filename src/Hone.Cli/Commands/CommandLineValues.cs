using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Hone.Cli.Commands;

/// <summary>
/// Options whose values the parser checks and explains in the user's words ("a whole number from 1 to
/// 2147483647", "a duration such as 30m"), instead of System.CommandLine's messages that name .NET types.
/// </summary>
internal static class CommandLineValues
{
    /// <summary>The longest duration a command-line flag accepts (about 11 years).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(100_000);

    public const string DurationForms = "90 (seconds), 500ms, 30s, 10m, 2h or 1h30m";

    /// <summary>A whole-number option with a range and a default.</summary>
    public static Option<int> WholeNumber(string name, string alias, int min, int max, int defaultValue, string description)
    {
        var option = alias.Length == 0 ? new Option<int>(name) : new Option<int>(name, alias);
        option.Description = description;
        option.DefaultValueFactory = _ => defaultValue;
        option.CustomParser = result => ParseWholeNumber(result, min, max) ?? defaultValue;
        return option;
    }

    /// <summary>A whole-number option with a range and no default (null when not given).</summary>
    public static Option<int?> OptionalWholeNumber(string name, string alias, int min, int max, string description)
    {
        var option = alias.Length == 0 ? new Option<int?>(name) : new Option<int?>(name, alias);
        option.Description = description;
        option.CustomParser = result => ParseWholeNumber(result, min, max);
        return option;
    }

    /// <summary>A number option in [<paramref name="min"/>, <paramref name="max"/>) with a default.</summary>
    public static Option<double> Fraction(string name, double min, double max, double defaultValue, string description)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return defaultValue;
            }

            var text = result.Tokens[0].Value;
            if (!TryParseNumber(text, out var v) || !(v >= min && v < max))
            {
                result.AddError($"{OptionName(result, name)} {Quote(text)} is not valid; expected a number from {Show(min)} up to (not including) {Show(max)}, e.g. 0.2");
                return defaultValue;
            }

            return v;
        };
        return option;
    }

    /// <summary>One or more numbers, each finite or <c>inf</c>, <c>-inf</c>, <c>+inf</c>, <c>Infinity</c>.</summary>
    public static Option<double[]> Numbers(string name, string description)
    {
        var option = new Option<double[]>(name) { Description = description, AllowMultipleArgumentsPerToken = true };
        option.CustomParser = result =>
        {
            var values = new List<double>();
            foreach (var token in result.Tokens)
            {
                foreach (var part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!TryParseNumber(part, out var v) || double.IsNaN(v))
                    {
                        result.AddError($"{OptionName(result, name)} {Quote(part)} is not a number; expected numbers such as 0.25, -3, 1e-5, inf or -inf");
                        return [];
                    }

                    values.Add(v);
                }
            }

            return [.. values];
        };
        return option;
    }

    /// <summary>A positive duration (<see cref="DurationForms"/>) of at most <see cref="MaxDuration"/>; null when not given.</summary>
    public static Option<TimeSpan?> Duration(string name, string description)
    {
        var option = new Option<TimeSpan?>(name) { Description = description };
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return null;
            }

            var text = result.Tokens[0].Value;
            if (TryParseDuration(text, out var value, out var problem))
            {
                return value;
            }

            result.AddError($"{OptionName(result, name)} {Quote(text)} {problem}");
            return null;
        };
        return option;
    }

    /// <summary>
    /// Parses <c>90</c>, <c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c> and sums such as <c>1h30m</c>; the
    /// sum is computed in seconds as a double, so no length can overflow.
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan value, out string problem)
    {
        value = TimeSpan.Zero;
        problem = $"is not a duration; write e.g. {DurationForms}";
        text = text.Trim();
        double seconds = 0;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            seconds = plain;
        }
        else
        {
            var i = 0;
            if (text.Length == 0)
            {
                return false;
            }

            while (i < text.Length)
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                if (start == i || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                {
                    return false;
                }

                var unitStart = i;
                while (i < text.Length && char.IsAsciiLetter(text[i]))
                {
                    i++;
                }

                double? unit = text[unitStart..i] switch
                {
                    "ms" => 0.001,
                    "s" => 1,
                    "m" => 60,
                    "h" => 3600,
                    "d" => 86400,
                    _ => null,
                };
                if (unit is not { } u)
                {
                    return false;
                }

                seconds += n * u;
            }
        }

        if (!double.IsFinite(seconds) || seconds > MaxDuration.TotalSeconds)
        {
            problem = $"is too long; the longest is {MaxDuration.TotalHours.ToString(CultureInfo.InvariantCulture)}h (about 11 years)";
            return false;
        }

        if (seconds <= 0)
        {
            problem = "must be longer than zero; write e.g. " + DurationForms;
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>A memory size such as <c>512MB</c>, <c>2GB</c> or <c>1.5GiB</c> (MB and GB are binary, as a working set is reported); null when not given.</summary>
    public static Option<long?> ByteSize(string name, string description) => WithUnit<long>(name, description,
        unit => unit.ToUpperInvariant() switch
        {
            "" or "B" => 1.0,
            "K" or "KB" or "KIB" => 1024.0,
            "M" or "MB" or "MIB" => 1048576.0,
            "G" or "GB" or "GIB" => 1073741824.0,
            "T" or "TB" or "TIB" => 1099511627776.0,
            _ => null,
        },
        bytes => bytes >= 1048576 && bytes < long.MaxValue ? (long)bytes : null,
        "is not a memory size of at least 1MB; write e.g. 512MB, 2GB or 1.5GiB");

    /// <summary>An amount of energy in watt-hours, written <c>5Wh</c>, <c>0.2kWh</c>, <c>3000J</c> or a plain number of Wh; null when not given.</summary>
    public static Option<double?> Energy(string name, string description) => WithUnit<double>(name, description,
        unit => unit.ToUpperInvariant() switch
        {
            "" or "WH" => 1.0,
            "KWH" => 1000.0,
            "J" => 1 / 3600.0,
            "KJ" => 1000 / 3600.0,
            _ => null,
        },
        wh => wh > 0 && double.IsFinite(wh) ? wh : null,
        "is not a positive amount of energy; write e.g. 5Wh, 0.2kWh or 3000J");

    /// <summary>A positive number followed by a unit; the unit's factor converts it, and <paramref name="accept"/> checks the result.</summary>
    private static Option<T?> WithUnit<T>(string name, string description, Func<string, double?> factor, Func<double, T?> accept, string problem)
        where T : struct
    {
        var option = new Option<T?>(name) { Description = description };
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return null;
            }

            var text = result.Tokens[0].Value;
            if (TryParseWithUnit(text, out var n, out var unit) && factor(unit) is { } f && accept(n * f) is { } value)
            {
                return value;
            }

            result.AddError($"{OptionName(result, name)} {Quote(text)} {problem}");
            return null;
        };
        return option;
    }

    private static bool TryParseWithUnit(string text, out double number, out string unit)
    {
        var t = text.Trim();
        var i = 0;
        while (i < t.Length && (char.IsAsciiDigit(t[i]) || t[i] == '.'))
        {
            i++;
        }

        unit = t[i..].Trim();
        return double.TryParse(t.AsSpan(0, i), NumberStyles.Float, CultureInfo.InvariantCulture, out number) && number > 0 && unit.All(char.IsAsciiLetter);
    }

    /// <summary>A number in invariant notation, or an infinity spelt <c>inf</c>, <c>+inf</c>, <c>-inf</c>, <c>Infinity</c>, <c>-Infinity</c>.</summary>
    public static bool TryParseNumber(string text, out double value)
    {
        var t = text.Trim();
        var lower = t.ToLowerInvariant();
        switch (lower)
        {
            case "inf" or "+inf" or "infinity" or "+infinity":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-infinity":
                value = double.NegativeInfinity;
                return true;
        }

        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static int? ParseWholeNumber(ArgumentResult result, int min, int max)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[0].Value;
        var range = FormattableString.Invariant($"a whole number from {min} to {max}");
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            if (v >= min && v <= max)
            {
                return v;
            }

            result.AddError($"{OptionName(result, null)} {text} is out of range; expected {range}");
            return null;
        }

        var why = BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? "is out of range" : "is not a whole number";
        result.AddError($"{OptionName(result, null)} {Quote(text)} {why}; expected {range}");
        return null;
    }

    /// <summary>The option as the user typed it (<c>-n</c> or <c>--trials</c>).</summary>
    private static string OptionName(ArgumentResult result, string? fallback) =>
        (result.Parent as OptionResult)?.IdentifierToken?.Value ?? fallback ?? result.Argument.Name;

    private static string Quote(string text) => text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+') ? text : $"\"{text}\"";

    private static string Show(double v) => v.ToString(CultureInfo.InvariantCulture);
}
