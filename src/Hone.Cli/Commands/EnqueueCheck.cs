using Hone.Cli.Output;
using Hone.Cli.Sweep;
using Hone.Distributions;

namespace Hone.Cli.Commands;

/// <summary>
/// Checks the parameters given to <c>hone enqueue</c> against the study's search space, so that a misspelt name
/// or a value out of range is refused instead of queued (where the trial would silently run with other values).
/// </summary>
internal static class EnqueueCheck
{
    /// <summary>What is wrong with each parameter (unknown name, wrong kind of value, out of range); empty when all fit.</summary>
    public static List<string> Problems(IReadOnlyDictionary<string, object?> values, IReadOnlyDictionary<string, Distribution> space)
    {
        var problems = new List<string>();
        foreach (var (name, value) in values)
        {
            if (!space.TryGetValue(name, out var distribution))
            {
                var nearest = KeySuggestions.Nearest(name, space.Keys);
                problems.Add($"\"{name}\" is not a parameter" + (nearest is null ? string.Empty : $" (did you mean \"{nearest}\"?)"));
                continue;
            }

            if (!Fits(distribution, value))
            {
                problems.Add($"\"{name}\" = {Show(value)} is not {Describe(distribution)}");
            }
        }

        return problems;
    }

    /// <summary>The known parameters with their ranges, for the message.</summary>
    public static string Describe(IReadOnlyDictionary<string, Distribution> space) =>
        string.Join(", ", space.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} ({Describe(p.Value)})"));

    private static bool Fits(Distribution distribution, object? value)
    {
        try
        {
            return distribution.Contains(distribution.ToInternal(value));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Describe(Distribution d) => d switch
    {
        FloatDistribution f => $"a number from {Formatting.Number(f.Low)} to {Formatting.Number(f.High)}" +
            (f.Step is { } s ? $" in steps of {Formatting.Number(s)}" : string.Empty) + (f.Log ? ", log scale" : string.Empty),
        IntDistribution i => FormattableString.Invariant($"a whole number from {i.Low} to {i.High}") + (i.Step != 1 ? FormattableString.Invariant($" in steps of {i.Step}") : string.Empty),
        CategoricalDistribution c => "one of " + string.Join(", ", c.Choices.Select(Show)),
        _ => "in the search space",
    };

    private static string Show(object? value) => value is string s ? $"\"{s}\"" : Formatting.Value(value);
}
