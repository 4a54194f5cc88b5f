using Hone.Analysis;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Pruners;

/// <summary>
/// Pruning for several objectives, which Optuna does not offer (its RFC #3450): prunes a trial whose vector of
/// intermediate values at a step is Pareto-dominated by more than <see cref="DominancePrunerOptions.Share"/> of the
/// complete trials that reported a vector at that step.
/// </summary>
/// <remarks>
/// <para>It generalises the median stopping rule (Golovin et al. 2017, "Google Vizier") from a scalar to a vector: with
/// one objective and a share of one half, "dominated by more than half the trials" is "worse than their median". With several,
/// a trial survives while it is on, or near, the front of the trials that went on, in any direction of the trade-off,
/// so a trial that is poor in one objective but good in another is kept; only a trial worse than many others in every
/// objective at once stops.</para>
/// <para>The trial reports with <see cref="Trial.Report(IReadOnlyList{double}, int)"/> (in a single-objective study,
/// <see cref="Trial.Report(double, int)"/> works too). The decision uses the trial's latest step. A NaN in the trial's
/// vector prunes it; another trial's vector with a NaN does not count.</para>
/// </remarks>
public sealed class DominancePruner : IMultiObjectivePruner
{
    private readonly double _share;
    private readonly int _startupTrials;
    private readonly int _warmupSteps;
    private readonly int _intervalSteps;
    private readonly int _minTrials;

    /// <summary>Creates the pruner.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public DominancePruner(DominancePrunerOptions? options = null)
    {
        options ??= new DominancePrunerOptions();
        var problems = options.Problems();
        if (problems is not null)
        {
            throw new ArgumentException($"Invalid DominancePrunerOptions: {problems}", nameof(options));
        }

        _share = options.Share;
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
        var vectors = Vectors(study, trial);
        if (vectors.Count == 0
            || !PrunerMath.DecisionDue(completed.Count, _startupTrials, vectors.Keys[^1], vectors.Keys, _warmupSteps, _intervalSteps))
        {
            return false;
        }

        var step = vectors.Keys[^1];

        var signs = Signs(study.Directions);
        var own = Signed(vectors.Values[^1], signs);
        if (own is null || Array.Exists(own, double.IsNaN))
        {
            return true;
        }

        var reached = 0;
        var dominating = 0;
        foreach (var t in completed)
        {
            if (t.Number == trial.Number || !Vectors(study, t).TryGetValue(step, out var values)
                || Signed(values, signs) is not { } other || Array.Exists(other, double.IsNaN))
            {
                continue;
            }

            reached++;
            if (NonDominatedSorting.Dominates(other, own))
            {
                dominating++;
            }
        }

        return reached >= _minTrials && dominating > _share * reached;
    }

    private static SortedList<int, IReadOnlyList<double>> Vectors(Study study, FrozenTrial trial)
    {
        if (study.IsMultiObjective)
        {
            return (SortedList<int, IReadOnlyList<double>>)trial.IntermediateVectors;
        }

        var result = new SortedList<int, IReadOnlyList<double>>(trial.IntermediateValues.Count);
        foreach (var (step, v) in trial.IntermediateValues)
        {
            result[step] = [v];
        }

        return result;
    }

    private static double[] Signs(IReadOnlyList<StudyDirection> directions)
    {
        var signs = new double[directions.Count];
        for (var k = 0; k < signs.Length; k++)
        {
            signs[k] = directions[k] == StudyDirection.Maximize ? -1 : 1;
        }

        return signs;
    }

    /// <summary>The vector in minimisation form, or null when its length is not the number of objectives.</summary>
    private static double[]? Signed(IReadOnlyList<double> values, double[] signs)
    {
        if (values.Count != signs.Length)
        {
            return null;
        }

        var result = new double[signs.Length];
        for (var k = 0; k < result.Length; k++)
        {
            result[k] = signs[k] * values[k];
        }

        return result;
    }
}
