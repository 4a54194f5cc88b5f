using Hone.Trials;

namespace Hone.Studies;

/// <summary>
/// Which trials are best: the optimum of one objective, the Pareto set of several; among feasible trials only (every
/// constraint value ≤ 0, or no constraints), as in Optuna 4.
/// </summary>
internal static class StudyResults
{
    public static FrozenTrial BestTrial(Study study)
    {
        if (study.IsMultiObjective)
        {
            throw new InvalidOperationException(
                $"Study \"{study.Name}\" has {study.Directions.Count} objectives, so it has no single best trial; use BestTrials (the Pareto set).");
        }

        var maximize = study.Direction == StudyDirection.Maximize;
        FrozenTrial? best = null;
        var anyComplete = false;
        foreach (var t in study.GetTrials(TrialState.Complete))
        {
            anyComplete = true;
            if (!t.IsFeasible)
            {
                continue;
            }

            var v = t.Values![0];
            if (best is null || (maximize ? v > best.Values![0] : v < best.Values![0]))
            {
                best = t;
            }
        }

        return best ?? throw new InvalidOperationException(anyComplete
            ? $"Study \"{study.Name}\" has no feasible completed trial (every one violates a constraint), so it has no best trial."
            : $"Study \"{study.Name}\" has no completed trial yet, so it has no best trial.");
    }

    public static IReadOnlyList<FrozenTrial> BestTrials(Study study)
    {
        var complete = study.GetTrials(TrialState.Complete).Where(t => t.IsFeasible).ToList();
        var result = new List<FrozenTrial>();
        if (!study.IsMultiObjective)
        {
            if (complete.Count > 0)
            {
                var best = BestTrial(study).Values![0];
                result.AddRange(complete.Where(t => t.Values![0].Equals(best)));
            }

            return result;
        }

        foreach (var candidate in complete)
        {
            var dominated = false;
            foreach (var other in complete)
            {
                if (!ReferenceEquals(other, candidate) && Dominates(study.Directions, other.Values!, candidate.Values!))
                {
                    dominated = true;
                    break;
                }
            }

            if (!dominated)
            {
                result.Add(candidate);
            }
        }

        return result;
    }

    /// <summary>Whether <paramref name="a"/> is at least as good as <paramref name="b"/> in every objective and better in one.</summary>
    public static bool Dominates(IReadOnlyList<StudyDirection> directions, IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var strictlyBetter = false;
        for (var i = 0; i < directions.Count; i++)
        {
            var (x, y) = directions[i] == StudyDirection.Maximize ? (-a[i], -b[i]) : (a[i], b[i]);
            if (x > y)
            {
                return false;
            }

            strictlyBetter |= x < y;
        }

        return strictlyBetter;
    }
}
