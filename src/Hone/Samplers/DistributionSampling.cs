using Hone.Distributions;

namespace Hone.Samplers;

/// <summary>
/// Maps a point of the unit interval onto a distribution, the way every sampler that thinks in [0, 1)
/// (random, quasi-random) needs: log-scaled ranges in log space, integer and stepped ranges padded by
/// half a step so that the end points are as likely as any other value, categoricals by index.
/// </summary>
public static class DistributionSampling
{
    /// <summary>The internal value at <paramref name="u"/> ∈ [0, 1) of the distribution.</summary>
    public static double FromUnit(Distribution distribution, double u)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        switch (distribution)
        {
            case FloatDistribution f when f.Log:
            {
                var lo = Math.Log(f.Low);
                var hi = Math.Log(f.High);
                return Math.Clamp(Math.Exp(lo + (u * (hi - lo))), f.Low, f.High);
            }

            case FloatDistribution { Step: { } step } f:
            {
                var count = (long)Math.Round((f.High - f.Low) / step) + 1;
                var k = Math.Min(count - 1, (long)(u * count));
                return Math.Min(f.High, f.Low + (k * step));
            }

            case FloatDistribution f:
                return Math.Clamp(f.Low + (u * (f.High - f.Low)), f.Low, f.High);
            case IntDistribution i when i.Log:
            {
                var lo = Math.Log(i.Low - 0.5);
                var hi = Math.Log(i.High + 0.5);
                var v = Math.Round(Math.Exp(lo + (u * (hi - lo))));
                return Math.Clamp(v, i.Low, i.High);
            }

            case IntDistribution i:
            {
                var count = (((long)i.High - i.Low) / i.Step) + 1;
                var k = Math.Min(count - 1, (long)(u * count));
                return i.Low + (k * (double)i.Step);
            }

            case CategoricalDistribution c:
                return Math.Min(c.Choices.Count - 1, (int)(u * c.Choices.Count));
            default:
                throw new ArgumentException($"Unknown distribution {distribution}.", nameof(distribution));
        }
    }

    /// <summary>
    /// The number of distinct values of a finite distribution (stepped float, int, categorical),
    /// or null for a continuous one.
    /// </summary>
    public static long? Cardinality(Distribution distribution) => distribution switch
    {
        FloatDistribution { Step: { } step } f => (long)Math.Round((f.High - f.Low) / step) + 1,
        FloatDistribution f => f.Low == f.High ? 1 : null,
        IntDistribution i => (((long)i.High - i.Low) / i.Step) + 1,
        CategoricalDistribution c => c.Choices.Count,
        _ => null,
    };

    /// <summary>The k-th value (internal) of a finite distribution, k from 0.</summary>
    public static double NthValue(Distribution distribution, long k) => distribution switch
    {
        FloatDistribution { Step: { } step } f => Math.Min(f.High, f.Low + (k * step)),
        FloatDistribution f => f.Low,
        IntDistribution i => i.Low + (k * (double)i.Step),
        CategoricalDistribution => k,
        _ => throw new ArgumentException($"Unknown distribution {distribution}.", nameof(distribution)),
    };

    /// <summary>The smallest value (internal) of a distribution: what a single-valued distribution always yields.</summary>
    internal static double NthValueOrLow(Distribution distribution) => distribution switch
    {
        FloatDistribution f => f.Low,
        IntDistribution i => i.Low,
        _ => 0,
    };
}
