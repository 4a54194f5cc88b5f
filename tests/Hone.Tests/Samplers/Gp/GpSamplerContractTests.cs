using Hone.Samplers;
using Hone.Samplers.Gp;

namespace Hone.Tests.Samplers.Gp;

public sealed class GpSamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) => new GpSampler(new GpSamplerOptions { Seed = seed });
}
