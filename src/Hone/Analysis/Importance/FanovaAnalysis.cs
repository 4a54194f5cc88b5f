namespace Hone.Analysis.Importance;

/// <summary>
/// fANOVA (Hutter, Hoos and Leyton-Brown, "An Efficient Approach for Assessing Hyperparameter Importance", ICML
/// 2014) on each tree of a <see cref="RandomForest"/>: the tree's prediction is a function on the search space
/// (uniform measure; log-scaled ranges in log space, categoricals uniform over choices), constant on each leaf's cell.
/// Its variance, and the variances of its marginals over one and two dimensions, are computed exactly from the
/// cells and their volumes (the paper's theorem 2), without sampling.
/// </summary>
/// <remarks>
/// The fraction of a tree's variance explained by dimension i alone is Var(a_i) / Var(f), where a_i(x_i) is the
/// prediction averaged over every other dimension; a pair's interaction is Var(a_ij) − Var(a_i) − Var(a_j). Both
/// are averaged over the trees whose prediction varies, with their standard deviation across those trees.
/// </remarks>
internal static class FanovaAnalysis
{
    public static (double[] MainMean, double[] MainStd, double[,] PairMean, double[,] PairStd, int Trees) Run(RandomForest forest, bool interactions)
    {
        var dims = forest.Data.Dimensions.ToArray();
        var d = dims.Length;
        var main = new List<double[]>();
        var pairs = new List<double[,]>();
        var grid = Array.Empty<double>();
        foreach (var tree in forest.Trees)
        {
            var partition = new TreePartition(tree, dims);
            var (mean, total) = TotalVariance(partition);
            if (!(total > 0))
            {
                continue;
            }

            var marginals = new double[d];
            for (var i = 0; i < d; i++)
            {
                marginals[i] = MainVariance(partition, i, mean);
            }

            main.Add([.. marginals.Select(v => Math.Clamp(v / total, 0, 1))]);
            if (interactions)
            {
                var pair = new double[d, d];
                for (var i = 0; i < d; i++)
                {
                    for (var j = i + 1; j < d; j++)
                    {
                        var size = (partition.AtomCount(i) + 1) * (partition.AtomCount(j) + 1);
                        if (grid.Length < size)
                        {
                            grid = new double[size];
                        }

                        var joint = PairVariance(partition, i, j, mean, grid.AsSpan(0, size));
                        pair[i, j] = pair[j, i] = Math.Clamp((joint - marginals[i] - marginals[j]) / total, 0, 1);
                    }
                }

                pairs.Add(pair);
            }
        }

        var mainMean = new double[d];
        var mainStd = new double[d];
        for (var i = 0; i < d; i++)
        {
            (mainMean[i], mainStd[i]) = MeanStd(main.Select(m => m[i]));
        }

        var pairMean = new double[d, d];
        var pairStd = new double[d, d];
        for (var i = 0; i < d && pairs.Count > 0; i++)
        {
            for (var j = i + 1; j < d; j++)
            {
                (pairMean[i, j], pairStd[i, j]) = MeanStd(pairs.Select(p => p[i, j]));
                (pairMean[j, i], pairStd[j, i]) = (pairMean[i, j], pairStd[i, j]);
            }
        }

        return (mainMean, mainStd, pairMean, pairStd, main.Count);
    }

    /// <summary>The mean and population standard deviation (0 and 0 for no values).</summary>
    internal static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        var list = values as IReadOnlyList<double> ?? values.ToList();
        if (list.Count == 0)
        {
            return (0, 0);
        }

        var mean = list.Average();
        var variance = list.Sum(v => (v - mean) * (v - mean)) / list.Count;
        return (mean, Math.Sqrt(variance));
    }

    private static (double Mean, double Variance) TotalVariance(TreePartition p)
    {
        var mean = 0.0;
        for (var l = 0; l < p.LeafCount; l++)
        {
            mean += p.LeafVolumes[l] * p.LeafValues[l];
        }

        var variance = 0.0;
        for (var l = 0; l < p.LeafCount; l++)
        {
            var dev = p.LeafValues[l] - mean;
            variance += p.LeafVolumes[l] * dev * dev;
        }

        return (mean, variance);
    }

    /// <summary>Var(a_i): the variance of the prediction averaged over every dimension but i.</summary>
    private static double MainVariance(TreePartition p, int i, double mean)
    {
        var d = p.Breaks.Length;
        var atoms = p.AtomCount(i);
        var marginal = new double[atoms + 1];
        var ranges = p.Ranges[i];
        var offsets = p.Offsets[i];
        for (var l = 0; l < p.LeafCount; l++)
        {
            var fraction = p.LeafFractions[(l * d) + i];
            if (p.LeafVolumes[l] == 0 || fraction == 0)
            {
                continue;
            }

            var c = p.LeafValues[l] * p.LeafVolumes[l] / fraction;
            for (var r = offsets[l]; r < offsets[l + 1]; r += 2)
            {
                marginal[ranges[r]] += c;
                marginal[ranges[r + 1]] -= c;
            }
        }

        var weights = p.AtomWeights[i];
        var running = 0.0;
        var variance = 0.0;
        for (var k = 0; k < atoms; k++)
        {
            running += marginal[k];
            var dev = running - mean;
            variance += weights[k] * dev * dev;
        }

        return variance;
    }

    /// <summary>
    /// Var(a_ij): the variance of the prediction averaged over every dimension but i and j. The grid is scratch space of
    /// (atoms_i + 1) · (atoms_j + 1) values, reused across pairs and trees.
    /// </summary>
    private static double PairVariance(TreePartition p, int i, int j, double mean, Span<double> grid)
    {
        var d = p.Breaks.Length;
        int ni = p.AtomCount(i), nj = p.AtomCount(j);
        var stride = nj + 1;
        grid.Clear();
        int[] ri = p.Ranges[i], rj = p.Ranges[j], oi = p.Offsets[i], oj = p.Offsets[j];
        for (var l = 0; l < p.LeafCount; l++)
        {
            var fi = p.LeafFractions[(l * d) + i];
            var fj = p.LeafFractions[(l * d) + j];
            if (p.LeafVolumes[l] == 0 || fi == 0 || fj == 0)
            {
                continue;
            }

            var c = p.LeafValues[l] * p.LeafVolumes[l] / (fi * fj);
            for (var a = oi[l]; a < oi[l + 1]; a += 2)
            {
                for (var b = oj[l]; b < oj[l + 1]; b += 2)
                {
                    grid[(ri[a] * stride) + rj[b]] += c;
                    grid[(ri[a] * stride) + rj[b + 1]] -= c;
                    grid[(ri[a + 1] * stride) + rj[b]] -= c;
                    grid[(ri[a + 1] * stride) + rj[b + 1]] += c;
                }
            }
        }

        for (var k = 0; k <= ni; k++)
        {
            var row = k * stride;
            for (var m = 1; m <= nj; m++)
            {
                grid[row + m] += grid[row + m - 1];
            }
        }

        for (var k = 1; k <= ni; k++)
        {
            var row = k * stride;
            for (var m = 0; m <= nj; m++)
            {
                grid[row + m] += grid[row - stride + m];
            }
        }

        double[] wi = p.AtomWeights[i], wj = p.AtomWeights[j];
        var variance = 0.0;
        for (var k = 0; k < ni; k++)
        {
            var row = k * stride;
            var inner = 0.0;
            for (var m = 0; m < nj; m++)
            {
                var dev = grid[row + m] - mean;
                inner += wj[m] * dev * dev;
            }

            variance += wi[k] * inner;
        }

        return variance;
    }
}
