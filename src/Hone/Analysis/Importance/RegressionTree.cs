namespace Hone.Analysis.Importance;

/// <summary>
/// One tree of the forest: a binary tree whose internal nodes split a numeric dimension at a threshold (left when
/// x ≤ threshold) or a categorical dimension into two sets of choices, and whose leaves predict the mean target of
/// their training samples. Nodes are numbered in depth-first order from the root, 0.
/// </summary>
internal sealed class RegressionTree
{
    internal RegressionTree(int dimensions, int capacity)
    {
        Dimensions = dimensions;
        Feature = new List<int>(capacity);
        Threshold = new List<double>(capacity);
        LeftChoices = new List<bool[]?>(capacity);
        Left = new List<int>(capacity);
        Right = new List<int>(capacity);
        Value = new List<double>(capacity);
        Weight = new List<double>(capacity);
        SquaredError = new List<double>(capacity);
    }

    public int Dimensions { get; }

    /// <summary>The split dimension of each node, or -1 for a leaf.</summary>
    public List<int> Feature { get; }

    public List<double> Threshold { get; }

    /// <summary>For a categorical split: which choices go left.</summary>
    public List<bool[]?> LeftChoices { get; }

    public List<int> Left { get; }

    public List<int> Right { get; }

    /// <summary>The mean target of the node's training samples (the prediction of a leaf).</summary>
    public List<double> Value { get; }

    /// <summary>The node's number of training samples, bootstrap repeats counted.</summary>
    public List<double> Weight { get; }

    /// <summary>The sum of squared deviations of the node's targets from their mean (the impurity times the weight).</summary>
    public List<double> SquaredError { get; }

    public int NodeCount => Feature.Count;

    public bool IsLeaf(int node) => Feature[node] < 0;

    /// <summary>Whether a sample with this value of the node's split dimension goes left.</summary>
    public bool GoesLeft(int node, double x) => LeftChoices[node] is { } left ? left[(int)x] : x <= Threshold[node];

    internal int AddNode(double value, double weight, double squaredError)
    {
        Feature.Add(-1);
        Threshold.Add(double.NaN);
        LeftChoices.Add(null);
        Left.Add(-1);
        Right.Add(-1);
        Value.Add(value);
        Weight.Add(weight);
        SquaredError.Add(squaredError);
        return Feature.Count - 1;
    }

    internal void SetSplit(int node, int feature, double threshold, bool[]? leftChoices, int left, int right)
    {
        Feature[node] = feature;
        Threshold[node] = threshold;
        LeftChoices[node] = leftChoices;
        Left[node] = left;
        Right[node] = right;
    }
}
