using Hone.Samplers;

namespace Hone.Analysis.Importance;

/// <summary>
/// A random-forest regression surrogate of the objective (Breiman, "Random Forests", Machine Learning 2001): trees
/// grown on bootstrap samples of the trials, each node choosing its split among a random subset of the dimensions.
/// Numeric dimensions are split at thresholds (log-scaled ones in log space), categorical ones into sets of choices.
/// </summary>
/// <remarks>
/// Tree k draws from its own generator, derived from (seed, k), so the forest depends only on the seed and the data.
/// </remarks>
internal sealed class RandomForest
{
    private RandomForest(ImportanceData data, IReadOnlyList<RegressionTree> trees)
    {
        Data = data;
        Trees = trees;
    }

    public ImportanceData Data { get; }

    public IReadOnlyList<RegressionTree> Trees { get; }

    public static RandomForest Grow(ImportanceData data, ImportanceOptions options, long seed)
    {
        var dims = data.Dimensions.ToArray();
        var trees = new RegressionTree[options.Trees];
        for (var t = 0; t < trees.Length; t++)
        {
            var random = SeededRandom.ForTrial(seed, t, "importance-forest");
            trees[t] = new TreeGrower(data.Columns, data.Targets, dims, options.MaxDepth, options.FeatureFraction, random).Grow();
        }

        return new RandomForest(data, trees);
    }

    /// <summary>The forest's prediction at a point given in model space (the mean of the trees' leaves).</summary>
    public double Predict(ReadOnlySpan<double> x)
    {
        var total = 0.0;
        foreach (var tree in Trees)
        {
            var node = 0;
            while (!tree.IsLeaf(node))
            {
                node = tree.GoesLeft(node, x[tree.Feature[node]]) ? tree.Left[node] : tree.Right[node];
            }

            total += tree.Value[node];
        }

        return total / Trees.Count;
    }
}
