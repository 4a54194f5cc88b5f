using System.Globalization;

namespace Hone.Cli.Sweep;

/// <summary>
/// Durations as users write them: <c>90</c> (seconds), <c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>, or
/// parts added up (<c>1h30m</c>). Values are checked against <see cref="Max"/> before any arithmetic that could
/// overflow, so <c>99999999999999h</c> is an error that says the limit, not an overflow.
/// </summary>
internal static class DurationText
{
    /// <summary>
    /// The longest duration accepted: 24 days, just under the longest timer .NET can set (2^31 - 1 milliseconds),
    /// so that any duration read here can be used as a trial timeout or grace period.
    /// </summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(24);

    /// <summary>The forms, for messages.</summary>
    public const string Forms = "90 (seconds), 500ms, 30s, 10m, 2h, 1d or 1h30m";

    /// <summary>The limit, for messages.</summary>
    public const string MaxText = "24d (576h)";

    /// <summary>Parses a duration of zero up to <see cref="Max"/>; false on bad syntax, a negative value or one above the limit.</summary>
    public static bool TryParse(string? text, out TimeSpan value) => Problem(text, out value) is null;

    /// <summary>Parses a duration; returns null and the value, or what is wrong (without saying where: the caller knows).</summary>
    public static string? Problem(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return $"is empty; write a duration such as {Forms}";
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            return FromSeconds(plain, out value);
        }

        var seconds = 0.0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                return $"is not a duration; write e.g. {Forms}";
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            var unit = text.AsSpan(unitStart, i - unitStart) switch
            {
                "ms" => 0.001,
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                "d" => 86400,
                _ => 0.0,
            };
            if (unit == 0)
            {
                return $"has an unknown unit \"{text[unitStart..i]}\"; write e.g. {Forms} (units ms, s, m, h, d)";
            }

            seconds += n * unit;
            if (!(seconds <= Max.TotalSeconds))
            {
                return $"is longer than the maximum of {MaxText}";
            }
        }

        return FromSeconds(seconds, out value);
    }

    private static string? FromSeconds(double seconds, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (double.IsNaN(seconds))
        {
            return $"is not a duration; write e.g. {Forms}";
        }

        if (seconds < 0)
        {
            return $"must not be negative; write e.g. {Forms}";
        }

        if (!(seconds <= Max.TotalSeconds))
        {
            return $"is longer than the maximum of {MaxText}";
        }

        value = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        return null;
    }
}
