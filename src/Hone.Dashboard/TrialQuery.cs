using System.Globalization;
using Hone.Trials;

namespace Hone.Dashboard;

/// <summary>
/// A page of the trial table: filtered by state and by text (a substring of "name=value" of any parameter or user
/// attribute, or "#N" for trial N), sorted by a column, then cut to one page. Runs on the server so the browser only
/// ever receives one page, however many trials the study has.
/// </summary>
internal sealed record TrialQuery(int Page, int Size, string Sort, bool Descending, TrialState? State, string? Text)
{
    public const int MaxSize = 500;

    /// <summary>The same filter and order on another page.</summary>
    public bool SameOrder(TrialQuery other) => Sort == other.Sort && Descending == other.Descending && State == other.State && Text == other.Text;

    /// <summary>The filtered, sorted trials (every page); <see cref="Cut"/> takes this query's page of them.</summary>
    public IReadOnlyList<FrozenTrial> Order(IReadOnlyList<FrozenTrial> trials)
    {
        IEnumerable<FrozenTrial> rows = trials;
        if (State is { } state)
        {
            rows = rows.Where(t => t.State == state);
        }

        if (!string.IsNullOrWhiteSpace(Text))
        {
            var text = Text.Trim();
            rows = rows.Where(t => Matches(t, text));
        }

        var filtered = rows as IReadOnlyList<FrozenTrial> ?? [.. rows];
        IEnumerable<FrozenTrial> sorted = Sort switch
        {
            "number" => Descending ? [.. filtered.Reverse()] : filtered,
            "state" => Order(filtered, t => (int)t.State),
            "value" => Order(filtered, t => t.Values is { Count: > 0 } v ? v[0] : (double?)null),
            "duration" => Order(filtered, t => t.Duration?.TotalSeconds),
            _ when Sort.StartsWith("param:", StringComparison.Ordinal) => Order(filtered, t => t.InternalParams.TryGetValue(Sort[6..], out var x) ? x : (double?)null),
            _ when Sort.StartsWith("value:", StringComparison.Ordinal) && int.TryParse(Sort[6..], CultureInfo.InvariantCulture, out var i) =>
                Order(filtered, t => t.Values is { } v && v.Count > i ? v[i] : (double?)null),
            _ => filtered,
        };
        return sorted as IReadOnlyList<FrozenTrial> ?? [.. sorted];
    }

    public List<FrozenTrial> Cut(IReadOnlyList<FrozenTrial> ordered) => [.. ordered.Skip(Page * Size).Take(Size)];

    /// <summary>Trials without the key go last in either direction.</summary>
    private IEnumerable<FrozenTrial> Order(IReadOnlyList<FrozenTrial> trials, Func<FrozenTrial, double?> key)
    {
        var keyed = trials.Select(t => (Trial: t, Key: key(t))).ToList();
        var present = keyed.Where(p => p.Key is { } k && !double.IsNaN(k));
        var ordered = Descending ? present.OrderByDescending(p => p.Key).ThenBy(p => p.Trial.Number) : present.OrderBy(p => p.Key).ThenBy(p => p.Trial.Number);
        return ordered.Concat(keyed.Where(p => p.Key is not { } k || double.IsNaN(k))).Select(p => p.Trial);
    }

    private static bool Matches(FrozenTrial t, string text)
    {
        if (text.StartsWith('#'))
        {
            return t.Number.ToString(CultureInfo.InvariantCulture) == text[1..];
        }

        foreach (var (name, value) in t.Params)
        {
            if ($"{name}={Convert.ToString(value, CultureInfo.InvariantCulture)}".Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var (name, value) in t.UserAttrs)
        {
            if ($"{name}={value.GetRawText().Trim('"')}".Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
