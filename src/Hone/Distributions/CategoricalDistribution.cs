using System.Text;

namespace Hone.Distributions;

/// <summary>
/// A parameter that takes one of a list of choices: strings, numbers, booleans or null. Its internal
/// value is the index of the choice.
/// </summary>
public sealed record CategoricalDistribution : Distribution
{
    private readonly object?[] _choices;

    /// <summary>Creates the distribution; see <see cref="Problem"/> for the rules.</summary>
    /// <exception cref="ArgumentException">The choices are empty, repeated or of an unsupported type.</exception>
    public CategoricalDistribution(IEnumerable<object?> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var array = choices.ToArray();
        var problem = Problem(array);
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }

        _choices = array;
    }

    /// <summary>The choices, in the order the user gave them.</summary>
    public IReadOnlyList<object?> Choices => _choices;

    /// <inheritdoc/>
    public override bool IsSingle => _choices.Length == 1;

    /// <summary>Says what is wrong with these choices, or null if they make a valid distribution.</summary>
    public static string? Problem(IReadOnlyList<object?> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (choices.Count == 0)
        {
            return "choices must not be empty.";
        }

        for (var i = 0; i < choices.Count; i++)
        {
            if (!DistributionValues.IsSupportedChoice(choices[i]))
            {
                return $"choice #{i} is {DistributionValues.Describe(choices[i])}; choices must be strings, numbers, booleans or null.";
            }

            for (var j = 0; j < i; j++)
            {
                if (DistributionValues.ChoiceEquals(choices[i], choices[j]))
                {
                    return $"choices must be distinct, but {DistributionValues.Describe(choices[i])} appears at #{j} and #{i}.";
                }
            }
        }

        return null;
    }

    /// <summary>The index of a choice, or -1 when it is not one.</summary>
    public int IndexOf(object? choice)
    {
        for (var i = 0; i < _choices.Length; i++)
        {
            if (DistributionValues.ChoiceEquals(_choices[i], choice))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc/>
    public override double ToInternal(object? externalValue)
    {
        var index = IndexOf(externalValue);
        return index >= 0
            ? index
            : throw new ArgumentException(
                $"{DistributionValues.Describe(externalValue)} is not one of the choices of {this}.", nameof(externalValue));
    }

    /// <inheritdoc/>
    public override object? ToExternal(double internalValue)
    {
        var index = (int)Math.Round(internalValue);
        return index >= 0 && index < _choices.Length
            ? _choices[index]
            : throw new ArgumentOutOfRangeException(nameof(internalValue), internalValue,
                $"Index {internalValue} is outside the {_choices.Length} choices of {this}.");
    }

    /// <inheritdoc/>
    public override bool Contains(double internalValue) =>
        internalValue >= 0 && internalValue < _choices.Length && internalValue == Math.Floor(internalValue);

    /// <inheritdoc/>
    public bool Equals(CategoricalDistribution? other)
    {
        if (other is null || other._choices.Length != _choices.Length)
        {
            return false;
        }

        for (var i = 0; i < _choices.Length; i++)
        {
            if (!DistributionValues.ChoiceEquals(_choices[i], other._choices[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var c in _choices)
        {
            hash.Add(DistributionValues.ChoiceHash(c));
        }

        return hash.ToHashCode();
    }

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
}
