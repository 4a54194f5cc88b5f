using Hone.Studies;
using Hone.Trials;

namespace Hone.Pruners;

/// <summary>
/// Keeps the best <see cref="PercentilePrunerOptions.Percentile"/>% of trials: prunes a trial whose best
/// intermediate value so far is worse than that percentile of the complete trials' values at the same step.
/// </summary>
/// <remarks>
/// <para>The percentile generalization of the median stopping rule of Google Vizier (Golovin et al. 2017, "Google
/// Vizier: a service for black-box optimization"), with Optuna's semantics: no decision before
/// <see cref="PercentilePrunerOptions.StartupTrials"/> complete trials, before step
/// <see cref="PercentilePrunerOptions.WarmupSteps"/>, off the check points every
/// <see cref="PercentilePrunerOptions.IntervalSteps"/>, or with fewer than <see cref="PercentilePrunerOptions.MinTrials"/>
/// values at the step. A trial whose every intermediate value is NaN is pruned; NaN values of other trials are ignored.</para>
/// <para>The step compared is the trial's largest reported step, so values reported out of order or with gaps are handled.</para>
/// </remarks>
public sealed class PercentilePruner : IPruner
{
    private readonly double _percentile;
    private readonly int _startupTrials;
    private readonly int _warmupSteps;
    private readonly int _intervalSteps;
    private readonly int _minTrials;

    /// <summary>Creates the pruner.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public PercentilePruner(PercentilePrunerOptions? options = null)
        : this(options ?? new PercentilePrunerOptions(), nameof(PercentilePrunerOptions), withPercentile: true)
    {
    }

    internal PercentilePruner(PercentilePrunerOptions options, string optionsName, bool withPercentile)
    {
        var problems = options.Problems(withPercentile);
        if (problems is not null)
        {
            throw new ArgumentException($"Invalid {optionsName}: {problems}", nameof(options));
        }

        _percentile = options.Percentile;
        _startupTrials = options.StartupTrials;
        _warmupSteps = options.WarmupSteps;
        _intervalSteps = options.IntervalSteps;
        _minTrials = options.MinTrials;
    }

    /// <inheritdoc/>
    public bool Prune(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        var completed = study.GetTrials(TrialState.Complete);
        if (PrunerMath.LastStep(trial) is not { } step
            || !PrunerMath.DecisionDue(completed.Count, _startupTrials, step, trial.IntermediateValues.Keys, _warmupSteps, _intervalSteps))
        {
            return false;
        }

        var direction = study.Direction;
        var best = PrunerMath.BestIntermediate(trial, direction);
        if (double.IsNaN(best))
        {
            return true;
        }

        var atStep = new List<double>(completed.Count);
        foreach (var t in completed)
        {
            if (t.IntermediateValues.TryGetValue(step, out var v))
            {
                atStep.Add(v);
            }
        }

        if (atStep.Count < _minTrials)
        {
            return false;
        }

        var q = direction == StudyDirection.Maximize ? 100 - _percentile : _percentile;
        var threshold = PrunerMath.NanPercentile(atStep, q);
        return !double.IsNaN(threshold) && PrunerMath.IsWorse(best, threshold, direction);
    }
}
