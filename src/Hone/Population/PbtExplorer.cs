using Hone.Distributions;
using Hone.Samplers;

namespace Hone.Population;

/// <summary>
/// PBT's explore step (Jaderberg et al. 2017, §3.1 "perturb" and "resample"): each hyperparameter is drawn afresh with
/// the resample probability, else a number is multiplied by a perturb factor and a categorical moves to a neighbouring
/// choice. Results always lie in the distribution (clipped to the bounds, on the step grid, an integer).
/// </summary>
internal static class PbtExplorer
{
    /// <summary>New internal values for the parameters of a donor.</summary>
    public static Dictionary<string, double> Explore(
        IReadOnlyDictionary<string, double> internalParams, IReadOnlyDictionary<string, Distribution> distributions, PbtOptions options, Random rng)
    {
        var result = new Dictionary<string, double>(internalParams);
        foreach (var (name, x) in internalParams)
        {
            if (options.Mutations is { } only && !only.Contains(name))
            {
                continue;
            }

            var distribution = distributions[name];
            if (distribution.IsSingle)
            {
                continue;
            }

            result[name] = rng.NextDouble() < options.ResampleProbability
                ? DistributionSampling.FromUnit(distribution, rng.NextDouble())
                : Perturb(distribution, x, options.PerturbFactors[rng.Next(options.PerturbFactors.Count)], rng);
        }

        return result;
    }

    public static double Perturb(Distribution distribution, double x, double factor, Random rng) => distribution switch
    {
        FloatDistribution f => PerturbFloat(f, x, factor),
        IntDistribution i => PerturbInt(i, x, factor),
        CategoricalDistribution c => Math.Clamp(x + (rng.Next(2) == 0 ? -1 : 1), 0, c.Choices.Count - 1),
        _ => x,
    };

    private static double PerturbFloat(FloatDistribution f, double x, double factor)
    {
        var y = Math.Clamp(x * factor, f.Low, f.High);
        if (f.Step is { } step)
        {
            var k = Math.Round((y - f.Low) / step);
            y = Math.Clamp(f.Low + (k * step), f.Low, f.High);
        }

        return y;
    }

    /// <summary>Integers move by at least one step in the factor's direction, so a small value is not stuck by rounding.</summary>
    private static double PerturbInt(IntDistribution d, double x, double factor)
    {
        var target = x * factor;
        var k = Math.Round((target - d.Low) / d.Step);
        var y = d.Low + (k * d.Step);
        if (y == x && factor != 1)
        {
            y = x + (factor > 1 ? d.Step : -d.Step);
        }

        var top = d.Low + (Math.Floor((double)((long)d.High - d.Low) / d.Step) * d.Step);
        return Math.Clamp(y, d.Low, top);
    }
}
