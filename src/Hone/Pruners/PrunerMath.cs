using Hone.Studies;
using Hone.Trials;

namespace Hone.Pruners;

/// <summary>Small rules several pruners share: the last step, the best value over steps, interval checks, percentiles.</summary>
internal static class PrunerMath
{
    /// <summary>The largest step a value was reported at, or null when none was.</summary>
    public static int? LastStep(FrozenTrial trial)
    {
        if (trial.IntermediateValues.Count == 0)
        {
            return null;
        }

        var last = int.MinValue;
        foreach (var step in trial.IntermediateValues.Keys)
        {
            last = Math.Max(last, step);
        }

        return last;
    }

    /// <summary>The best intermediate value over all steps, ignoring NaN; NaN when every value is NaN.</summary>
    public static double BestIntermediate(FrozenTrial trial, StudyDirection direction)
    {
        var best = double.NaN;
        foreach (var v in trial.IntermediateValues.Values)
        {
            if (double.IsNaN(v))
            {
                continue;
            }

            if (double.IsNaN(best) || (direction == StudyDirection.Maximize ? v > best : v < best))
            {
                best = v;
            }
        }

        return best;
    }

    /// <summary>
    /// The gate shared by the median-style pruners (Optuna's semantics): a decision is due only once the study has at
    /// least one and at least <paramref name="startupTrials"/> complete trials, the trial's latest step
    /// <paramref name="step"/> is past the warm-up, and it is the first reported step of its check interval.
    /// </summary>
    public static bool DecisionDue(int completed, int startupTrials, int step, IEnumerable<int> reportedSteps, int warmupSteps, int intervalSteps) =>
        completed > 0 && completed >= startupTrials && step >= warmupSteps
        && IsFirstInIntervalStep(step, reportedSteps, warmupSteps, intervalSteps);

    /// <summary>
    /// Whether <paramref name="step"/> is the first reported step at or after the latest pruning check point
    /// (warm-up steps + k × interval): a check postponed because no value was reported at the check point
    /// happens at the next reported step, and only once (Optuna's rule).
    /// </summary>
    public static bool IsFirstInIntervalStep(int step, IEnumerable<int> reportedSteps, int warmupSteps, int intervalSteps)
    {
        var nearestLowerCheck = ((step - warmupSteps) / intervalSteps * intervalSteps) + warmupSteps;
        var secondLast = -1;
        foreach (var s in reportedSteps)
        {
            if (s > secondLast && s != step)
            {
                secondLast = s;
            }
        }

        return secondLast < nearestLowerCheck;
    }

    /// <summary>The <paramref name="q"/>-th percentile (0–100) of the non-NaN values with linear interpolation (numpy's default); NaN when none.</summary>
    public static double NanPercentile(List<double> values, double q)
    {
        var finite = new List<double>(values.Count);
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                finite.Add(v);
            }
        }

        if (finite.Count == 0)
        {
            return double.NaN;
        }

        finite.Sort();
        var rank = q / 100.0 * (finite.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, finite.Count - 1);
        var frac = rank - lo;
        if (frac == 0 || finite[lo] == finite[hi])
        {
            return finite[lo];
        }

        return finite[lo] + ((finite[hi] - finite[lo]) * frac);
    }

    /// <summary>Whether <paramref name="a"/> is strictly worse than <paramref name="b"/> in the study's direction.</summary>
    public static bool IsWorse(double a, double b, StudyDirection direction) =>
        direction == StudyDirection.Maximize ? a < b : a > b;
}
