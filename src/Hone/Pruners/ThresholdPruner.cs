using Hone.Studies;
using Hone.Trials;

namespace Hone.Pruners;

/// <summary>
/// Prunes a trial whose latest intermediate value leaves [<see cref="ThresholdPrunerOptions.Lower"/>,
/// <see cref="ThresholdPrunerOptions.Upper"/>] or is NaN: a guard against diverging runs (a loss that explodes),
/// independent of other trials and of the study's direction.
/// </summary>
/// <remarks>
/// Optuna's semantics: the value checked is the one at the largest reported step, at the check points after
/// <see cref="ThresholdPrunerOptions.WarmupSteps"/> every <see cref="ThresholdPrunerOptions.IntervalSteps"/>.
/// </remarks>
public sealed class ThresholdPruner : IPruner
{
    private readonly double _lower;
    private readonly double _upper;
    private readonly int _warmupSteps;
    private readonly int _intervalSteps;

    /// <summary>Creates the pruner.</summary>
    /// <param name="options">The bounds; at least one is needed.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public ThresholdPruner(ThresholdPrunerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        if (problems is not null)
        {
            throw new ArgumentException($"Invalid {nameof(ThresholdPrunerOptions)}: {problems}", nameof(options));
        }

        _lower = options.Lower ?? double.NegativeInfinity;
        _upper = options.Upper ?? double.PositiveInfinity;
        _warmupSteps = options.WarmupSteps;
        _intervalSteps = options.IntervalSteps;
    }

    /// <inheritdoc/>
    public bool Prune(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (PrunerMath.LastStep(trial) is not { } step || step < _warmupSteps)
        {
            return false;
        }

        if (!PrunerMath.IsFirstInIntervalStep(step, trial.IntermediateValues.Keys, _warmupSteps, _intervalSteps))
        {
            return false;
        }

        var latest = trial.IntermediateValues[step];
        return double.IsNaN(latest) || latest < _lower || latest > _upper;
    }
}
