using System.Globalization;

namespace Hone.Distributions;

/// <summary>Rules shared by the distributions about which values are choices and when two are equal.</summary>
internal static class DistributionValues
{
    public static bool IsSupportedChoice(object? value) => value is null or string or bool || IsNumber(value);

    public static bool IsNumber(object? value) =>
        value is double or float or int or long or short or byte or sbyte or uint or ulong or ushort or decimal;

    /// <summary>
    /// Choices compare by value, and numbers compare across types, so that a choice of 1 read back
    /// from JSON as a long still matches the int 1 the user passed.
    /// </summary>
    public static bool ChoiceEquals(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return ToDouble(a).Equals(ToDouble(b));
        }

        return a.Equals(b);
    }

    public static int ChoiceHash(object? value) => value switch
    {
        null => 0,
        _ when IsNumber(value) => ToDouble(value).GetHashCode(),
        _ => value.GetHashCode(),
    };

    /// <summary>A number choice as the double it compares as (see <see cref="IsNumber"/>).</summary>
    public static double ToDouble(object value) => value switch
    {
        double d => d,
        int i => i,
        long l => l,
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };

    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture) + (IsNumber(value) ? string.Empty : $" ({value.GetType().Name})"),
        _ => $"a {value.GetType().Name}",
    };
}
