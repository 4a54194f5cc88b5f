using Hone.Studies;
using Hone.Trials;

namespace Hone.Analysis;

/// <summary>
/// The hypervolume of a set of points: the volume of the region they dominate, bounded by a reference point (every
/// objective minimised). The standard single number for the quality of a Pareto front (Zitzler and Thiele 1998), and
/// what multi-objective samplers are compared by.
/// </summary>
/// <remarks>
/// <para>Exact algorithms: a sort and sweep for two objectives (O(n log n)); for three, the dimension sweep of Beume,
/// Fonseca, López-Ibáñez, Paquete and Vahrenhold ("On the complexity of computing the hypervolume indicator", IEEE TEC
/// 2009; HV3D of Fonseca, Paquete and López-Ibáñez 2006), which sweeps the third objective and keeps the two-dimensional
/// front of the points seen in a sorted staircase; for four or more, WFG (While, Bradstreet and Barone, "A fast way of
/// calculating exact hypervolumes", IEEE TEC 2012): the sum of each point's exclusive volume, computed as its own box
/// minus the hypervolume of its limit set, with points sorted on the last objective so that each limit set drops to one
/// objective fewer, down to the three-objective sweep.</para>
/// <para>A point that does not strictly dominate the reference point (equal or worse in some objective) adds nothing.
/// Duplicates and dominated points add nothing either.</para>
/// </remarks>
public static class Hypervolume
{
    /// <summary>The hypervolume of <paramref name="points"/> (objectives minimised) with respect to <paramref name="reference"/>.</summary>
    /// <exception cref="ArgumentException">A point's length differs from the reference point's, a value is NaN or −∞, or the reference is not finite.</exception>
    public static double Compute(IReadOnlyList<double[]> points, IReadOnlyList<double> reference)
    {
        var r = CheckReference(reference);
        var inside = Inside(points, r);
        return Exact(NonDominated(inside), r);
    }

    /// <summary>
    /// The exclusive contribution of each point: how much the hypervolume shrinks when that point alone is removed.
    /// Zero for a dominated point, for each of two equal points, and for a point not strictly dominating the reference.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Compute"/>.</exception>
    public static double[] Contributions(IReadOnlyList<double[]> points, IReadOnlyList<double> reference)
    {
        var r = CheckReference(reference);
        var inside = Inside(points, r);
        var result = new double[points.Count];
        var index = new List<int>(inside.Count);
        for (var i = 0; i < points.Count; i++)
        {
            if (StrictlyDominates(points[i], r))
            {
                index.Add(i);
            }
        }

        for (var k = 0; k < inside.Count; k++)
        {
            var p = inside[k];
            var limit = new List<double[]>(inside.Count - 1);
            for (var j = 0; j < inside.Count; j++)
            {
                if (j != k)
                {
                    limit.Add(Worse(p, inside[j]));
                }
            }

            result[index[k]] = Math.Max(0, Box(p, r) - Exact(NonDominated(limit), r));
        }

        return result;
    }

    /// <summary>
    /// The hypervolume of a study's Pareto front after each complete trial, in trial-number order: one entry per
    /// complete trial, counting the complete feasible trials up to and including it.
    /// </summary>
    /// <param name="study">The study.</param>
    /// <param name="reference">The reference point, one value per objective in the objective's own terms (for a maximised objective, a value below every value of interest).</param>
    /// <exception cref="ArgumentException">The reference point does not have one value per objective, or is not finite.</exception>
    /// <remarks>Maximised objectives are negated, with the reference, so the volume is the one the front dominates in the study's directions.</remarks>
    public static IReadOnlyList<HypervolumeHistoryEntry> History(Study study, IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(reference);
        var directions = study.Directions;
        if (reference.Count != directions.Count)
        {
            throw new ArgumentException(
                $"The reference point has {reference.Count} values but study \"{study.Name}\" has {directions.Count} objectives.", nameof(reference));
        }

        var r = CheckReference(Signed(reference, directions));
        var front = new List<double[]>();
        var hv = 0.0;
        var result = new List<HypervolumeHistoryEntry>();
        foreach (var t in study.GetTrials(TrialState.Complete))
        {
            if (t.Values is { } values && values.Count == directions.Count && t.IsFeasible)
            {
                var q = Signed(values, directions);
                if (StrictlyDominates(q, r) && !front.Exists(p => WeaklyDominates(p, q)))
                {
                    var limit = new List<double[]>(front.Count);
                    foreach (var p in front)
                    {
                        limit.Add(Worse(q, p));
                    }

                    hv += Math.Max(0, Box(q, r) - Exact(NonDominated(limit), r));
                    front.RemoveAll(p => WeaklyDominates(q, p));
                    front.Add(q);
                }
            }

            result.Add(new HypervolumeHistoryEntry(t.Number, hv));
        }

        return result;
    }

    /// <summary>
    /// The hypervolume of points that all strictly dominate <paramref name="r"/> and none of which dominates another, in
    /// as many objectives as <paramref name="r"/> has (points may be longer; their extra values are ignored).
    /// </summary>
    internal static double Exact(List<double[]> points, double[] r)
    {
        if (points.Count == 0)
        {
            return 0;
        }

        return r.Length switch
        {
            1 => r[0] - points.Min(p => p[0]),
            2 => Sweep2(points, r),
            3 => Sweep3(points, r),
            _ => Wfg(points, r),
        };
    }

    private static double Sweep2(List<double[]> points, double[] r)
    {
        var sorted = points.ToArray();
        Array.Sort(sorted, static (a, b) => a[0] != b[0] ? a[0].CompareTo(b[0]) : a[1].CompareTo(b[1]));
        var hv = 0.0;
        var lowestY = r[1];
        foreach (var p in sorted)
        {
            if (p[1] < lowestY)
            {
                hv += (r[0] - p[0]) * (lowestY - p[1]);
                lowestY = p[1];
            }
        }

        return hv;
    }

