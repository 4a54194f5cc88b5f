using Hone.Samplers;
using Hone.Samplers.Gp;

namespace Hone.Tests.Samplers.Gp;

/// <remarks>Fewer acquisition candidates than the default keep the 200-trial parallel contract quick in Debug builds; the behaviour checked does not depend on them.</remarks>
public sealed class GpSamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) => new GpSampler(new GpSamplerOptions { Seed = seed, Candidates = 512 });
}
