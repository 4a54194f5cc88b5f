using System.Runtime.InteropServices;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Pruners;

/// <summary>
/// For objectives that average per-instance or per-fold scores: each step is an instance (a fold, a problem, a
/// shuffled input) identified by its step number, and a trial is pruned when a one-sided paired Wilcoxon signed-rank
/// test (Wilcoxon 1945) on the instances it shares with the best trial says, at p &lt;
/// <see cref="WilcoxonPrunerOptions.PThreshold"/>, that it is worse.
/// </summary>
/// <remarks>
/// <para>Optuna's WilcoxonPruner (Optuna 3.6): zero differences split between the rank sums; no pruning while no trial
/// is complete, while the trial or the best trial has a non-finite intermediate value, or while fewer than
/// <see cref="WilcoxonPrunerOptions.StartupSteps"/> instances are shared. As a safety rule, a trial whose mean
/// reported value is at least as good as the best trial's final value is not pruned, whatever the test says.</para>
/// <para>Report each instance's score with its instance id as the step, in any order (shuffling the order per trial
/// helps). The final value should be the mean of the instance scores, so that the best trial is comparable.</para>
/// </remarks>
public sealed class WilcoxonPruner : IPruner
{
    private readonly double _pThreshold;
    private readonly int _startupSteps;

    /// <summary>Creates the pruner.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public WilcoxonPruner(WilcoxonPrunerOptions? options = null)
    {
        options ??= new WilcoxonPrunerOptions();
        var problems = options.Problems();
        if (problems is not null)
        {
            throw new ArgumentException($"Invalid {nameof(WilcoxonPrunerOptions)}: {problems}", nameof(options));
        }

        _pThreshold = options.PThreshold;
        _startupSteps = options.StartupSteps;
    }

    /// <inheritdoc/>
    public bool Prune(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        var values = trial.IntermediateValues;
        if (values.Count == 0 || !AllFinite(values))
        {
            return false;
        }

        var best = BestComplete(study);
        if (best is null || !AllFinite(best.IntermediateValues) || best.Value is not { } bestValue)
        {
            return false;
        }

        var differences = new List<double>(values.Count);
        var sum = 0.0;
        foreach (var (step, v) in values)
        {
            sum += v;
            if (best.IntermediateValues.TryGetValue(step, out var b))
            {
                differences.Add(v - b);
            }
        }

        if (differences.Count < _startupSteps)
        {
            return false;
        }

        var maximize = study.Direction == StudyDirection.Maximize;
        var mean = sum / values.Count;
        var averageIsBest = maximize ? bestValue <= mean : bestValue >= mean;

        // Worse means smaller when maximizing (differences tend below 0), larger when minimizing.
        var p = WilcoxonSignedRank.PValue(CollectionsMarshal.AsSpan(differences), greater: !maximize);
        return p < _pThreshold && !averageIsBest;
    }

    private static FrozenTrial? BestComplete(Study study)
    {
        FrozenTrial? best = null;
        var maximize = study.Direction == StudyDirection.Maximize;
        foreach (var t in study.GetTrials(TrialState.Complete))
        {
            if (t.Values is not { Count: 1 } v)
            {
                continue;
            }

            if (best is null || (maximize ? v[0] > best.Values![0] : v[0] < best.Values![0]))
            {
                best = t;
            }
        }

        return best;
    }

    private static bool AllFinite(IReadOnlyDictionary<int, double> values)
    {
        foreach (var v in values.Values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }
}
