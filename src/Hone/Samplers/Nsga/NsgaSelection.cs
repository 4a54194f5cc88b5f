using Hone.Analysis;

namespace Hone.Samplers.Nsga;

/// <summary>
/// Survivor selection of NSGA-II and NSGA-III: from a generation's trials and the previous parents, the next parents,
/// front by front (constraint-dominance non-dominated sorting), with the last front that does not fit cut by crowding
/// distance (NSGA-II) or by reference-point niching (NSGA-III). Objectives are minimised.
/// </summary>
internal static class NsgaSelection
{
    /// <summary>The chosen candidates (indices into the input), with each one's front rank and crowding distance.</summary>
    public sealed record Result(int[] Chosen, int[] Ranks, double[] Crowding);

    /// <summary>NSGA-II (Deb et al. 2002): whole fronts while they fit, then the most isolated of the next front.</summary>
    public static Result Nsga2(double[][] objectives, double[] violations, int size, SeededRandom rng)
    {
        var fronts = NonDominatedSorting.Sort(objectives, violations.Any(v => v > 0) ? violations : null);
        var chosen = new List<int>();
        var ranks = new List<int>();
        var crowding = new List<double>();
        for (var r = 0; r < fronts.Length && chosen.Count < size; r++)
        {
            var front = Shuffled(fronts[r], rng);
            var distance = CrowdingDistance(objectives, front);
            var order = Enumerable.Range(0, front.Length).ToArray();
            if (chosen.Count + front.Length > size)
            {
                // Stable sort after the shuffle: equal distances are broken at random.
                order = [.. order.OrderByDescending(k => distance[k])];
            }

            foreach (var k in order.Take(size - chosen.Count))
            {
                chosen.Add(front[k]);
                ranks.Add(r);
                crowding.Add(distance[k]);
            }
        }

        return new Result([.. chosen], [.. ranks], [.. crowding]);
    }

    /// <summary>
    /// NSGA-III (Deb and Jain, "An evolutionary many-objective optimization algorithm using reference-point-based
    /// nondominated sorting approach, part I", IEEE TEC 2014): whole fronts while they fit; the next front's members are
    /// then chosen one at a time for the reference direction with the fewest chosen members so far (after normalizing the
    /// objectives by the ideal point and the intercepts of the extreme points' hyperplane).
    /// </summary>
    public static Result Nsga3(double[][] objectives, double[] violations, int size, double[][] references, SeededRandom rng)
    {
        var fronts = NonDominatedSorting.Sort(objectives, violations.Any(v => v > 0) ? violations : null);
        var chosen = new List<int>();
        var ranks = new List<int>();
        var candidates = new List<int>();
        var last = -1;
        for (var r = 0; r < fronts.Length; r++)
        {
            if (chosen.Count + fronts[r].Length <= size)
            {
                chosen.AddRange(fronts[r]);
                ranks.AddRange(Enumerable.Repeat(r, fronts[r].Length));
                if (chosen.Count == size)
                {
                    break;
                }

                continue;
            }

            last = r;
            candidates.AddRange(fronts[r]);
            break;
        }

        if (last >= 0)
        {
            foreach (var pick in Niche(objectives, chosen, candidates, size - chosen.Count, references, rng))
            {
                chosen.Add(pick);
                ranks.Add(last);
            }
        }

        return new Result([.. chosen], [.. ranks], new double[chosen.Count]);
    }

    /// <summary>The crowding distance of each member of <paramref name="front"/> (infinite at the ends of every objective).</summary>
    public static double[] CrowdingDistance(double[][] objectives, int[] front)
    {
        var n = front.Length;
        var distance = new double[n];
        if (n <= 2)
        {
            Array.Fill(distance, double.PositiveInfinity);
            return distance;
        }

        var m = objectives[front[0]].Length;
        var order = new int[n];
        for (var j = 0; j < m; j++)
        {
            for (var k = 0; k < n; k++)
            {
                order[k] = k;
            }

            Array.Sort(order, (a, b) => objectives[front[a]][j].CompareTo(objectives[front[b]][j]));
            var lo = objectives[front[order[0]]][j];
            var hi = objectives[front[order[^1]]][j];
            distance[order[0]] = double.PositiveInfinity;
            distance[order[^1]] = double.PositiveInfinity;
            if (!(hi > lo) || double.IsInfinity(hi - lo))
            {
                continue;
            }

            for (var k = 1; k < n - 1; k++)
            {
                distance[order[k]] += (objectives[front[order[k + 1]]][j] - objectives[front[order[k - 1]]][j]) / (hi - lo);
            }
        }

        return distance;
    }

