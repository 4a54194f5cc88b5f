using System.Globalization;
using Hone.Bench.Cli;
using Hone.Trials;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Hone.Bench.Commands;

/// <summary>
/// The ML.NET problems of the pruner benchmark (<c>lightgbm</c>, <c>fasttree</c>): a gradient-boosted binary
/// classifier on data/breast_cancer.csv whose fidelity is the number of boosting iterations. One step is
/// <see cref="IterationsPerStep"/> iterations, so a trial of R steps reports the validation log-loss after
/// 10, 20, …, 10·R trees.
/// </summary>
/// <remarks>
/// ML.NET's tree trainers cannot continue a fit, but boosting is sequential: with the same options and seed and no
/// early stopping, the first T trees of a model trained for 2T iterations are the model trained for T iterations.
/// A trial therefore fits with a doubling schedule (10, 20, 40, 80, 160, then the maximum), and between fits reports
/// the staged ensemble — the bias plus the first s weighted trees of its public <see cref="RegressionTreeEnsemble"/>,
/// through the trainer's own Platt calibrator — at every step it has trees for. A pruned trial stops fitting, so its
/// wall time is real: a full trial fits 580 trees for 270 reported (2.15 times a trainer that could continue), a trial
/// pruned just past a doubling up to 3.4 times (step 9: 10 + 20 + 40 + 80 + 160 trees for 90). <see cref="Verify"/> checks both
/// assumptions (the staged scores equal ML.NET's Score and Probability columns; the prefix of a longer fit equals the
/// shorter fit) before a benchmark uses the problem.
/// </remarks>
internal static class BoostingProblem
{
    /// <summary>Boosting iterations per reported step.</summary>
    public const int IterationsPerStep = 10;

    /// <summary>The split of breast_cancer into train and validation rows does not depend on the benchmark seed.</summary>
    private const int SplitSeed = 20260;

    private static readonly Lazy<BoostingData> Data = new(LoadBreastCancer);

    /// <summary>One configuration of the searched hyperparameters (the L2 penalty is LightGbm's only).</summary>
    internal sealed record Config(double LearningRate, int Leaves, int MinLeaf, double FeatureFraction, double L2);

    /// <summary>The objective for <paramref name="trainer"/> ("lightgbm" or "fasttree"); ML.NET seed = the benchmark seed.</summary>
    public static PrunerProblems.Objective Create(string trainer, int seed, int steps)
    {
        var data = Data.Value;
        return (trial, record) =>
        {
            var config = new Config(
                trial.SuggestFloat("learning_rate", 0.005, 0.5, log: true),
                // FastTree is ~10 times slower per tree here than LightGbm, so its range stops at 32 leaves.
                trial.SuggestInt("leaves", 4, trainer == "lightgbm" ? 64 : 32, log: true),
                trial.SuggestInt("min_leaf", 2, 50, log: true),
                trial.SuggestFloat("feature_fraction", 0.3, 1.0),
                trainer == "lightgbm" ? trial.SuggestFloat("l2", 1e-3, 10.0, log: true) : 0.0);
            var ml = new MLContext(seed);
            var train = data.TrainView(ml);
            var maxIterations = steps * IterationsPerStep;
            var scores = new double[data.ValidY.Length];
            var loss = double.NaN;
            var step = 1;
            var fitted = 0;
            var complete = false;
            while (step <= steps)
            {
                // Fit to twice the last length (or the first step, or the maximum), then report every step it covers.
                var iterations = Math.Min(maxIterations, Math.Max(step * IterationsPerStep, 2 * fitted));
                var fit = Fit(trainer, ml, train, config, seed, iterations);
                fitted = iterations;
                var trees = fit.Ensemble.Trees.Select(CompactTree.From).ToArray();
                // LightGbm stops early when no split has positive gain; then the ensemble is final.
                complete |= trees.Length < iterations;
                Array.Clear(scores);
                var used = 0;
                for (; step <= steps && (step * IterationsPerStep <= fitted || complete); step++)
                {
                    var upTo = Math.Min(step * IterationsPerStep, trees.Length);
                    AddTrees(data.ValidX, scores, trees, fit.Ensemble.TreeWeights, used, upTo);
                    used = upTo;
                    loss = LogLoss(scores, fit.Ensemble.Bias, fit.Calibrator, data.ValidY);
                    trial.Report(loss, step);
                    if (trial.ShouldPrune())
                    {
                        record(step, null);
                        throw new TrialPrunedException();
                    }
                }
            }

            record(steps, loss);
            return loss;
        };
    }

