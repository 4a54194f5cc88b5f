using System.Text;

namespace Hone.Distributions;

/// <summary>
/// A parameter that takes one of a list of choices: strings, numbers, booleans or null. Its internal
/// value is the index of the choice.
/// </summary>
/// <remarks>
/// Choices compare by value, numbers across their .NET types (the int 1 and the long 1 are one choice). Building
/// the distribution, comparing two of them and finding a choice's index take time proportional to the number of
/// choices at most, so lists of hundreds of thousands of choices stay cheap to suggest from.
/// </remarks>
public sealed record CategoricalDistribution : Distribution
{
    private readonly object?[] _choices;
    private readonly ChoiceKey[] _keys;
    private readonly Dictionary<ChoiceKey, int> _index;
    private readonly int _hash;

    /// <summary>Creates the distribution; see <see cref="Problem"/> for the rules.</summary>
    /// <exception cref="ArgumentException">The choices are empty, repeated or of an unsupported type.</exception>
    public CategoricalDistribution(IEnumerable<object?> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var array = choices.ToArray();
        var problem = Analyze(array, out var keys, out var index);
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }

        _choices = array;
        _keys = keys!;
        _index = index!;
        var hash = new HashCode();
        foreach (var key in _keys)
        {
            hash.Add(key);
        }

        _hash = hash.ToHashCode();
    }

    /// <summary>The choices, in the order the user gave them.</summary>
    public IReadOnlyList<object?> Choices => _choices;

    /// <inheritdoc/>
    public override bool IsSingle => _choices.Length == 1;

    /// <summary>Says what is wrong with these choices, or null if they make a valid distribution.</summary>
    public static string? Problem(IReadOnlyList<object?> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return Analyze(choices, out _, out _);
    }

    /// <summary>The index of a choice, or -1 when it is not one.</summary>
    public int IndexOf(object? choice) =>
        DistributionValues.IsSupportedChoice(choice) && _index.TryGetValue(ChoiceKey.Of(choice), out var i) ? i : -1;

    /// <inheritdoc/>
    public override double ToInternal(object? externalValue)
    {
        var index = IndexOf(externalValue);
        return index >= 0
            ? index
            : throw new ArgumentException(
                $"{DistributionValues.Describe(externalValue)} is not one of the {_choices.Length} choices of {Shorten(this)}.", nameof(externalValue));
    }

    /// <inheritdoc/>
    public override object? ToExternal(double internalValue)
    {
        var index = double.IsFinite(internalValue) ? Math.Round(internalValue) : -1;
        return index >= 0 && index < _choices.Length
            ? _choices[(int)index]
            : throw new ArgumentOutOfRangeException(nameof(internalValue), internalValue,
                $"Index {internalValue} is outside the {_choices.Length} choices of {Shorten(this)}.");
    }

    /// <inheritdoc/>
    public override bool Contains(double internalValue) =>
        internalValue >= 0 && internalValue < _choices.Length && internalValue == Math.Floor(internalValue);

    /// <inheritdoc/>
    public bool Equals(CategoricalDistribution? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null && other._hash == _hash && _keys.AsSpan().SequenceEqual(other._keys);
    }

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder("CategoricalDistribution(choices=[");
        for (var i = 0; i < _choices.Length; i++)
        {
            sb.Append(i == 0 ? string.Empty : ", ").Append(DistributionValues.Describe(_choices[i]));
        }

        return sb.Append("])").ToString();
    }

    /// <summary>The distribution for a message: every choice when there are few, the first ones and a count otherwise.</summary>
    private static string Shorten(CategoricalDistribution c)
    {
        const int Shown = 20;
        if (c._choices.Length <= Shown)
        {
            return c.ToString();
        }

        var sb = new StringBuilder("CategoricalDistribution(choices=[");
        for (var i = 0; i < Shown; i++)
        {
            sb.Append(i == 0 ? string.Empty : ", ").Append(DistributionValues.Describe(c._choices[i]));
        }

        return sb.Append(", ... ").Append(c._choices.Length - Shown).Append(" more])").ToString();
    }

    /// <summary>Checks the choices in one pass, hashing each, and keeps the keys and the index for the distribution.</summary>
    private static string? Analyze(IReadOnlyList<object?> choices, out ChoiceKey[]? keys, out Dictionary<ChoiceKey, int>? index)
    {
        keys = null;
        index = null;
        if (choices.Count == 0)
        {
            return "choices must not be empty.";
        }

        var k = new ChoiceKey[choices.Count];
        var seen = new Dictionary<ChoiceKey, int>(choices.Count);
        for (var i = 0; i < choices.Count; i++)
        {
            if (!DistributionValues.IsSupportedChoice(choices[i]))
            {
                return $"choice #{i} is {DistributionValues.Describe(choices[i])}; choices must be strings, numbers, booleans or null.";
            }

            k[i] = ChoiceKey.Of(choices[i]);
            if (!seen.TryAdd(k[i], i))
            {
                return $"choices must be distinct, but {DistributionValues.Describe(choices[i])} appears at #{seen[k[i]]} and #{i}.";
            }
        }

        keys = k;
        index = seen;
        return null;
    }
}
