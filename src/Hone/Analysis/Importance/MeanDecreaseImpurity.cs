namespace Hone.Analysis.Importance;

/// <summary>
/// Mean decrease in impurity (Breiman, "Random Forests", Machine Learning 2001): in each tree, the squared error
/// that the splits on a dimension remove, as a share of all the error the tree's splits remove; averaged over the
/// trees (scikit-learn's feature_importances_, which Optuna's MeanDecreaseImpurityImportanceEvaluator reports).
/// </summary>
internal static class MeanDecreaseImpurity
{
    public static (double[] Mean, double[] Std) Run(RandomForest forest)
    {
        var d = forest.Data.Dimensions.Count;
        var perTree = new List<double[]>();
        foreach (var tree in forest.Trees)
        {
            var decrease = new double[d];
            for (var node = 0; node < tree.NodeCount; node++)
            {
                if (!tree.IsLeaf(node))
                {
                    var removed = tree.SquaredError[node] - tree.SquaredError[tree.Left[node]] - tree.SquaredError[tree.Right[node]];
                    decrease[tree.Feature[node]] += Math.Max(0, removed);
                }
            }

            var total = decrease.Sum();
            if (total > 0)
            {
                perTree.Add([.. decrease.Select(x => x / total)]);
            }
        }

        var mean = new double[d];
        var std = new double[d];
        for (var i = 0; i < d; i++)
        {
            (mean[i], std[i]) = FanovaAnalysis.MeanStd(perTree.Select(t => t[i]));
        }

        return (mean, std);
    }
}
