using System.Globalization;
using Hone.Distributions;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Hone.MLNet.SearchSpaces;

/// <summary>
/// Ready search spaces for ML.NET's common trainers. Ranges follow the trainers' documentation and usual
/// practice (log scale for counts, rates and regularization that act multiplicatively); each range holds
/// the documented default. Trainers run single-threaded (small data; parallel trials are the faster way to
/// use cores) and deterministically given the MLContext seed.
/// </summary>
public static class TrainerSearchSpaces
{
    private const string Label = "Label";
    private const string Features = "Features";

    /// <summary>The names of the trainers ready for a task, in the order <see cref="For(TuningTask)"/> returns them.</summary>
    public static IReadOnlyList<string> Names(TuningTask task) => For(task).Select(s => s.Name).ToArray();

    /// <summary>Every ready search space for a task.</summary>
    public static IReadOnlyList<TrainerSearchSpace> For(TuningTask task) => task switch
    {
        TuningTask.BinaryClassification =>
            [LightGbm(task), FastTree(task), FastForest(task), Sdca(task), Lbfgs(task)],
        TuningTask.MulticlassClassification =>
            [LightGbm(task), FastTree(task), FastForest(task), Sdca(task), Lbfgs(task)],
        _ => [LightGbm(task), FastTree(task), FastForest(task), Sdca(task), OnlineGradientDescent(), LbfgsPoisson()],
    };

    /// <summary>The search spaces with the given names (case-insensitive), in the given order.</summary>
    /// <exception cref="ArgumentException">A name is not a trainer for the task.</exception>
    public static IReadOnlyList<TrainerSearchSpace> For(TuningTask task, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var all = For(task);
        var result = new List<TrainerSearchSpace>();
        foreach (var name in names)
        {
            var space = all.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException(
                    $"Unknown trainer \"{name}\" for task {task.ShortName()}; choose from {string.Join(", ", all.Select(s => s.Name))}.", nameof(names));
            result.Add(space);
        }

        return result;
    }