    private static int[] Shuffled(int[] items, SeededRandom rng)
    {
        var copy = (int[])items.Clone();
        for (var i = copy.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy;
    }

    private static List<int> Niche(double[][] objectives, List<int> chosen, List<int> candidates, int needed, double[][] references, SeededRandom rng)
    {
        var all = chosen.Concat(candidates).ToArray();
        var normalized = Normalize(objectives, all);
        var m = objectives[all[0]].Length;
        var niche = new int[all.Length];
        var distance = new double[all.Length];
        for (var i = 0; i < all.Length; i++)
        {
            (niche[i], distance[i]) = Associate(normalized[i], references, m);
        }

        var count = new int[references.Length];
        for (var i = 0; i < chosen.Count; i++)
        {
            count[niche[i]]++;
        }

        // Candidates by reference point: positions in `all`.
        var waiting = new List<int>[references.Length];
        for (var j = 0; j < references.Length; j++)
        {
            waiting[j] = [];
        }

        for (var i = chosen.Count; i < all.Length; i++)
        {
            waiting[niche[i]].Add(i);
        }

        var open = Enumerable.Range(0, references.Length).Where(j => waiting[j].Count > 0).ToList();
        var picks = new List<int>(needed);
        while (picks.Count < needed && open.Count > 0)
        {
            var fewest = open.Min(j => count[j]);
            var least = open.Where(j => count[j] == fewest).ToList();
            var refPoint = least[rng.NextInt(least.Count)];
            var members = waiting[refPoint];
            int take;
            if (count[refPoint] == 0)
            {
                take = 0;
                for (var k = 1; k < members.Count; k++)
                {
                    if (distance[members[k]] < distance[members[take]])
                    {
                        take = k;
                    }
                }
            }
            else
            {
                take = rng.NextInt(members.Count);
            }

            picks.Add(all[members[take]]);
            members.RemoveAt(take);
            count[refPoint]++;
            if (members.Count == 0)
            {
                open.Remove(refPoint);
            }
        }

        return picks;
    }

    /// <summary>
    /// The points translated by the ideal point and divided by the intercepts of the hyperplane through the extreme
    /// points; when that plane is degenerate (the extreme points are not independent, or an intercept is not positive),
    /// by the largest translated value of each objective instead (the nadir of the set).
    /// </summary>
    private static double[][] Normalize(double[][] objectives, int[] members)
    {
        var m = objectives[members[0]].Length;
        var ideal = new double[m];
        Array.Fill(ideal, double.PositiveInfinity);
        foreach (var i in members)
        {
            for (var j = 0; j < m; j++)
            {
                ideal[j] = Math.Min(ideal[j], objectives[i][j]);
            }
        }

        var translated = members.Select(i => objectives[i].Select((v, j) => v - ideal[j]).ToArray()).ToArray();
        var extremes = new double[m][];
        for (var axis = 0; axis < m; axis++)
        {
            var best = double.PositiveInfinity;
            foreach (var t in translated)
            {
                var asf = 0.0;
                for (var j = 0; j < m; j++)
                {
                    asf = Math.Max(asf, t[j] / (j == axis ? 1 : 1e-6));
                }

                if (asf < best)
                {
                    best = asf;
                    extremes[axis] = t;
                }
            }
        }

        var intercepts = Intercepts(extremes);
        if (intercepts is null)
        {
            intercepts = new double[m];
            foreach (var t in translated)
            {
                for (var j = 0; j < m; j++)
                {
                    intercepts[j] = Math.Max(intercepts[j], t[j]);
                }
            }
        }

        for (var j = 0; j < m; j++)
        {
            if (!(intercepts[j] > 1e-12) || double.IsInfinity(intercepts[j]))
            {
                intercepts[j] = 1;
            }
        }

        return [.. translated.Select(t => t.Select((v, j) => v / intercepts[j]).ToArray())];
    }

    /// <summary>The axis intercepts of the hyperplane through the points, or null when it is degenerate.</summary>
    private static double[]? Intercepts(double[][] points)
    {
        // Solve points · b = 1 by Gaussian elimination with partial pivoting; the intercepts are 1 / b.
        var m = points.Length;
        var a = new double[m, m + 1];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                a[i, j] = points[i][j];
            }

            a[i, m] = 1;
        }

        for (var col = 0; col < m; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < m; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = r;
                }
            }

            if (Math.Abs(a[pivot, col]) < 1e-12)
            {
                return null;
            }

            for (var j = 0; j <= m; j++)
            {
                (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            }

            for (var r = 0; r < m; r++)
            {
                if (r == col)
                {
                    continue;
                }

                var f = a[r, col] / a[col, col];
                for (var j = col; j <= m; j++)
                {
                    a[r, j] -= f * a[col, j];
                }
            }
        }

        var intercepts = new double[m];
        for (var i = 0; i < m; i++)
        {
            var b = a[i, m] / a[i, i];
            intercepts[i] = 1 / b;
            if (!(intercepts[i] > 1e-6) || !double.IsFinite(intercepts[i]))
            {
                return null;
            }
        }

        return intercepts;
    }

    /// <summary>The reference direction nearest to a normalized point (perpendicular distance), and that distance.</summary>
    private static (int Index, double Distance) Associate(double[] point, double[][] references, int m)
    {
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        for (var r = 0; r < references.Length; r++)
        {
            var w = references[r];
            double dot = 0, norm = 0;
            for (var j = 0; j < m; j++)
            {
                dot += point[j] * w[j];
                norm += w[j] * w[j];
            }

            var scale = norm > 0 ? dot / norm : 0;
            var d2 = 0.0;
            for (var j = 0; j < m; j++)
            {
                var diff = point[j] - (scale * w[j]);
                d2 += diff * diff;
            }

            if (d2 < bestDistance)
            {
                bestDistance = d2;
                best = r;
            }
        }

        return (best, Math.Sqrt(bestDistance));
    }
}
