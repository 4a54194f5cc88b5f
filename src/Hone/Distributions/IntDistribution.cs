using System.Globalization;

namespace Hone.Distributions;

/// <summary>
/// An integer parameter in [<see cref="Low"/>, <see cref="High"/>] on a grid of <see cref="Step"/>,
/// optionally log-scaled (then the step must be 1).
/// </summary>
public sealed record IntDistribution : Distribution
{
    /// <summary>Creates the distribution; see <see cref="Problem"/> for the rules.</summary>
    /// <exception cref="ArgumentException">The bounds, log or step break a rule; the message says which.</exception>
    public IntDistribution(int low, int high, bool log = false, int step = 1)
    {
        var problem = Problem(low, high, log, step);
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }

        Low = low;
        High = high;
        Log = log;
        Step = step;
    }

    /// <summary>The smallest value.</summary>
    public int Low { get; }

    /// <summary>The largest value.</summary>
    public int High { get; }

    /// <summary>Whether values are sampled uniformly in log space.</summary>
    public bool Log { get; }

    /// <summary>The grid spacing from <see cref="Low"/>.</summary>
    public int Step { get; }

    /// <inheritdoc/>
    public override bool IsSingle => Low == High || (long)High - Low < Step;

    /// <summary>Says what is wrong with these arguments, or null if they make a valid distribution.</summary>
    public static string? Problem(int low, int high, bool log, int step)
    {
        if (low > high)
        {
            return $"low must not exceed high, got low={low} > high={high}.";
        }

        if (step <= 0)
        {
            return $"step must be a positive integer, got step={step}.";
        }

        if (log && step != 1)
        {
            return $"log=true cannot be combined with a step other than 1 (got step={step}); use one or the other.";
        }

        if (log && low < 1)
        {
            return $"log=true needs low >= 1, got low={low}.";
        }

        var span = (long)high - low;
        if (span % step != 0)
        {
            var below = low + (span / step * step);
            return $"step={step} does not divide the range [{low}, {high}]; " +
                   $"high would have to be {below} or {below + step}.";
        }

        return null;
    }

    /// <inheritdoc/>
    public override double ToInternal(object? externalValue) => externalValue switch
    {
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        double d when d == Math.Floor(d) => d,
        float f when f == MathF.Floor(f) => f,
        _ => throw new ArgumentException(
            $"{this} expects an integer, got {DistributionValues.Describe(externalValue)}.", nameof(externalValue)),
    };

    /// <inheritdoc/>
    public override object? ToExternal(double internalValue) => (int)Math.Round(internalValue);

    /// <inheritdoc/>
    public override bool Contains(double internalValue)
    {
        if (!(internalValue >= Low && internalValue <= High) || internalValue != Math.Floor(internalValue))
        {
            return false;
        }

        return ((long)internalValue - Low) % Step == 0;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"IntDistribution(low={Low}, high={High}, log={(Log ? "true" : "false")}, step={Step})");
}
