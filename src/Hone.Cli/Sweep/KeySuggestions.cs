namespace Hone.Cli.Sweep;

/// <summary>"Did you mean ...?": the valid name nearest to a misspelt one, by edit distance.</summary>
internal static class KeySuggestions
{
    /// <summary>The candidate nearest to <paramref name="word"/>, if it is near enough to be a likely typo.</summary>
    public static string? Nearest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Distance(word.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }

        // Accept up to a third of the word's length (at least 2 edits), like most "did you mean" helpers.
        return best is not null && bestDistance <= Math.Max(2, word.Length / 3) ? best : null;
    }

    /// <summary>The phrase to append to an "unknown name" error.</summary>
    public static string Hint(string word, IReadOnlyCollection<string> candidates)
    {
        var nearest = Nearest(word, candidates);
        var valid = string.Join(", ", candidates.Order(StringComparer.Ordinal));
        return nearest is null ? $"expected one of: {valid}" : $"did you mean \"{nearest}\"? (expected one of: {valid})";
    }

    /// <summary>Damerau–Levenshtein distance (optimal string alignment): a swap of neighbours is one edit.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
