using Hone.Analysis;

namespace Hone.Samplers.Tpe;

/// <summary>
/// The two places where multi-objective TPE (Ozaki, Tanigaki, Watanabe and Onishi, "Multiobjective tree-structured
/// Parzen estimator for computationally expensive optimization problems", GECCO 2020; JAIR 2022) differs from TPE:
/// which observations are "good", and how much each good one weighs in l(x).
/// </summary>
/// <remarks>
/// <para>The good set is filled front by front in non-domination order; the front that does not fit whole is cut by a
/// greedy hypervolume subset selection (Guerreiro, Fonseca and Paquete, "Greedy hypervolume subset selection in low
/// dimensions", Evolutionary Computation 2016): repeatedly take the point that adds the most hypervolume to those
/// already taken. The reference point is the front's worst point moved outwards by 10 % (zero becomes a tiny
/// positive number), as in the paper and in Optuna 3.1.</para>
/// <para>A good observation weighs its exclusive hypervolume contribution within the good set, divided by the largest
/// one, so points that spread the front pull l(x) harder than points crowded together.</para>
/// <para>All points are in minimisation form (maximised objectives negated by the caller).</para>
/// </remarks>
internal static class MultiObjectiveSelection
{
    /// <summary>The weight of a good observation that adds no hypervolume (a duplicate), and of a good one that is not a complete feasible trial.</summary>
    internal const double Epsilon = 1e-12;

    /// <summary>The positions of the <paramref name="count"/> good points among <paramref name="points"/>, in no particular order.</summary>
    public static int[] SelectGood(IReadOnlyList<double[]> points, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        if (count >= points.Count)
        {
            return Enumerable.Range(0, points.Count).ToArray();
        }

        var fronts = NonDominatedSorting.Sort(points);
        var selected = new List<int>(count);
        foreach (var front in fronts)
        {
            if (selected.Count + front.Length <= count)
            {
                selected.AddRange(front);
                if (selected.Count == count)
                {
                    break;
                }

                continue;
            }

            selected.AddRange(GreedySubset(points, front, count - selected.Count));
            break;
        }

        return [.. selected];
    }

    /// <summary>
    /// Each point's weight: its exclusive hypervolume contribution (plus <see cref="Epsilon"/>) over the largest one,
    /// with the reference point of <see cref="ReferencePoint"/>; 1 for a single point.
    /// </summary>
    public static double[] Weights(IReadOnlyList<double[]> points)
    {
        var n = points.Count;
        var weights = new double[n];
        if (n == 0)
        {
            return weights;
        }

        var reference = ReferencePoint(points, Enumerable.Range(0, n));
        if (n == 1 || reference is null)
        {
            Array.Fill(weights, 1.0);
            return weights;
        }

        var contributions = Hypervolume.Contributions(points, reference);
        var max = 0.0;
        for (var i = 0; i < n; i++)
        {
            contributions[i] += Epsilon;
            max = Math.Max(max, contributions[i]);
        }

        for (var i = 0; i < n; i++)
        {
            weights[i] = Math.Clamp(contributions[i] / max, 0, 1);
        }

        return weights;
    }

    /// <summary>
    /// The reference point for hypervolumes of the points at <paramref name="members"/>: their worst value in each
    /// objective, moved 10 % away from the points (max(1.1·w, 0.9·w)), a zero replaced by <see cref="Epsilon"/>; null when
    /// a value is infinite, where no finite reference exists.
    /// </summary>
    internal static double[]? ReferencePoint(IReadOnlyList<double[]> points, IEnumerable<int> members)
    {
        double[]? worst = null;
        foreach (var i in members)
        {
            var p = points[i];
            if (worst is null)
            {
                worst = (double[])p.Clone();
                continue;
            }

            for (var k = 0; k < p.Length; k++)
            {
                worst[k] = Math.Max(worst[k], p[k]);
            }
        }

        if (worst is null)
        {
            return null;
        }

        for (var k = 0; k < worst.Length; k++)
        {
            if (!double.IsFinite(worst[k]))
            {
                return null;
            }

            worst[k] = Math.Max(1.1 * worst[k], 0.9 * worst[k]);
            if (worst[k] == 0)
            {
                worst[k] = Epsilon;
            }
        }

        return worst;
    }

    /// <summary>Greedy hypervolume subset selection: <paramref name="size"/> members of <paramref name="front"/>, each adding the most hypervolume to those before it.</summary>
    private static IEnumerable<int> GreedySubset(IReadOnlyList<double[]> points, int[] front, int size)
    {
        var reference = ReferencePoint(points, front);
        if (reference is null)
        {
            // Infinite values: no volume to compare; the oldest members, as a stable choice.
            return front.Take(size);
        }

        var taken = new List<double[]>(size + 1);
        var result = new List<int>(size);
        var available = new List<int>(front);
        var current = 0.0;
        while (result.Count < size)
        {
            var bestAt = 0;
            var bestGain = double.NegativeInfinity;
            for (var a = 0; a < available.Count; a++)
            {
                taken.Add(points[available[a]]);
                var gain = Hypervolume.Compute(taken, reference) - current;
                taken.RemoveAt(taken.Count - 1);
                if (gain > bestGain)
                {
                    bestGain = gain;
                    bestAt = a;
                }
            }

            var chosen = available[bestAt];
            available.RemoveAt(bestAt);
            taken.Add(points[chosen]);
            current = Hypervolume.Compute(taken, reference);
            result.Add(chosen);
        }

        return result;
    }
}
