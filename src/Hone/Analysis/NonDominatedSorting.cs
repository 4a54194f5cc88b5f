namespace Hone.Analysis;

/// <summary>
/// Pareto dominance and the fast non-dominated sort of NSGA-II (Deb, Pratap, Agarwal and Meyarivan, "A fast and elitist
/// multiobjective genetic algorithm: NSGA-II", IEEE TEC 2002): splits points into fronts, the first holding the points no
/// other point dominates, the second those only the first dominates, and so on. Every objective is minimised.
/// </summary>
/// <remarks>
/// <para>With violations, dominance is the paper's constraint-dominance: a feasible point (violation ≤ 0) dominates
/// every infeasible one, of two infeasible points the one with the smaller total violation dominates, and two feasible
/// points compare by Pareto dominance. Equal points never dominate each other, so duplicates share a front.</para>
/// <para>The sort costs O(M N²) for N points in M objectives; samplers sort a population of a few hundred at most.</para>
/// </remarks>
public static class NonDominatedSorting
{
    /// <summary>Whether <paramref name="a"/> is no worse than <paramref name="b"/> in every objective and better in one (minimisation).</summary>
    /// <exception cref="ArgumentException">The points have different lengths.</exception>
    public static bool Dominates(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Points of {a.Length} and {b.Length} objectives cannot be compared.", nameof(b));
        }

        var better = false;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] > b[i])
            {
                return false;
            }

            better |= a[i] < b[i];
        }

        return better;
    }

    /// <summary>
    /// The fronts of <paramref name="points"/>, best first, each as the indices of its points in ascending order.
    /// </summary>
    /// <param name="points">One array of objective values per point, all of one length, to minimise.</param>
    /// <param name="violations">
    /// Each point's total constraint violation (the sum of its positive constraint values; ≤ 0 is feasible), for
    /// constraint-dominance; null when there are no constraints.
    /// </param>
    /// <exception cref="ArgumentException">A value is NaN, the points differ in length, or the violations do not match the points.</exception>
    public static int[][] Sort(IReadOnlyList<double[]> points, IReadOnlyList<double>? violations = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        Check(points, violations);
        var n = points.Count;
        var dominatedBy = new int[n];
        var dominates = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            dominates[i] = [];
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                if (ConstrainedDominates(points, violations, i, j))
                {
                    dominates[i].Add(j);
                    dominatedBy[j]++;
                }
                else if (ConstrainedDominates(points, violations, j, i))
                {
                    dominates[j].Add(i);
                    dominatedBy[i]++;
                }
            }
        }

        var fronts = new List<int[]>();
        var current = new List<int>();
        for (var i = 0; i < n; i++)
        {
            if (dominatedBy[i] == 0)
            {
                current.Add(i);
            }
        }

        while (current.Count > 0)
        {
            current.Sort();
            fronts.Add([.. current]);
            var next = new List<int>();
            foreach (var i in current)
            {
                foreach (var j in dominates[i])
                {
                    if (--dominatedBy[j] == 0)
                    {
                        next.Add(j);
                    }
                }
            }

            current = next;
        }

        return [.. fronts];
    }

    /// <summary>The indices of the points no other point dominates (the first front), ascending.</summary>
    /// <exception cref="ArgumentException">A value is NaN or the points differ in length.</exception>
    public static int[] ParetoFront(IReadOnlyList<double[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        Check(points, null);
        var result = new List<int>();
        for (var i = 0; i < points.Count; i++)
        {
            var dominated = false;
            for (var j = 0; j < points.Count && !dominated; j++)
            {
                dominated = j != i && Dominates(points[j], points[i]);
            }

            if (!dominated)
            {
                result.Add(i);
            }
        }

        return [.. result];
    }

    /// <summary>Constraint-dominance of point <paramref name="i"/> over point <paramref name="j"/> (Pareto dominance without violations).</summary>
    internal static bool ConstrainedDominates(IReadOnlyList<double[]> points, IReadOnlyList<double>? violations, int i, int j)
    {
        if (violations is not null)
        {
            var vi = violations[i];
            var vj = violations[j];
            if (vi > 0 || vj > 0)
            {
                return vi < vj;
            }
        }

        return Dominates(points[i], points[j]);
    }

    private static void Check(IReadOnlyList<double[]> points, IReadOnlyList<double>? violations)
    {
        if (violations is not null && violations.Count != points.Count)
        {
            throw new ArgumentException($"There are {violations.Count} violations for {points.Count} points; give one per point.", nameof(violations));
        }

        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i] ?? throw new ArgumentException($"Point {i} is null.", nameof(points));
            if (p.Length != points[0].Length)
            {
                throw new ArgumentException($"Point {i} has {p.Length} objectives but point 0 has {points[0].Length}.", nameof(points));
            }

            foreach (var v in p)
            {
                if (double.IsNaN(v))
                {
                    throw new ArgumentException($"Point {i} has a NaN objective value; NaN cannot be ranked.", nameof(points));
                }
            }

            if (violations is not null && double.IsNaN(violations[i]))
            {
                throw new ArgumentException($"The violation of point {i} is NaN.", nameof(violations));
            }
        }
    }
}
