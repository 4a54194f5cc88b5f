namespace Hone.Analysis.Importance;

/// <summary>
/// The partition of the search space that one tree's leaves make, written on a grid of "atoms": in each numeric
/// dimension the intervals between consecutive split thresholds of the tree (and the domain's ends), in each
/// categorical dimension its choices. Every leaf's cell covers, in each dimension, a union of consecutive atom
/// ranges, so marginal predictions are sums over leaves on that grid.
/// </summary>
internal sealed class TreePartition
{
    private readonly ImportanceDimension[] _dims;

    public TreePartition(RegressionTree tree, ImportanceDimension[] dims)
    {
        _dims = dims;
        var d = dims.Length;
        var breaks = new List<double>[d];
        for (var j = 0; j < d; j++)
        {
            breaks[j] = dims[j].IsCategorical ? [] : [dims[j].Low, dims[j].High];
        }

        for (var node = 0; node < tree.NodeCount; node++)
        {
            var f = tree.Feature[node];
            if (f >= 0 && !dims[f].IsCategorical)
            {
                breaks[f].Add(Math.Clamp(tree.Threshold[node], dims[f].Low, dims[f].High));
            }
        }

        Breaks = new double[d][];
        AtomWeights = new double[d][];
        for (var j = 0; j < d; j++)
        {
            if (dims[j].IsCategorical)
            {
                AtomWeights[j] = Enumerable.Repeat(1.0 / dims[j].Categories, dims[j].Categories).ToArray();
                Breaks[j] = [];
                continue;
            }

            var sorted = breaks[j].Distinct().Order().ToArray();
            Breaks[j] = sorted;
            var width = dims[j].High - dims[j].Low;
            AtomWeights[j] = new double[sorted.Length - 1];
            for (var k = 0; k + 1 < sorted.Length; k++)
            {
                AtomWeights[j][k] = (sorted[k + 1] - sorted[k]) / width;
            }
        }

        var values = new List<double>();
        var fractions = new List<double>();
        var ranges = new List<int>[d];
        var offsets = new List<int>[d];
        for (var j = 0; j < d; j++)
        {
            ranges[j] = [];
            offsets[j] = [0];
        }

        var low = dims.Select(x => x.Low).ToArray();
        var high = dims.Select(x => x.High).ToArray();
        var choices = dims.Select(x => x.IsCategorical ? Enumerable.Repeat(true, x.Categories).ToArray() : null).ToArray();
        Collect(tree, 0, low, high, choices, values, fractions, ranges, offsets);
        LeafValues = [.. values];
        LeafFractions = [.. fractions];
        Ranges = ranges.Select(r => r.ToArray()).ToArray();
        Offsets = offsets.Select(o => o.ToArray()).ToArray();
        LeafVolumes = new double[LeafValues.Length];
        for (var l = 0; l < LeafValues.Length; l++)
        {
            var v = 1.0;
            for (var j = 0; j < d; j++)
            {
                v *= LeafFractions[(l * d) + j];
            }

            LeafVolumes[l] = v;
        }
    }

    /// <summary>Breaks[d]: the sorted atom boundaries of numeric dimension d (empty for a categorical one).</summary>
    public double[][] Breaks { get; }

    /// <summary>AtomWeights[d][k]: the fraction of dimension d's domain that atom k covers.</summary>
    public double[][] AtomWeights { get; }

    public double[] LeafValues { get; }

    /// <summary>LeafVolumes[l]: the fraction of the whole space that leaf l's cell covers.</summary>
    public double[] LeafVolumes { get; }

    /// <summary>LeafFractions[l·D + d]: the fraction of dimension d's domain that leaf l's cell covers.</summary>
    public double[] LeafFractions { get; }

    /// <summary>Leaf l's atom ranges in dimension d: Ranges[d] from Offsets[d][l] up to Offsets[d][l + 1], as (first, past-last) pairs.</summary>
    public int[][] Ranges { get; }

    public int[][] Offsets { get; }

    public int LeafCount => LeafValues.Length;

    public int AtomCount(int d) => AtomWeights[d].Length;

    private void Collect(
        RegressionTree tree, int node, double[] low, double[] high, bool[]?[] choices,
        List<double> values, List<double> fractions, List<int>[] ranges, List<int>[] offsets)
    {
        if (!tree.IsLeaf(node))
        {
            var f = tree.Feature[node];
            if (tree.LeftChoices[node] is { } left)
            {
                var saved = choices[f]!;
                choices[f] = [.. saved.Select((on, c) => on && left[c])];
                Collect(tree, tree.Left[node], low, high, choices, values, fractions, ranges, offsets);
                choices[f] = [.. saved.Select((on, c) => on && !left[c])];
                Collect(tree, tree.Right[node], low, high, choices, values, fractions, ranges, offsets);
                choices[f] = saved;
            }
            else
            {
                var threshold = Math.Clamp(tree.Threshold[node], _dims[f].Low, _dims[f].High);
                var savedHigh = high[f];
                var savedLow = low[f];
                high[f] = Math.Min(savedHigh, threshold);
                Collect(tree, tree.Left[node], low, high, choices, values, fractions, ranges, offsets);
                high[f] = savedHigh;
                low[f] = Math.Max(savedLow, threshold);
                Collect(tree, tree.Right[node], low, high, choices, values, fractions, ranges, offsets);
                low[f] = savedLow;
            }

            return;
        }

        values.Add(tree.Value[node]);
        for (var j = 0; j < _dims.Length; j++)
        {
            if (choices[j] is { } set)
            {
                var covered = 0;
                for (var c = 0; c < set.Length; c++)
                {
                    if (!set[c])
                    {
                        continue;
                    }

                    var first = c;
                    while (c + 1 < set.Length && set[c + 1])
                    {
                        c++;
                    }

                    ranges[j].Add(first);
                    ranges[j].Add(c + 1);
                    covered += c + 1 - first;
                }

                fractions.Add((double)covered / set.Length);
            }
            else
            {
                var b = Breaks[j];
                var a = Array.BinarySearch(b, low[j]);
                var z = Array.BinarySearch(b, Math.Max(low[j], high[j]));
                ranges[j].Add(a);
                ranges[j].Add(z);
                fractions.Add((high[j] - low[j]) / (_dims[j].High - _dims[j].Low));
            }

            offsets[j].Add(ranges[j].Count);
        }
    }
}
