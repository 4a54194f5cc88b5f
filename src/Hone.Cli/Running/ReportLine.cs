using System.Globalization;

namespace Hone.Cli.Running;

/// <summary>The intermediate-value protocol: a stdout line <c>hone:report step=&lt;int&gt; value=&lt;float&gt;</c>.</summary>
internal static class ReportLine
{
    public const string Prefix = "hone:report";

    /// <summary>Whether the line is a report line at all (then <paramref name="error"/> says what is wrong with it, if anything).</summary>
    public static bool TryParse(string line, out int step, out double value, out string? error)
    {
        step = 0;
        value = 0;
        error = null;
        var text = line.AsSpan().Trim();
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        bool haveStep = false, haveValue = false;
        foreach (var part in text[Prefix.Length..].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var v = eq < 0 ? string.Empty : part[(eq + 1)..];
            if (key == "step")
            {
                haveStep = int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out step) && step >= 0;
            }
            else if (key == "value")
            {
                haveValue = ResultReader.TryNumber(v, out value) && !double.IsNaN(value);
            }
        }

        if (!haveStep || !haveValue)
        {
            error = $"ignored \"{line.Trim()}\": expected \"hone:report step=<integer ≥ 0> value=<number>\"";
        }

        return true;
    }
}
