using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers;

/// <summary>
/// Draws every parameter independently and uniformly (in log space for log-scaled ranges). The baseline
/// every other sampler must beat, and the startup phase of the model-based ones.
/// </summary>
/// <remarks>
/// Each draw depends only on the seed, the trial's number and the parameter's name, so a seeded study is
/// reproducible, and with parallel workers trial k draws the same values whichever worker runs it.
/// </remarks>
public sealed class RandomSampler : ISampler
{
    /// <summary>Creates the sampler.</summary>
    /// <param name="seed">The seed; null picks a random one.</param>
    public RandomSampler(long? seed = null)
    {
        Seed = seed ?? SeededRandom.NewSeed();
    }

    /// <summary>The seed in use.</summary>
    public long Seed { get; }

    /// <inheritdoc/>
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(name);
        return DistributionSampling.FromUnit(distribution, SeededRandom.UniformFor(Seed, trial.Number, name));
    }
}