    private static double Sweep3(List<double[]> points, double[] r)
    {
        var sorted = points.ToArray();
        Array.Sort(sorted, static (a, b) => a[2].CompareTo(b[2]));

        // The two-dimensional front of the points swept so far: x ascending, y strictly descending.
        var xs = new List<double>(sorted.Length);
        var ys = new List<double>(sorted.Length);
        var area = 0.0;
        var hv = 0.0;
        var z = sorted[0][2];
        foreach (var p in sorted)
        {
            hv += area * (p[2] - z);
            z = p[2];
            area += InsertIntoStaircase(xs, ys, p[0], p[1], r);
        }

        return hv + (area * (r[2] - z));
    }

    /// <summary>Adds (x, y) to the staircase unless something there dominates it, and returns the area it adds.</summary>
    private static double InsertIntoStaircase(List<double> xs, List<double> ys, double x, double y, double[] r)
    {
        // last = the last step with xs ≤ x; it has the lowest y of all steps left of x.
        var lo = 0;
        var hi = xs.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (xs[mid] <= x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        var last = lo - 1;
        if (last >= 0 && ys[last] <= y)
        {
            return 0;
        }

        var start = last >= 0 && xs[last] == x ? last : last + 1;
        var height = start > 0 ? ys[start - 1] : r[1];
        var left = x;
        var added = 0.0;
        var end = start;
        while (end < xs.Count && ys[end] >= y)
        {
            added += (xs[end] - left) * (height - y);
            height = ys[end];
            left = xs[end];
            end++;
        }

        added += ((end < xs.Count ? xs[end] : r[0]) - left) * (height - y);
        xs.RemoveRange(start, end - start);
        ys.RemoveRange(start, end - start);
        xs.Insert(start, x);
        ys.Insert(start, y);
        return added;
    }

    private static double Wfg(List<double[]> points, double[] r)
    {
        var d = r.Length;
        var last = d - 1;
        var sorted = points.ToArray();
        Array.Sort(sorted, (a, b) => b[last].CompareTo(a[last]));
        var rLow = r[..last];
        var hv = 0.0;
        for (var k = 0; k < sorted.Length; k++)
        {
            // Every later point is no worse in the last objective, so the limit set lies in the slice of point k.
            var p = sorted[k];
            var limit = new List<double[]>(sorted.Length - k - 1);
            for (var j = k + 1; j < sorted.Length; j++)
            {
                var w = new double[last];
                for (var i = 0; i < last; i++)
                {
                    w[i] = Math.Max(p[i], sorted[j][i]);
                }

                limit.Add(w);
            }

            var exclusive = Box(p, rLow) - Exact(NonDominated(limit), rLow);
            hv += (r[last] - p[last]) * Math.Max(0, exclusive);
        }

        return hv;
    }

    /// <summary>The points none of the others weakly dominates, one of each group of equal points kept.</summary>
    internal static List<double[]> NonDominated(List<double[]> points)
    {
        var result = new List<double[]>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var keep = true;
            for (var j = 0; j < points.Count && keep; j++)
            {
                if (j == i)
                {
                    continue;
                }

                // An equal point earlier in the list is the one kept.
                keep = !(WeaklyDominates(points[j], points[i]) && (j < i || !WeaklyDominates(points[i], points[j])));
            }

            if (keep)
            {
                result.Add(points[i]);
            }
        }

        return result;
    }

    private static bool WeaklyDominates(double[] a, double[] b)
    {
        for (var i = 0; i < a.Length && i < b.Length; i++)
        {
            if (a[i] > b[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool StrictlyDominates(double[] p, double[] r)
    {
        for (var i = 0; i < r.Length; i++)
        {
            if (!(p[i] < r[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static double Box(double[] p, double[] r)
    {
        var v = 1.0;
        for (var i = 0; i < r.Length; i++)
        {
            v *= r[i] - p[i];
        }

        return v;
    }

    private static double[] Worse(double[] a, double[] b)
    {
        var w = new double[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            w[i] = Math.Max(a[i], b[i]);
        }

        return w;
    }

    private static double[] Signed(IReadOnlyList<double> values, IReadOnlyList<StudyDirection> directions)
    {
        var x = new double[values.Count];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = directions[i] == StudyDirection.Maximize ? -values[i] : values[i];
        }

        return x;
    }

    private static double[] CheckReference(IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Count == 0)
        {
            throw new ArgumentException("The reference point is empty; give one value per objective.", nameof(reference));
        }

        var r = reference.ToArray();
        foreach (var v in r)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"The reference point has the value {v}; every value must be finite.", nameof(reference));
            }
        }

        return r;
    }

    private static List<double[]> Inside(IReadOnlyList<double[]> points, double[] r)
    {
        ArgumentNullException.ThrowIfNull(points);
        var result = new List<double[]>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i] ?? throw new ArgumentException($"Point {i} is null.", nameof(points));
            if (p.Length != r.Length)
            {
                throw new ArgumentException($"Point {i} has {p.Length} objectives but the reference point has {r.Length}.", nameof(points));
            }

            foreach (var v in p)
            {
                if (double.IsNaN(v) || double.IsNegativeInfinity(v))
                {
                    throw new ArgumentException($"Point {i} has the value {v}; a hypervolume needs values that are numbers above −∞.", nameof(points));
                }
            }

            if (StrictlyDominates(p, r))
            {
                result.Add(p);
            }
        }

        return result;
    }
}
