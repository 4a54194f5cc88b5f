using Hone.Studies;
using Hone.Trials;

namespace Hone.Pruners;

/// <summary>
/// A pruner that splits a study's trials into groups compared only among themselves (Hyperband's brackets), so that
/// a sampler learns only from the group of the trial it samples for (with TPE, this is BOHB: Falkner et al. 2018,
/// "BOHB: robust and efficient hyperparameter optimization at scale").
/// </summary>
/// <remarks>
/// Samplers do not call this directly: they read <see cref="Study.GetTrialsForSampling(FrozenTrial)"/>, which asks the
/// study's pruner when it implements this interface. A trial's partition must not change once it is not null.
/// </remarks>
public interface ISamplingPartitioner
{
    /// <summary>The group of <paramref name="trial"/>, or null when the pruner does not split the trials (yet).</summary>
    int? PartitionOf(Study study, FrozenTrial trial);

    /// <summary>
    /// The trials of group <paramref name="partition"/>, ordered by number. The same list object is returned while the
    /// study's trials do not change, so samplers can key caches on it.
    /// </summary>
    IReadOnlyList<FrozenTrial> TrialsOf(Study study, int partition);
}
