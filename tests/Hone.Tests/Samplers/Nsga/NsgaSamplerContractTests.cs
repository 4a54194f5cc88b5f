using Hone.Samplers;
using Hone.Samplers.Nsga;

namespace Hone.Tests.Samplers.Nsga;

/// <remarks>A small population, so that the contract's studies of 40 to 200 trials go through several generations.</remarks>
public sealed class NsgaIISamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) => new NsgaIISampler(new NsgaIISamplerOptions { Seed = seed, PopulationSize = 8 });

    protected override int MinimumDistinctX => 25;
}

public sealed class NsgaIISamplerBlxContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) =>
        new NsgaIISampler(new NsgaIISamplerOptions { Seed = seed, PopulationSize = 8, Crossover = NsgaCrossover.BlxAlpha });

    protected override int MinimumDistinctX => 25;
}

public sealed class NsgaIIISamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) => new NsgaIIISampler(new NsgaIIISamplerOptions { Seed = seed, PopulationSize = 8 });

    protected override int MinimumDistinctX => 25;
}
