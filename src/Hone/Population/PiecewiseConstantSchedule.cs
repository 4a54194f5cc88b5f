using System.Text.Json;

namespace Hone.Population;

/// <summary>
/// A value that changes at given steps and holds in between: what population-based training finds (one value per
/// segment of the best member's lineage, <see cref="PbtLineage"/>), replayed as a fixed schedule.
/// </summary>
public sealed record PiecewiseConstantSchedule : Schedule
{
    private readonly int[] _steps;
    private readonly double[] _values;

    /// <summary>Creates the schedule: <paramref name="values"/>[i] holds from <paramref name="steps"/>[i] up to the next step.</summary>
    /// <param name="steps">Increasing steps; the first must be 0.</param>
    /// <param name="values">One finite value per step.</param>
    /// <exception cref="ArgumentException">The lists differ in length, are empty, the steps do not start at 0 or do not increase.</exception>
    public PiecewiseConstantSchedule(IReadOnlyList<int> steps, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(values);
        if (steps.Count == 0 || steps.Count != values.Count)
        {
            throw new ArgumentException($"A piecewise-constant schedule needs one value per step; got {steps.Count} steps and {values.Count} values.", nameof(values));
        }

        if (steps[0] != 0)
        {
            throw new ArgumentException($"A piecewise-constant schedule starts at step 0; the first step is {steps[0]}.", nameof(steps));
        }

        for (var i = 1; i < steps.Count; i++)
        {
            if (steps[i] <= steps[i - 1])
            {
                throw new ArgumentException($"The steps of a piecewise-constant schedule must increase; step {steps[i]} follows {steps[i - 1]}.", nameof(steps));
            }
        }

        _steps = [.. steps];
        _values = [.. values];
    }

    /// <summary>The steps where the value changes, from 0.</summary>
    public IReadOnlyList<int> Steps => _steps;

    /// <summary>The value from each step on.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <inheritdoc/>
    public override double ValueAt(int step)
    {
        var i = Array.BinarySearch(_steps, step);
        return _values[Math.Max(0, i >= 0 ? i : ~i - 1)];
    }

    /// <inheritdoc/>
    public override JsonElement ToJson() => Json(new Dictionary<string, object> { ["kind"] = "piecewise_constant", ["steps"] = _steps, ["values"] = _values });

    /// <inheritdoc/>
    public bool Equals(PiecewiseConstantSchedule? other) =>
        other is not null && _steps.AsSpan().SequenceEqual(other._steps) && _values.AsSpan().SequenceEqual(other._values);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_steps.Length, _values.Length == 0 ? 0 : _values[^1]);
}
