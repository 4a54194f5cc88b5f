using Hone.Samplers;

namespace Hone.Analysis.Importance;

/// <summary>
/// Grows one <see cref="RegressionTree"/> on a bootstrap sample by greedy variance reduction (CART, Breiman et al.
/// 1984): each node takes the split that most reduces the squared error among a random subset of the dimensions.
/// </summary>
/// <remarks>
/// Numeric dimensions are sorted once per tree; a split partitions each sorted list stably, so finding every split
/// of a level costs time linear in the samples. A categorical dimension's best split into two sets is found by
/// ordering its choices by mean target, which is optimal for squared error (Breiman et al. 1984, theorem 4.5);
/// choices no sample of the node has go with the larger side.
/// </remarks>
internal sealed class TreeGrower
{
    private readonly double[][] _columns;
    private readonly double[] _y;
    private readonly ImportanceDimension[] _dims;
    private readonly int _maxDepth;
    private readonly int _featuresPerNode;
    private readonly SeededRandom _random;

    private readonly int[][] _sorted;
    private readonly int[] _members;
    private readonly int[] _rows;
    private readonly bool[] _left;
    private readonly int[] _buffer;
    private readonly int[] _featureOrder;
    private RegressionTree _tree = null!;

    public TreeGrower(double[][] columns, double[] y, ImportanceDimension[] dims, int maxDepth, double featureFraction, SeededRandom random)
    {
        _columns = columns;
        _y = y;
        _dims = dims;
        _maxDepth = maxDepth;
        _featuresPerNode = Math.Clamp((int)Math.Round(featureFraction * dims.Length), 1, dims.Length);
        _random = random;
        var n = y.Length;
        _rows = new int[n];
        _members = new int[n];
        _left = new bool[n];
        _buffer = new int[n];
        _sorted = new int[dims.Length][];
        _featureOrder = new int[dims.Length];
    }

    /// <summary>Grows a tree on n rows drawn with replacement.</summary>
    public RegressionTree Grow()
    {
        var n = _y.Length;
        for (var s = 0; s < n; s++)
        {
            _rows[s] = _random.NextInt(n);
            _members[s] = s;
        }

        var keys = new double[n];
        for (var d = 0; d < _dims.Length; d++)
        {
            if (_dims[d].IsCategorical)
            {
                continue;
            }

            var order = new int[n];
            for (var s = 0; s < n; s++)
            {
                order[s] = s;
                keys[s] = _columns[d][_rows[s]];
            }

            Array.Sort(keys, order);
            _sorted[d] = order;
        }

        _tree = new RegressionTree(_dims.Length, 2 * n);
        GrowNode(0, n, 0);
        return _tree;
    }

