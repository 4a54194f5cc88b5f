namespace Hone.Samplers.Gp;

/// <summary>
/// The region a new point improves the hypervolume in, cut into disjoint axis-aligned boxes (objectives maximised): the
/// points above the reference point that no point of the front dominates. The first M − 1 axes are cut at every
/// coordinate of the front (a grid of (k + 1)^(M−1) cells for k points); in each cell the region is a single interval of
/// the last axis, from the highest last coordinate of the points that dominate the whole cell in the other axes (or
/// the reference) up to +∞. A point y then improves the hypervolume by Σ_boxes Π_j (min(y_j, u_j) − l_j)⁺, the
/// decomposition used for exact expected hypervolume improvement (Yang, Emmerich, Deutz and Bäck, "Efficient
/// computation of expected hypervolume improvement using box decomposition algorithms", J. Global Optim. 2019; Daulton,
/// Balandat and Bakshy, "Differentiable Expected Hypervolume Improvement for Parallel Multi-Objective Bayesian
/// Optimization", NeurIPS 2020).
/// </summary>
internal sealed class ImprovementBoxes
{
    /// <summary>The most boxes a decomposition keeps; beyond, the front is thinned (see <see cref="Create"/>).</summary>
    internal const int MaxBoxes = 20_000;

    private ImprovementBoxes(double[][] grids, double[] lastLower, int[] cells, int count)
    {
        Grids = grids;
        LastLower = lastLower;
        Cells = cells;
        Count = count;
    }

    /// <summary>The objectives.</summary>
    public int Objectives => Grids.Length + 1;

    /// <summary>Per axis but the last, the cut coordinates in increasing order: the reference, the front's coordinates, +∞; interval i is [g[i], g[i+1]].</summary>
    public double[][] Grids { get; }

    /// <summary>The distinct lower bounds of the boxes along the last axis (each box extends to +∞ there).</summary>
    public double[] LastLower { get; }

    /// <summary>Per box, M indices: the interval on each of the first M − 1 axes, then the index of its lower bound in <see cref="LastLower"/>.</summary>
    public int[] Cells { get; }

    /// <summary>The number of boxes.</summary>
    public int Count { get; }

    /// <summary>
    /// The boxes of the improvement region of <paramref name="front"/> (rows of M values, larger is better) above
    /// <paramref name="reference"/>. Points not strictly above the reference in every objective are ignored, as are
    /// dominated ones. When the grid would exceed <see cref="MaxBoxes"/> cells (many objectives or a large front), an
    /// evenly spaced subset of the front (in the order of the first objective) is kept, which overstates the
    /// improvement near the points left out.
    /// </summary>
    public static ImprovementBoxes Create(IReadOnlyList<double[]> front, double[] reference)
    {
        var m = reference.Length;
        if (m < 2)
        {
            throw new ArgumentException($"The reference point has {m} objectives; box decomposition needs at least 2.", nameof(reference));
        }

        var points = NonDominated(front, reference);
        var keep = points.Count;
        while (keep > 1 && Math.Pow(keep + 1, m - 1) > MaxBoxes)
        {
            keep--;
        }

        if (keep < points.Count)
        {
            points.Sort((a, b) => a[0].CompareTo(b[0]));
            var thinned = new List<double[]>(keep);
            for (var i = 0; i < keep; i++)
            {
                thinned.Add(points[(int)((long)i * (points.Count - 1) / Math.Max(1, keep - 1))]);
            }

            points = thinned;
        }

        var grids = new double[m - 1][];
        for (var j = 0; j < m - 1; j++)
        {
            var axis = points.Select(p => p[j]).Append(reference[j]).Distinct().Order().ToList();
            axis.Add(double.PositiveInfinity);
            grids[j] = [.. axis];
        }

        var lastLower = points.Select(p => p[m - 1]).Append(reference[m - 1]).Distinct().Order().ToArray();
        var cellCount = 1;
        foreach (var g in grids)
        {
            cellCount *= g.Length - 1;
        }

        var cells = new int[cellCount * m];
        var index = new int[m - 1];
        for (var c = 0; c < cellCount; c++)
        {
            // The cell's multi-index, first axis fastest.
            var rest = c;
            for (var j = 0; j < m - 1; j++)
            {
                index[j] = rest % (grids[j].Length - 1);
                rest /= grids[j].Length - 1;
            }

            var lower = reference[m - 1];
            foreach (var p in points)
            {
                var dominates = true;
                for (var j = 0; j < m - 1 && dominates; j++)
                {
                    dominates = p[j] >= grids[j][index[j] + 1];
                }

                if (dominates && p[m - 1] > lower)
                {
                    lower = p[m - 1];
                }
            }

            for (var j = 0; j < m - 1; j++)
            {
                cells[(c * m) + j] = index[j];
            }

            cells[(c * m) + m - 1] = Array.BinarySearch(lastLower, lower);
        }

        return new ImprovementBoxes(grids, lastLower, cells, cellCount);
    }

    /// <summary>The hypervolume improvement of <paramref name="y"/>: the volume of the boxes' parts it dominates.</summary>
    public double Improvement(ReadOnlySpan<double> y)
    {
        var m = Objectives;
        var total = 0.0;
        for (var b = 0; b < Count; b++)
        {
            var volume = 1.0;
            for (var j = 0; j < m && volume > 0; j++)
            {
                double lo, hi;
                if (j < m - 1)
                {
                    var i = Cells[(b * m) + j];
                    (lo, hi) = (Grids[j][i], Grids[j][i + 1]);
                }
                else
                {
                    (lo, hi) = (LastLower[Cells[(b * m) + j]], double.PositiveInfinity);
                }

                volume *= Math.Max(0, Math.Min(y[j], hi) - lo);
            }

            total += volume;
        }

        return total;
    }

    private static List<double[]> NonDominated(IReadOnlyList<double[]> front, double[] reference)
    {
        var above = front.Where(p => p.Zip(reference).All(t => t.First > t.Second)).ToList();
        var result = new List<double[]>();
        for (var i = 0; i < above.Count; i++)
        {
            var dominated = false;
            for (var k = 0; k < above.Count && !dominated; k++)
            {
                if (k == i)
                {
                    continue;
                }

                var weakly = true;
                var strictly = false;
                for (var j = 0; j < reference.Length; j++)
                {
                    weakly &= above[k][j] >= above[i][j];
                    strictly |= above[k][j] > above[i][j];
                }

                // A duplicate keeps only its first copy.
                dominated = weakly && (strictly || k < i);
            }

            if (!dominated)
            {
                result.Add(above[i]);
            }
        }

        return result;
    }
}
