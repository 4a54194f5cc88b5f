using Hone.Bench.Cli;
using Hone.Samplers;
using Hone.Samplers.Auto;
using Hone.Samplers.CmaEs;
using Hone.Samplers.Nsga;
using Hone.Samplers.Qmc;
using Hone.Samplers.Tpe;

namespace Hone.Bench.Samplers;

/// <summary>
/// The Hone samplers the bench can run, by the name used on the command line and in result files. The
/// names match those of bench/optuna/suite.py where the algorithm is the same, so <c>compare</c> can pair
/// them. Adding a sampler is one line.
/// </summary>
internal static class SamplerRegistry
{
    private static readonly Dictionary<string, Func<long, ISampler>> Factories = new(StringComparer.Ordinal)
    {
        ["random"] = seed => new RandomSampler(seed),

        // Optuna's TPESampler() default is univariate; Hone's TpeSamplerOptions default is multivariate.
        ["tpe"] = seed => new TpeSampler(new TpeSamplerOptions { Seed = seed, Multivariate = false }),
        ["tpe-multivariate"] = seed => new TpeSampler(new TpeSamplerOptions { Seed = seed, Multivariate = true }),
        ["tpe-multivariate-group"] = seed => new TpeSampler(new TpeSamplerOptions { Seed = seed, Multivariate = true, Group = true }),
        ["qmc"] = seed => new QmcSampler(new QmcSamplerOptions { Seed = seed, Scramble = true }),
        ["cmaes"] = seed => new CmaEsSampler(new CmaEsSamplerOptions { Seed = seed }),
        ["gp"] = seed => new Hone.Samplers.Gp.GpSampler(new Hone.Samplers.Gp.GpSamplerOptions { Seed = seed }),
        ["auto"] = seed => new AutoSampler(new AutoSamplerOptions { Seed = seed }),

        // Optuna's NSGAIISampler defaults to uniform crossover; "nsga2" is Hone's default (SBX), "nsga2-uniform" Optuna's operator.
        ["nsga2"] = seed => new NsgaIISampler(new NsgaIISamplerOptions { Seed = seed }),
        ["nsga2-uniform"] = seed => new NsgaIISampler(new NsgaIISamplerOptions { Seed = seed, Crossover = NsgaCrossover.Uniform }),
        ["nsga3"] = seed => new NsgaIIISampler(new NsgaIIISamplerOptions { Seed = seed }),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static ISampler Create(string name, long seed) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(seed)
            : throw new UsageException($"Unknown Hone sampler \"{name}\"; available: {string.Join(", ", Factories.Keys)}.");

    public static void ThrowIfUnknown(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (!Factories.ContainsKey(name))
            {
                throw new UsageException($"Unknown Hone sampler \"{name}\"; available: {string.Join(", ", Factories.Keys)}.");
            }
        }
    }
}