    private int GrowNode(int start, int end, int depth)
    {
        var count = end - start;
        double sum = 0, sumSq = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (var i = start; i < end; i++)
        {
            var v = _y[_rows[_members[i]]];
            sum += v;
            sumSq += v * v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        var mean = sum / count;
        var squaredError = Math.Max(0, sumSq - (sum * mean));
        var node = _tree.AddNode(mean, count, squaredError);
        if (count < 2 || depth >= _maxDepth || min == max)
        {
            return node;
        }

        var split = FindSplit(start, end, sum);
        if (split.Feature < 0)
        {
            return node;
        }

        var leftCount = Partition(start, end, split);
        var left = GrowNode(start, start + leftCount, depth + 1);
        var right = GrowNode(start + leftCount, end, depth + 1);
        _tree.SetSplit(node, split.Feature, split.Threshold, split.LeftChoices, left, right);
        return node;
    }

    private Split FindSplit(int start, int end, double sum)
    {
        for (var d = 0; d < _featureOrder.Length; d++)
        {
            _featureOrder[d] = d;
        }

        var best = new Split(-1, double.NaN, null, double.NegativeInfinity);
        var tried = 0;
        for (var k = 0; k < _featureOrder.Length && tried < _featuresPerNode; k++)
        {
            var pick = k + _random.NextInt(_featureOrder.Length - k);
            (_featureOrder[k], _featureOrder[pick]) = (_featureOrder[pick], _featureOrder[k]);
            var d = _featureOrder[k];
            var candidate = _dims[d].IsCategorical ? BestCategoricalSplit(d, start, end, sum) : BestNumericSplit(d, start, end, sum);
            if (candidate is not { } c)
            {
                continue;
            }

            tried++;
            if (c.Score > best.Score)
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>The best threshold on a numeric dimension, or null when the dimension is constant in the node.</summary>
    private Split? BestNumericSplit(int d, int start, int end, double sum)
    {
        var order = _sorted[d];
        var column = _columns[d];
        var count = end - start;
        if (column[_rows[order[start]]] == column[_rows[order[end - 1]]])
        {
            return null;
        }

        double leftSum = 0, bestScore = double.NegativeInfinity;
        var bestAt = -1;
        for (var i = start; i < end - 1; i++)
        {
            var s = order[i];
            leftSum += _y[_rows[s]];
            var x = column[_rows[s]];
            var next = column[_rows[order[i + 1]]];
            if (x == next)
            {
                continue;
            }

            var nLeft = i - start + 1;
            var nRight = count - nLeft;
            var rightSum = sum - leftSum;
            var score = (leftSum * leftSum / nLeft) + (rightSum * rightSum / nRight);
            if (score > bestScore)
            {
                bestScore = score;
                bestAt = i;
            }
        }

        var a = column[_rows[order[bestAt]]];
        var b = column[_rows[order[bestAt + 1]]];
        var threshold = a + ((b - a) / 2);
        if (threshold >= b)
        {
            threshold = a;
        }

        return new Split(d, threshold, null, bestScore);
    }

    /// <summary>The best split of a categorical dimension's choices into two sets, or null when the node has one choice.</summary>
    private Split? BestCategoricalSplit(int d, int start, int end, double sum)
    {
        var k = _dims[d].Categories;
        var sums = new double[k];
        var counts = new int[k];
        var column = _columns[d];
        for (var i = start; i < end; i++)
        {
            var row = _rows[_members[i]];
            var c = (int)column[row];
            sums[c] += _y[row];
            counts[c]++;
        }

        var present = Enumerable.Range(0, k).Where(c => counts[c] > 0).ToArray();
        if (present.Length < 2)
        {
            return null;
        }

        Array.Sort(present, (p, q) => (sums[p] / counts[p]).CompareTo(sums[q] / counts[q]));
        var count = end - start;
        double leftSum = 0, bestScore = double.NegativeInfinity;
        int nLeft = 0, bestAt = -1, bestLeftCount = 0;
        for (var i = 0; i < present.Length - 1; i++)
        {
            leftSum += sums[present[i]];
            nLeft += counts[present[i]];
            var rightSum = sum - leftSum;
            var score = (leftSum * leftSum / nLeft) + (rightSum * rightSum / (count - nLeft));
            if (score > bestScore)
            {
                bestScore = score;
                bestAt = i;
                bestLeftCount = nLeft;
            }
        }

        var left = new bool[k];
        var absentGoLeft = bestLeftCount * 2 > count;
        for (var c = 0; c < k; c++)
        {
            left[c] = counts[c] == 0 && absentGoLeft;
        }

        for (var i = 0; i <= bestAt; i++)
        {
            left[present[i]] = true;
        }

        return new Split(d, double.NaN, left, bestScore);
    }

    /// <summary>Moves the node's left samples before its right ones in every list, keeping each sorted list sorted; returns the left count.</summary>
    private int Partition(int start, int end, Split split)
    {
        var column = _columns[split.Feature];
        var leftCount = 0;
        for (var i = start; i < end; i++)
        {
            var s = _members[i];
            var x = column[_rows[s]];
            var goesLeft = split.LeftChoices is { } choices ? choices[(int)x] : x <= split.Threshold;
            _left[s] = goesLeft;
            leftCount += goesLeft ? 1 : 0;
        }

        StablePartition(_members, start, end);
        for (var d = 0; d < _sorted.Length; d++)
        {
            if (_sorted[d] is { } order)
            {
                StablePartition(order, start, end);
            }
        }

        return leftCount;
    }

    private void StablePartition(int[] list, int start, int end)
    {
        var l = start;
        var r = 0;
        for (var i = start; i < end; i++)
        {
            var s = list[i];
            if (_left[s])
            {
                list[l++] = s;
            }
            else
            {
                _buffer[r++] = s;
            }
        }

        Array.Copy(_buffer, 0, list, l, r);
    }

    /// <summary>A candidate split; Score is sumL²/nL + sumR²/nR, which grows as the squared error shrinks.</summary>
    private readonly record struct Split(int Feature, double Threshold, bool[]? LeftChoices, double Score);
}