    /// <summary>
    /// Checks the two assumptions of the staged evaluation on a few configurations and throws when either fails:
    /// at the full length the staged scores and probabilities equal ML.NET's Score and Probability columns
    /// (to 1e-5, relative for large scores), and the first T trees of a 2T-iteration fit equal the T-iteration fit
    /// (same splits and leaf values, and the same scores to 1e-5). Returns a one-line summary of the largest differences.
    /// </summary>
    public static string Verify(string trainer, int seed)
    {
        var data = Data.Value;
        Config[] configs =
        [
            new(0.1, 16, 10, 1.0, 0.01),
            new(0.03, 31, 3, 0.5, 1.0),
            new(0.3, 6, 20, 0.8, 0.001),
        ];
        var maxScoreDiff = 0.0;
        var maxProbDiff = 0.0;
        var maxPrefixDiff = 0.0;
        foreach (var config in configs)
        {
            var ml = new MLContext(seed);
            var train = data.TrainView(ml);
            var valid = data.ValidView(ml);
            const int T = 40;
            var shortFit = Fit(trainer, ml, train, config, seed, T);
            var longFit = Fit(trainer, ml, train, config, seed, 2 * T);
            foreach (var fit in new[] { shortFit, longFit })
            {
                var (score, probability) = MLNetOutputs(fit.Model, valid);
                var staged = StagedScores(data, fit, fit.Ensemble.Trees.Count);
                for (var i = 0; i < staged.Length; i++)
                {
                    maxScoreDiff = Math.Max(maxScoreDiff, Math.Abs(staged[i] - score[i]) / Math.Max(1.0, Math.Abs(score[i])));
                    maxProbDiff = Math.Max(maxProbDiff, Math.Abs(fit.Calibrator.PredictProbability((float)staged[i]) - probability[i]));
                }
            }

            var (shortScore, _) = MLNetOutputs(shortFit.Model, valid);
            var prefix = StagedScores(data, longFit, shortFit.Ensemble.Trees.Count);
            for (var i = 0; i < prefix.Length; i++)
            {
                maxPrefixDiff = Math.Max(maxPrefixDiff, Math.Abs(prefix[i] - shortScore[i]) / Math.Max(1.0, Math.Abs(shortScore[i])));
            }

            if (shortFit.Ensemble.Trees.Count != T || longFit.Ensemble.Trees.Count != 2 * T)
            {
                throw new InvalidOperationException(
                    $"{trainer} {config}: expected {T} and {2 * T} trees, got {shortFit.Ensemble.Trees.Count} and {longFit.Ensemble.Trees.Count}.");
            }

            for (var t = 0; t < T; t++)
            {
                if (!SameTree(shortFit.Ensemble.Trees[t], longFit.Ensemble.Trees[t]) ||
                    shortFit.Ensemble.TreeWeights[t] != longFit.Ensemble.TreeWeights[t])
                {
                    throw new InvalidOperationException(
                        $"{trainer} {config}: tree {t} of the {2 * T}-iteration fit differs from the {T}-iteration fit, so staged values are not those of shorter fits.");
                }
            }
        }

        if (maxScoreDiff > 1e-5 || maxProbDiff > 1e-5 || maxPrefixDiff > 1e-5)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{trainer}: staged evaluation disagrees with ML.NET (score {maxScoreDiff:g3}, probability {maxProbDiff:g3}, prefix {maxPrefixDiff:g3}; tolerance 1e-5)."));
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{trainer}: staged evaluation checked on {configs.Length} configurations: |score − ML.NET Score| ≤ {maxScoreDiff:g2}, " +
            $"|probability − ML.NET Probability| ≤ {maxProbDiff:g2}, first 40 of 80 trees = 40-iteration fit (score diff ≤ {maxPrefixDiff:g2})");
    }

    private sealed record Fitted(ITransformer Model, RegressionTreeEnsemble Ensemble, PlattCalibrator Calibrator);

    private static Fitted Fit(string trainer, MLContext ml, IDataView train, Config c, int seed, int iterations)
    {
        switch (trainer)
        {
            case "lightgbm":
                {
                    var model = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
                    {
                        NumberOfIterations = iterations,
                        LearningRate = c.LearningRate,
                        NumberOfLeaves = c.Leaves,
                        MinimumExampleCountPerLeaf = c.MinLeaf,
                        Booster = new GradientBooster.Options { L2Regularization = c.L2, FeatureFraction = c.FeatureFraction },
                        Seed = seed,
                        NumberOfThreads = 1,
                        Silent = true,
                    }).Fit(train);
                    return new Fitted(model, model.Model.SubModel.TrainedTreeEnsemble, model.Model.Calibrator);
                }

            case "fasttree":
                {
                    var model = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
                    {
                        NumberOfTrees = iterations,
                        LearningRate = c.LearningRate,
                        NumberOfLeaves = c.Leaves,
                        MinimumExampleCountPerLeaf = c.MinLeaf,
                        FeatureFraction = c.FeatureFraction,
                        Seed = seed,
                        // ML.NET's default thread count: its one-thread path was 2–4 times slower here.
                    }).Fit(train);
                    return new Fitted(model, model.Model.SubModel.TrainedTreeEnsemble, model.Model.Calibrator);
                }

            default:
                throw new UsageException($"Unknown boosting trainer \"{trainer}\".");
        }
    }

    /// <summary>ML.NET's own Score and Probability columns for the validation rows.</summary>
    private static (float[] Score, float[] Probability) MLNetOutputs(ITransformer model, IDataView valid)
    {
        var scored = model.Transform(valid);
        return (
            [.. scored.GetColumn<float>(scored.Schema["Score"])],
            [.. scored.GetColumn<float>(scored.Schema["Probability"])]);
    }

    private static double[] StagedScores(BoostingData data, Fitted fit, int treeCount)
    {
        var scores = new double[data.ValidY.Length];
        var trees = fit.Ensemble.Trees.Take(treeCount).Select(CompactTree.From).ToArray();
        AddTrees(data.ValidX, scores, trees, fit.Ensemble.TreeWeights, 0, trees.Length);
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] += fit.Ensemble.Bias;
        }

        return scores;
    }

    private static void AddTrees(float[][] x, double[] scores, CompactTree[] trees, IReadOnlyList<double> weights, int from, int to)
    {
        for (var t = from; t < to; t++)
        {
            var tree = trees[t];
            var weight = weights[t];
            for (var i = 0; i < x.Length; i++)
            {
                scores[i] += weight * tree.Output(x[i]);
            }
        }
    }

    /// <summary>Mean validation log-loss of probabilities clipped to [1e-15, 1 − 1e-15].</summary>
    private static double LogLoss(double[] scores, double bias, PlattCalibrator calibrator, bool[] labels)
    {
        var total = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            var p = Math.Clamp((double)calibrator.PredictProbability((float)(scores[i] + bias)), 1e-15, 1 - 1e-15);
            total -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }

        return total / scores.Length;
    }

    private static bool SameTree(RegressionTree a, RegressionTree b) =>
        a.LeftChild.SequenceEqual(b.LeftChild) && a.RightChild.SequenceEqual(b.RightChild) &&
        a.NumericalSplitFeatureIndexes.SequenceEqual(b.NumericalSplitFeatureIndexes) &&
        a.NumericalSplitThresholds.SequenceEqual(b.NumericalSplitThresholds) &&
        a.LeafValues.SequenceEqual(b.LeafValues);

    /// <summary>
    /// A regression tree copied into arrays for fast evaluation: node i sends x left when
    /// x[feature[i]] ≤ threshold[i]; a negative child c is the leaf ~c; a tree without nodes is one leaf.
    /// </summary>
    private sealed class CompactTree
    {
        private readonly int[] _left;
        private readonly int[] _right;
        private readonly int[] _feature;
        private readonly float[] _threshold;
        private readonly double[] _leaf;

        private CompactTree(int[] left, int[] right, int[] feature, float[] threshold, double[] leaf)
        {
            _left = left;
            _right = right;
            _feature = feature;
            _threshold = threshold;
            _leaf = leaf;
        }

        public static CompactTree From(RegressionTree tree)
        {
            if (tree.CategoricalSplitFlags.Any(f => f))
            {
                throw new InvalidOperationException("A tree has a categorical split; the staged evaluator reads numerical splits only.");
            }

            return new CompactTree([.. tree.LeftChild], [.. tree.RightChild], [.. tree.NumericalSplitFeatureIndexes],
                [.. tree.NumericalSplitThresholds], [.. tree.LeafValues]);
        }

        public double Output(float[] x)
        {
            if (_left.Length == 0)
            {
                return _leaf[0];
            }

            var node = 0;
            while (node >= 0)
            {
                node = x[_feature[node]] <= _threshold[node] ? _left[node] : _right[node];
            }

            return _leaf[~node];
        }
    }

    /// <summary>breast_cancer split once: 70% of the rows (shuffled with a fixed seed) train, the rest validate.</summary>
    private sealed record BoostingData(float[][] TrainX, bool[] TrainY, float[][] ValidX, bool[] ValidY)
    {
        public IDataView TrainView(MLContext ml) => View(ml, TrainX, TrainY);

        public IDataView ValidView(MLContext ml) => View(ml, ValidX, ValidY);

        private static IDataView View(MLContext ml, float[][] x, bool[] y)
        {
            var schema = SchemaDefinition.Create(typeof(BinaryRow));
            schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, x[0].Length);
            return ml.Data.LoadFromEnumerable(x.Select((row, i) => new BinaryRow { Features = row, Label = y[i] }).ToList(), schema);
        }
    }

    /// <summary>One ML.NET input row: the feature vector and the binary label.</summary>
    private sealed class BinaryRow
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    /// <summary>
    /// data/breast_cancer.csv (scikit-learn layout: a first line "569,30,malignant,benign", then 30 features and the
    /// class per row; label = class 1, benign).
    /// </summary>
    private static BoostingData LoadBreastCancer()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "data", "breast_cancer.csv"))
            .Skip(1).Where(l => l.Length > 0).ToArray();
        var x = new float[lines.Length][];
        var y = new bool[lines.Length];
        for (var r = 0; r < lines.Length; r++)
        {
            var cells = lines[r].Split(',');
            x[r] = [.. cells.Take(cells.Length - 1).Select(c => float.Parse(c, CultureInfo.InvariantCulture))];
            y[r] = double.Parse(cells[^1], CultureInfo.InvariantCulture) > 0.5;
        }

        var order = Enumerable.Range(0, lines.Length).ToArray();
        new Random(SplitSeed).Shuffle(order);
        var trainCount = (int)Math.Round(0.7 * lines.Length);
        var train = order.Take(trainCount).ToArray();
        var valid = order.Skip(trainCount).ToArray();
        return new BoostingData([.. train.Select(i => x[i])], [.. train.Select(i => y[i])], [.. valid.Select(i => x[i])], [.. valid.Select(i => y[i])]);
    }
}
