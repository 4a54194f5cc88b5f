using System.Globalization;

namespace Hone.Distributions;

/// <summary>
/// A real-valued parameter in [<see cref="Low"/>, <see cref="High"/>], optionally log-scaled or on a grid of
/// <see cref="Step"/> (but not both).
/// </summary>
/// <remarks>
/// Bounds must be finite and high - low must be a finite double (so [-1e308, 1e308] is refused), and with a step
/// also high - low + step, and the range may hold at most <see cref="MaxSteps"/> steps: within those limits every
/// sampler maps its draws to values that lie in the distribution.
/// </remarks>
public sealed record FloatDistribution : Distribution
{
    /// <summary>Creates the distribution; see <see cref="Problem"/> for the rules.</summary>
    /// <exception cref="ArgumentException">The bounds, log or step break a rule; the message says which.</exception>
    public FloatDistribution(double low, double high, bool log = false, double? step = null)
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
    public double Low { get; }

    /// <summary>The largest value.</summary>
    public double High { get; }

    /// <summary>Whether values are sampled uniformly in log space.</summary>
    public bool Log { get; }

    /// <summary>The grid spacing from <see cref="Low"/>, or null for a continuous range.</summary>
    public double? Step { get; }

    /// <summary>The most steps a stepped range may have: 2^53, beyond which low + k·step can no longer reach every k.</summary>
    public const double MaxSteps = 9007199254740992;

    /// <inheritdoc/>
    public override bool IsSingle => Low == High || (Step is { } s && High - Low < s);

    /// <summary>Says what is wrong with these arguments, or null if they make a valid distribution.</summary>
    public static string? Problem(double low, double high, bool log, double? step)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high))
        {
            return $"low and high must be finite numbers, got low={Show(low)}, high={Show(high)}.";
        }

        if (low > high)
        {
            return $"low must not exceed high, got low={Show(low)} > high={Show(high)}.";
        }

        if (!double.IsFinite(high - low))
        {
            return $"the range [{Show(low)}, {Show(high)}] is too wide: high - low must be at most {Show(double.MaxValue)} (the largest double).";
        }

        if (log && step is not null)
        {
            return $"log=true cannot be combined with a step (got step={Show(step.Value)}); use one or the other.";
        }

        if (log && low <= 0)
        {
            return $"log=true needs low > 0, got low={Show(low)}.";
        }

        if (step is { } s)
        {
            if (!double.IsFinite(s) || s <= 0)
            {
                return $"step must be a positive finite number, got step={Show(s)}.";
            }

            if (!double.IsFinite(high - low + s))
            {
                return $"step={Show(s)} is too large for the range [{Show(low)}, {Show(high)}]: high - low + step must be at most {Show(double.MaxValue)}.";
            }

            var n = (high - low) / s;
            if (n > MaxSteps)
            {
                return $"step={Show(s)} makes {Show(Math.Floor(n))} steps in the range [{Show(low)}, {Show(high)}]; " +
                       $"at most 2^53 (9007199254740992) steps are allowed (so that every grid point is exact); use a larger step or no step.";
            }

            var rounded = Math.Round(n);
            if (Math.Abs(n - rounded) > 1e-8 * Math.Max(1, Math.Abs(n)) || !OnGrid(high, low, s))
            {
                var below = low + (Math.Floor(n) * s);
                var above = low + (Math.Ceiling(n) * s);
                if (below == above)
                {
                    above = low + ((Math.Floor(n) + 1) * s);
                }

                return $"step={Show(s)} does not divide the range [{Show(low)}, {Show(high)}]; " +
                       $"high would have to be {Nice(below)} or {Nice(above)}.";
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public override double ToInternal(object? externalValue) => externalValue switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        decimal m => (double)m,
        _ => throw new ArgumentException(
            $"{this} expects a number, got {DistributionValues.Describe(externalValue)}.", nameof(externalValue)),
    };

    /// <inheritdoc/>
    public override object? ToExternal(double internalValue) => internalValue;

    /// <inheritdoc/>
    public override bool Contains(double internalValue)
    {
        if (!(internalValue >= Low && internalValue <= High))
        {
            return false;
        }

        if (Step is not { } s)
        {
            return true;
        }

        return OnGrid(internalValue, Low, s);
    }

    /// <summary>Whether <paramref name="x"/> is low + k·step for a whole k, up to float noise relative to x.</summary>
    private static bool OnGrid(double x, double low, double step)
    {
        var k = Math.Round((x - low) / step);
        return Math.Abs(x - (low + (k * step))) <= 1e-8 * Math.Max(1, Math.Abs(x));
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"FloatDistribution(low={Show(Low)}, high={Show(High)}, log={(Log ? "true" : "false")}, step={(Step is { } s ? Show(s) : "null")})";

    private static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A computed bound without the float noise of low + k·step (0.8999999999999999 shows as 0.9).</summary>
    private static string Nice(double v) => v.ToString("G12", CultureInfo.InvariantCulture);
}
