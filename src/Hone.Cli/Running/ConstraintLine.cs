using Hone.Trials;

namespace Hone.Cli.Running;

/// <summary>
/// The constraint protocol: a stdout line <c>hone:constraint name=&lt;name&gt; value=&lt;float&gt;</c> sets one constraint of
/// the trial (≤ 0 satisfied, &gt; 0 violated by that much), as <see cref="Trial.SetConstraint"/>; the last line for a name wins.
/// </summary>
internal static class ConstraintLine
{
    public const string Prefix = "hone:constraint";

    /// <summary>Whether the line is a constraint line at all (then <paramref name="error"/> says what is wrong with it, if anything).</summary>
    public static bool TryParse(string line, out string name, out double value, out string? error)
    {
        name = string.Empty;
        value = 0;
        error = null;
        var text = line.AsSpan().Trim();
        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || (text.Length > Prefix.Length && text[Prefix.Length] != ' '))
        {
            return false;
        }

        var haveValue = false;
        foreach (var part in text[Prefix.Length..].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var v = eq < 0 ? string.Empty : part[(eq + 1)..];
            if (key == "name")
            {
                name = v;
            }
            else if (key == "value")
            {
                haveValue = ResultReader.TryNumber(v, out value) && double.IsFinite(value);
            }
        }

        if (name.Length == 0 || !haveValue)
        {
            error = $"ignored \"{line.Trim()}\": expected \"hone:constraint name=<name> value=<finite number, ≤ 0 satisfied>\"";
        }

        return true;
    }
}
