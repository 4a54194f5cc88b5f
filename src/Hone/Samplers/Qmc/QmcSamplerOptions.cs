using Hone.Distributions;

namespace Hone.Samplers.Qmc;

/// <summary>How a <see cref="QmcSampler"/> draws its points.</summary>
public sealed class QmcSamplerOptions
{
    /// <summary>The low-discrepancy sequence.</summary>
    /// <value><see cref="Qmc.QmcType.Sobol"/>, as in Optuna.</value>
    /// <remarks>Sobol points are best spread in batches of 2^m trials; Halton has no such preferred sizes.</remarks>
    public QmcType QmcType { get; init; } = QmcType.Sobol;

    /// <summary>Whether the sequence is randomized: linear matrix scrambling and a digital shift for Sobol, random digit permutations for Halton.</summary>
    /// <value>True. (Optuna's default is false.)</value>
    /// <remarks>
    /// Scrambled points keep the even spread of the sequence but are no longer on a fixed lattice that includes
    /// the origin and the centre of the space, and different seeds give independent replicates. Without
    /// scrambling the seed only affects <see cref="IndependentSampler"/>.
    /// </remarks>
    public bool Scramble { get; init; } = true;

    /// <summary>The seed of the scrambling and of the default independent sampler.</summary>
    /// <value>Null picks a random seed.</value>
    /// <remarks>
    /// Processes that share a study must use the same seed: each takes the points of its trials' numbers, and
    /// points of differently scrambled sequences do not fit together.
    /// </remarks>
    public long? Seed { get; init; }

    /// <summary>Samples the parameters outside the joint search space, and every parameter until that space is known.</summary>
    /// <value>Null uses a <see cref="RandomSampler"/> with the same seed.</value>
    public ISampler? IndependentSampler { get; init; }

    /// <summary>The parameters to sample jointly, fixed in advance.</summary>
    /// <value>
    /// Null infers it from the first finished (Complete or Pruned) trial of the study that has parameters, so the
    /// first trial of a new study is sampled by <see cref="IndependentSampler"/>.
    /// </value>
    /// <remarks>
    /// A parameter whose distribution in a trial differs from the one given here is sampled independently.
    /// Single-valued distributions take no dimension.
    /// </remarks>
    public IReadOnlyDictionary<string, Distribution>? SearchSpace { get; init; }

    /// <summary>Whether categorical parameters take a dimension of the sequence (choice i of k for a coordinate in [i/k, (i+1)/k)).</summary>
    /// <value>True. False leaves them to <see cref="IndependentSampler"/>, as Optuna does.</value>
    public bool IncludeCategorical { get; init; } = true;
}