    /// <summary>
    /// LightGBM (gradient-boosted trees): NumberOfLeaves 4–128 (log, LightGBM default 31), LearningRate 0.01–0.3
    /// (log, 0.1), NumberOfIterations 20–400 (log, ML.NET default 100), MinimumExampleCountPerLeaf 2–50 (log, 20),
    /// FeatureFraction 0.5–1 (1), L2Regularization 0.001–10 (log, ML.NET default 0.01). Multiclass uses LightGBM's
    /// multiclass objective. ML.NET picks leaves, learning rate and leaf size from the data when they are not set.
    /// </summary>
    public static TrainerSearchSpace LightGbm(TuningTask task)
    {
        HyperParameter[] parameters =
        [
            new("NumberOfLeaves", new IntDistribution(4, 128, log: true), 31) { CostGrowsWithValue = true },
            new("LearningRate", new FloatDistribution(0.01, 0.3, log: true), 0.1),
            new("NumberOfIterations", new IntDistribution(20, 400, log: true), 100) { CostGrowsWithValue = true },
            new("MinimumExampleCountPerLeaf", new IntDistribution(2, 50, log: true), 20),
            new("FeatureFraction", new FloatDistribution(0.5, 1.0), 1.0),
            new("L2Regularization", new FloatDistribution(0.001, 10, log: true), 0.01),
        ];
        return new TrainerSearchSpace("LightGbm", task, parameters, (ml, p) =>
        {
            var v = new Values(p);
            GradientBooster.Options Booster()
            {
                var b = new GradientBooster.Options();
                b.FeatureFraction = v.Double("FeatureFraction", b.FeatureFraction);
                b.L2Regularization = v.Double("L2Regularization", b.L2Regularization);
                return b;
            }

            switch (task)
            {
                case TuningTask.BinaryClassification:
                    {
                        var o = new LightGbmBinaryTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features, NumberOfThreads = 1, Booster = Booster() };
                        o.NumberOfLeaves = v.Int("NumberOfLeaves", o.NumberOfLeaves);
                        o.LearningRate = v.Double("LearningRate", o.LearningRate);
                        o.NumberOfIterations = v.Int("NumberOfIterations", o.NumberOfIterations);
                        o.MinimumExampleCountPerLeaf = v.Int("MinimumExampleCountPerLeaf", o.MinimumExampleCountPerLeaf);
                        return ml.BinaryClassification.Trainers.LightGbm(o);
                    }

                case TuningTask.MulticlassClassification:
                    {
                        var o = new LightGbmMulticlassTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features, NumberOfThreads = 1, Booster = Booster() };
                        o.NumberOfLeaves = v.Int("NumberOfLeaves", o.NumberOfLeaves);
                        o.LearningRate = v.Double("LearningRate", o.LearningRate);
                        o.NumberOfIterations = v.Int("NumberOfIterations", o.NumberOfIterations);
                        o.MinimumExampleCountPerLeaf = v.Int("MinimumExampleCountPerLeaf", o.MinimumExampleCountPerLeaf);
                        return ml.MulticlassClassification.Trainers.LightGbm(o);
                    }

                default:
                    {
                        var o = new LightGbmRegressionTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features, NumberOfThreads = 1, Booster = Booster() };
                        o.NumberOfLeaves = v.Int("NumberOfLeaves", o.NumberOfLeaves);
                        o.LearningRate = v.Double("LearningRate", o.LearningRate);
                        o.NumberOfIterations = v.Int("NumberOfIterations", o.NumberOfIterations);
                        o.MinimumExampleCountPerLeaf = v.Int("MinimumExampleCountPerLeaf", o.MinimumExampleCountPerLeaf);
                        return ml.Regression.Trainers.LightGbm(o);
                    }
            }
        });
    }

    /// <summary>
    /// FastTree (ML.NET's boosted trees, MART): NumberOfLeaves 4–64 (log, default 20), NumberOfTrees 20–400 (log, 100),
    /// LearningRate 0.01–0.5 (log, 0.2), MinimumExampleCountPerLeaf 2–50 (log, 10), FeatureFraction 0.5–1 (1).
    /// Multiclass trains one binary model per class (one-versus-all).
    /// </summary>
    public static TrainerSearchSpace FastTree(TuningTask task)
    {
        HyperParameter[] parameters =
        [
            new("NumberOfLeaves", new IntDistribution(4, 64, log: true), 20) { CostGrowsWithValue = true },
            new("NumberOfTrees", new IntDistribution(20, 400, log: true), 100) { CostGrowsWithValue = true },
            new("LearningRate", new FloatDistribution(0.01, 0.5, log: true), 0.2),
            new("MinimumExampleCountPerLeaf", new IntDistribution(2, 50, log: true), 10),
            new("FeatureFraction", new FloatDistribution(0.5, 1.0), 1.0),
        ];
        return new TrainerSearchSpace("FastTree", task, parameters, (ml, p) =>
        {
            var v = new Values(p);
            if (task == TuningTask.Regression)
            {
                var r = new FastTreeRegressionTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features, NumberOfThreads = 1 };
                r.NumberOfLeaves = v.Int("NumberOfLeaves", r.NumberOfLeaves);
                r.NumberOfTrees = v.Int("NumberOfTrees", r.NumberOfTrees);
                r.LearningRate = v.Double("LearningRate", r.LearningRate);
                r.MinimumExampleCountPerLeaf = v.Int("MinimumExampleCountPerLeaf", r.MinimumExampleCountPerLeaf);
                r.FeatureFraction = v.Double("FeatureFraction", r.FeatureFraction);
                return ml.Regression.Trainers.FastTree(r);
            }

            var o = new FastTreeBinaryTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features, NumberOfThreads = 1 };
            o.NumberOfLeaves = v.Int("NumberOfLeaves", o.NumberOfLeaves);
            o.NumberOfTrees = v.Int("NumberOfTrees", o.NumberOfTrees);
            o.LearningRate = v.Double("LearningRate", o.LearningRate);
            o.MinimumExampleCountPerLeaf = v.Int("MinimumExampleCountPerLeaf", o.MinimumExampleCountPerLeaf);
            o.FeatureFraction = v.Double("FeatureFraction", o.FeatureFraction);
            var binary = ml.BinaryClassification.Trainers.FastTree(o);
            return task == TuningTask.BinaryClassification
                ? binary
                : ml.MulticlassClassification.Trainers.OneVersusAll(binary, labelColumnName: Label);
        });
    }

    /// <summary>
    /// FastForest (random forest): NumberOfLeaves 4–64 (log, default 20), NumberOfTrees 20–300 (log, 100),
    /// MinimumExampleCountPerLeaf 1–50 (log, 10), FeatureFraction 0.3–1 (0.7), BaggingExampleFraction 0.5–1 (0.7).
    /// Binary scores are Platt-calibrated so that log-loss is defined; multiclass is one-versus-all.
    /// </summary>
    public static TrainerSearchSpace FastForest(TuningTask task)
    {
        HyperParameter[] parameters =
        [
            new("NumberOfLeaves", new IntDistribution(4, 64, log: true), 20) { CostGrowsWithValue = true },
            new("NumberOfTrees", new IntDistribution(20, 300, log: true), 100) { CostGrowsWithValue = true },
            new("MinimumExampleCountPerLeaf", new IntDistribution(1, 50, log: true), 10),
            new("FeatureFraction", new FloatDistribution(0.3, 1.0), 0.7),
            new("BaggingExampleFraction", new FloatDistribution(0.5, 1.0), 0.7),
        ];
        return new TrainerSearchSpace("FastForest", task, parameters, (ml, p) =>
        {
            var v = new Values(p);
            if (task == TuningTask.Regression)
            {
                var r = new FastForestRegressionTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features, NumberOfThreads = 1 };
                r.NumberOfLeaves = v.Int("NumberOfLeaves", r.NumberOfLeaves);
                r.NumberOfTrees = v.Int("NumberOfTrees", r.NumberOfTrees);
                r.MinimumExampleCountPerLeaf = v.Int("MinimumExampleCountPerLeaf", r.MinimumExampleCountPerLeaf);
                r.FeatureFraction = v.Double("FeatureFraction", r.FeatureFraction);
                r.BaggingExampleFraction = v.Double("BaggingExampleFraction", r.BaggingExampleFraction);
                return ml.Regression.Trainers.FastForest(r);
            }

            var o = new FastForestBinaryTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features, NumberOfThreads = 1 };
            o.NumberOfLeaves = v.Int("NumberOfLeaves", o.NumberOfLeaves);
            o.NumberOfTrees = v.Int("NumberOfTrees", o.NumberOfTrees);
            o.MinimumExampleCountPerLeaf = v.Int("MinimumExampleCountPerLeaf", o.MinimumExampleCountPerLeaf);
            o.FeatureFraction = v.Double("FeatureFraction", o.FeatureFraction);
            o.BaggingExampleFraction = v.Double("BaggingExampleFraction", o.BaggingExampleFraction);
            var binary = ml.BinaryClassification.Trainers.FastForest(o);
            return task == TuningTask.BinaryClassification
                ? binary.Append(ml.BinaryClassification.Calibrators.Platt(labelColumnName: Label))
                : ml.MulticlassClassification.Trainers.OneVersusAll(binary, labelColumnName: Label);
        });
    }

    /// <summary>
    /// SDCA (stochastic dual coordinate ascent; SdcaLogisticRegression, SdcaMaximumEntropy or Sdca regression) on
    /// min–max normalized features: L2Regularization 1e-6–1 (log), L1Regularization 1e-6–1 (log),
    /// MaximumNumberOfIterations 5–200 (log). ML.NET's defaults for all three depend on the data ("auto").
    /// </summary>
    public static TrainerSearchSpace Sdca(TuningTask task)
    {
        HyperParameter[] parameters =
        [
            new("L2Regularization", new FloatDistribution(1e-6, 1, log: true), null),
            new("L1Regularization", new FloatDistribution(1e-6, 1, log: true), null),
            new("MaximumNumberOfIterations", new IntDistribution(5, 200, log: true), null) { CostGrowsWithValue = true },
        ];
        var name = task switch
        {
            TuningTask.BinaryClassification => "SdcaLogisticRegression",
            TuningTask.MulticlassClassification => "SdcaMaximumEntropy",
            _ => "Sdca",
        };
        return TrainerSearchSpace.Linear(name, task, parameters, (ml, p) =>
        {
            var v = new Values(p);
            switch (task)
            {
                case TuningTask.BinaryClassification:
                    {
                        var o = new SdcaLogisticRegressionBinaryTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features, NumberOfThreads = 1 };
                        o.L2Regularization = v.Float("L2Regularization", o.L2Regularization);
                        o.L1Regularization = v.Float("L1Regularization", o.L1Regularization);
                        o.MaximumNumberOfIterations = v.Int("MaximumNumberOfIterations", o.MaximumNumberOfIterations);
                        return ml.BinaryClassification.Trainers.SdcaLogisticRegression(o);
                    }

                case TuningTask.MulticlassClassification:
                    {
                        var o = new SdcaMaximumEntropyMulticlassTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features, NumberOfThreads = 1 };
                        o.L2Regularization = v.Float("L2Regularization", o.L2Regularization);
                        o.L1Regularization = v.Float("L1Regularization", o.L1Regularization);
                        o.MaximumNumberOfIterations = v.Int("MaximumNumberOfIterations", o.MaximumNumberOfIterations);
                        return ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(o);
                    }

                default:
                    {
                        var o = new SdcaRegressionTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features, NumberOfThreads = 1 };
                        o.L2Regularization = v.Float("L2Regularization", o.L2Regularization);
                        o.L1Regularization = v.Float("L1Regularization", o.L1Regularization);
                        o.MaximumNumberOfIterations = v.Int("MaximumNumberOfIterations", o.MaximumNumberOfIterations);
                        return ml.Regression.Trainers.Sdca(o);
                    }
            }
        });
    }

    /// <summary>
    /// L-BFGS (LbfgsLogisticRegression or LbfgsMaximumEntropy) on min–max normalized features: L2Regularization
    /// 1e-4–10 (log, default 1), L1Regularization 1e-4–10 (log, 1), OptimizationTolerance 1e-7–1e-3 (log, 1e-7),
    /// HistorySize 5–50 (log, 20). Classification only.
    /// </summary>
    public static TrainerSearchSpace Lbfgs(TuningTask task)
    {
        if (task == TuningTask.Regression)
        {
            throw new ArgumentException("Lbfgs is a classification trainer; for regression use LbfgsPoisson.", nameof(task));
        }

        var parameters = LbfgsParameters();
        var name = task == TuningTask.BinaryClassification ? "LbfgsLogisticRegression" : "LbfgsMaximumEntropy";
        return TrainerSearchSpace.Linear(name, task, parameters, (ml, p) =>
        {
            var v = new Values(p);
            if (task == TuningTask.BinaryClassification)
            {
                var o = new LbfgsLogisticRegressionBinaryTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features, NumberOfThreads = 1 };
                o.L2Regularization = v.Float("L2Regularization", o.L2Regularization);
                o.L1Regularization = v.Float("L1Regularization", o.L1Regularization);
                o.OptimizationTolerance = v.Float("OptimizationTolerance", o.OptimizationTolerance);
                o.HistorySize = v.Int("HistorySize", o.HistorySize);
                return ml.BinaryClassification.Trainers.LbfgsLogisticRegression(o);
            }

            var m = new LbfgsMaximumEntropyMulticlassTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features, NumberOfThreads = 1 };
            m.L2Regularization = v.Float("L2Regularization", m.L2Regularization);
            m.L1Regularization = v.Float("L1Regularization", m.L1Regularization);
            m.OptimizationTolerance = v.Float("OptimizationTolerance", m.OptimizationTolerance);
            m.HistorySize = v.Int("HistorySize", m.HistorySize);
            return ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(m);
        });
    }

    /// <summary>
    /// Poisson regression by L-BFGS on min–max normalized features (for counts or positive targets), with the ranges of
    /// <see cref="Lbfgs"/>. Regression only; the tuner leaves it out when a label is negative.
    /// </summary>
    public static TrainerSearchSpace LbfgsPoisson() =>
        TrainerSearchSpace.Linear("LbfgsPoissonRegression", TuningTask.Regression, LbfgsParameters(), (ml, p) =>
        {
            var v = new Values(p);
            var o = new LbfgsPoissonRegressionTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features, NumberOfThreads = 1 };
            o.L2Regularization = v.Float("L2Regularization", o.L2Regularization);
            o.L1Regularization = v.Float("L1Regularization", o.L1Regularization);
            o.OptimizationTolerance = v.Float("OptimizationTolerance", o.OptimizationTolerance);
            o.HistorySize = v.Int("HistorySize", o.HistorySize);
            return ml.Regression.Trainers.LbfgsPoissonRegression(o);
        });

    /// <summary>
    /// Online gradient descent (linear regression) on min–max normalized features: LearningRate 0.001–0.5 (log, default 0.1),
    /// L2Regularization 1e-7–0.1 (log, default 0), NumberOfIterations 1–50 (log, 1), DecreaseLearningRate (true).
    /// </summary>
    public static TrainerSearchSpace OnlineGradientDescent() =>
        TrainerSearchSpace.Linear("OnlineGradientDescent", TuningTask.Regression,
        [
            new("LearningRate", new FloatDistribution(0.001, 0.5, log: true), 0.1),
            new("L2Regularization", new FloatDistribution(1e-7, 0.1, log: true), 0.0),
            new("NumberOfIterations", new IntDistribution(1, 50, log: true), 1) { CostGrowsWithValue = true },
            new("DecreaseLearningRate", new CategoricalDistribution([true, false]), true),
        ], (ml, p) =>
        {
            var v = new Values(p);
            var o = new OnlineGradientDescentTrainer.Options { LabelColumnName = Label, FeatureColumnName = Features };
            o.LearningRate = v.Float("LearningRate", o.LearningRate);
            o.L2Regularization = v.Float("L2Regularization", o.L2Regularization);
            o.NumberOfIterations = v.Int("NumberOfIterations", o.NumberOfIterations);
            o.DecreaseLearningRate = v.Bool("DecreaseLearningRate", o.DecreaseLearningRate);
            return ml.Regression.Trainers.OnlineGradientDescent(o);
        });

    private static HyperParameter[] LbfgsParameters() =>
    [
        new("L2Regularization", new FloatDistribution(1e-4, 10, log: true), 1.0),
        new("L1Regularization", new FloatDistribution(1e-4, 10, log: true), 1.0),
        new("OptimizationTolerance", new FloatDistribution(1e-7, 1e-3, log: true), 1e-7),
        new("HistorySize", new IntDistribution(5, 50, log: true), 20),
    ];

    /// <summary>Option values by name, with conversions; a missing option keeps the fallback (ML.NET's default).</summary>
    private readonly struct Values(IReadOnlyDictionary<string, object?>? values)
    {
        public int Int(string name, int fallback) => Get(name) is { } v ? Convert.ToInt32(v, CultureInfo.InvariantCulture) : fallback;

        public int? Int(string name, int? fallback) => Get(name) is { } v ? Convert.ToInt32(v, CultureInfo.InvariantCulture) : fallback;

        public double Double(string name, double fallback) => Get(name) is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : fallback;

        public double? Double(string name, double? fallback) => Get(name) is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : fallback;

        public float Float(string name, float fallback) => Get(name) is { } v ? Convert.ToSingle(v, CultureInfo.InvariantCulture) : fallback;

        public float? Float(string name, float? fallback) => Get(name) is { } v ? Convert.ToSingle(v, CultureInfo.InvariantCulture) : fallback;

        public bool Bool(string name, bool fallback) => Get(name) is { } v ? Convert.ToBoolean(v, CultureInfo.InvariantCulture) : fallback;

        private object? Get(string name) => values is not null && values.TryGetValue(name, out var v) ? v : null;
    }
}
