using System.Text.Json;
using Hone.Distributions;

namespace Hone.Trials;

/// <summary>
/// A trial that answers every suggestion from fixed values, so an objective can be called in a unit test
/// (or re-run with the best parameters) without a study.
/// </summary>
/// <example><code>var loss = Objective(new FixedTrial(new Dictionary&lt;string, object?&gt; { ["x"] = 2.0 }));</code></example>
public sealed class FixedTrial : Trial
{
    private readonly IReadOnlyDictionary<string, object?> _fixed;
    private readonly Dictionary<string, object?> _params = [];
    private readonly Dictionary<string, Distribution> _distributions = [];
    private readonly Dictionary<string, JsonElement> _userAttrs = [];
    private readonly Dictionary<int, IReadOnlyList<double>> _vectors = [];
    private readonly SortedDictionary<int, double> _intermediate = [];

    /// <summary>Creates a trial that answers from <paramref name="parameters"/>.</summary>
    public FixedTrial(IReadOnlyDictionary<string, object?> parameters, int number = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _fixed = parameters;
        Number = number;
    }

    /// <inheritdoc/>
    public override int Number { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> Params => _params;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Distribution> Distributions => _distributions;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, JsonElement> UserAttrs => _userAttrs;

    /// <summary>The values reported so far, by step.</summary>
    public IReadOnlyDictionary<int, double> IntermediateValues => _intermediate;

    /// <inheritdoc/>
    public override void Report(double value, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        _intermediate[step] = value;
    }

    /// <inheritdoc/>
    /// <remarks>A fixed trial has no study: the vector is kept in <see cref="IntermediateVectors"/>, whatever its length.</remarks>
    public override void Report(IReadOnlyList<double> values, int step)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        _vectors.TryAdd(step, [.. values]);
    }

    /// <summary>The vectors reported with <see cref="Report(IReadOnlyList{double}, int)"/>, by step.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<double>> IntermediateVectors => _vectors;

    /// <summary>Always false: a fixed trial is never pruned.</summary>
    public override bool ShouldPrune() => false;

    /// <inheritdoc/>
    public override void SetUserAttr(string key, object? value) => _userAttrs[key] = AttributeValue.From(key, value);

    private protected override double Suggest(string name, Distribution distribution)
    {
        if (_distributions.TryGetValue(name, out var earlier))
        {
            if (earlier != distribution)
            {
                throw Conflict(name, earlier, distribution);
            }

            return earlier.ToInternal(_params[name]);
        }

        if (!_fixed.TryGetValue(name, out var value))
        {
            throw new ArgumentException(
                $"FixedTrial has no value for parameter \"{name}\"; it has: {string.Join(", ", _fixed.Keys)}.", nameof(name));
        }

        double x;
        try
        {
            x = distribution.ToInternal(value);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"FixedTrial value for parameter \"{name}\" does not fit: {e.Message}", nameof(name), e);
        }

        if (!distribution.Contains(x))
        {
            throw new ArgumentException($"FixedTrial value {value} for parameter \"{name}\" is outside {distribution}.", nameof(name));
        }

        _params[name] = distribution.ToExternal(x);
        _distributions[name] = distribution;
        return x;
    }
}
