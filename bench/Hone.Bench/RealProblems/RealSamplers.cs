using Hone.Bench.Cli;
using Hone.Bench.Samplers;
using Hone.Samplers;
using Hone.Samplers.Auto;

namespace Hone.Bench.RealProblems;

/// <summary>
/// The Hone samplers of the real-problem suite: those of <see cref="SamplerRegistry"/> plus "default", the sampler a
/// study gets when it names none (the AutoSampler, seeded), which is what issue 12 measures.
/// </summary>
internal static class RealSamplers
{
    public const string Default = "default";

    public static IReadOnlyList<string> Names => [Default, .. SamplerRegistry.Names];

    public static ISampler Create(string name, long seed) =>
        name == Default ? new AutoSampler(new AutoSamplerOptions { Seed = seed }) : SamplerRegistry.Create(name, seed);

    public static void ThrowIfUnknown(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (!Names.Contains(name))
            {
                throw new UsageException($"Unknown Hone sampler \"{name}\" in --samplers; available: {string.Join(", ", Names)}.");
            }
        }
    }
}
