using Hone.Studies;
using Hone.Trials;

namespace Hone.Pruners;

/// <summary>
/// The median stopping rule (Golovin et al. 2017, "Google Vizier: a service for black-box optimization"): prunes a
/// trial whose best intermediate value so far is worse than the median of the complete trials' values at the same step.
/// </summary>
/// <remarks>
/// A <see cref="PercentilePruner"/> at the 50th percentile, with Optuna's semantics for startup trials, warm-up
/// steps, interval steps and the minimum number of trials at a step.
/// </remarks>
public sealed class MedianPruner : IPruner
{
    private readonly PercentilePruner _rule;

    /// <summary>Creates the pruner.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public MedianPruner(MedianPrunerOptions? options = null)
    {
        _rule = new PercentilePruner((options ?? new MedianPrunerOptions()).AsPercentile(), nameof(MedianPrunerOptions), withPercentile: false);
    }

    /// <inheritdoc/>
    public bool Prune(Study study, FrozenTrial trial) => _rule.Prune(study, trial);
}
