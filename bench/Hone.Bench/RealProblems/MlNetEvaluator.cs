using System.Globalization;
using Hone.Bench.Cli;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;

namespace Hone.Bench.RealProblems;

/// <summary>
/// The ML.NET problems of bench/real_problems.json (evaluator "mlnet"): a binary trainer scored by stratified k-fold
/// cross-validation on a dataset of data/, with fixed folds (the problem file's cv_seed), a fixed ML.NET seed and one
/// thread, so that the loss depends on the parameters only. Models: LightGbmBinary, SdcaLogisticRegression, LbfgsLogisticRegression. Thread-safe.
/// </summary>
internal sealed class MlNetEvaluator(RealProblemSet problems)
{
    private readonly Dictionary<string, Lazy<Folds>> _folds = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public double Loss(RealProblem problem, IReadOnlyDictionary<string, object?> values)
    {
        var folds = FoldsOf(problem);
        var seed = Fixed(problem, "seed", 0);
        var total = 0.0;
        for (var k = 0; k < folds.Count; k++)
        {
            var ml = new MLContext(seed);
            // Views built per evaluation: SDCA shuffles with the random source of the view's context, so a shared view
            // would make a loss depend on the evaluations before it.
            var train = View(ml, folds.X, folds.Y, folds.Train[k]);
            var test = View(ml, folds.X, folds.Y, folds.Test[k]);
            var model = Trainer(problem, ml, values, seed).Fit(train);
            var scored = model.Transform(test);
            var labels = folds.Test[k].Select(i => folds.Y[i]).ToArray();
            total += problem.Metric switch
            {
                "error" => Error(scored.GetColumn<bool>(scored.Schema["PredictedLabel"]).ToArray(), labels),
                "log_loss" => LogLoss(scored.GetColumn<float>(scored.Schema["Probability"]).ToArray(), labels),
                _ => throw new InvalidOperationException($"{problem.Name}: metric \"{problem.Metric}\" is not available for ML.NET problems; use error or log_loss."),
            };
        }

        var loss = total / folds.Count;
        return double.IsFinite(loss) ? loss : 1e300;
    }

    private static IEstimator<ITransformer> Trainer(RealProblem problem, MLContext ml, IReadOnlyDictionary<string, object?> v, int seed)
    {
        var threads = Fixed(problem, "threads", 1);
        IEstimator<ITransformer> trainer = problem.Model switch
        {
            "LightGbmBinary" => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                NumberOfLeaves = Int(v, "number_of_leaves"),
                MinimumExampleCountPerLeaf = Int(v, "minimum_example_count_per_leaf"),
                LearningRate = Double(v, "learning_rate"),
                NumberOfIterations = Int(v, "number_of_iterations"),
                Booster = new GradientBooster.Options { FeatureFraction = Double(v, "feature_fraction") },
                Seed = seed,
                NumberOfThreads = threads,
                Silent = true,
            }),
            "SdcaLogisticRegression" => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = (float)Double(v, "l2_regularization"),
                L1Regularization = (float)Double(v, "l1_regularization"),
                ConvergenceTolerance = (float)Double(v, "convergence_tolerance"),
                MaximumNumberOfIterations = Fixed(problem, "maximum_number_of_iterations", 30),
                NumberOfThreads = threads,
            }),
            "LbfgsLogisticRegression" => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = (float)Double(v, "l2_regularization"),
                L1Regularization = (float)Double(v, "l1_regularization"),
                OptimizationTolerance = (float)Double(v, "optimization_tolerance"),
                HistorySize = Int(v, "history_size"),
                MaximumNumberOfIterations = Fixed(problem, "maximum_number_of_iterations", 100),
                NumberOfThreads = threads,
            }),
            _ => throw new InvalidOperationException($"{problem.Name}: unknown ML.NET model \"{problem.Model}\"; use LightGbmBinary, SdcaLogisticRegression or LbfgsLogisticRegression."),
        };
        return problem.Preprocess switch
        {
            null => trainer,
            "minmax" => ml.Transforms.NormalizeMinMax("Features").Append(trainer),
            "standard" => ml.Transforms.NormalizeMeanVariance("Features").Append(trainer),
            _ => throw new InvalidOperationException($"{problem.Name}: unknown preprocess \"{problem.Preprocess}\"; use minmax or standard."),
        };
    }

    private static int Int(IReadOnlyDictionary<string, object?> v, string name) => Convert.ToInt32(v[name], CultureInfo.InvariantCulture);

    private static double Double(IReadOnlyDictionary<string, object?> v, string name) => Convert.ToDouble(v[name], CultureInfo.InvariantCulture);

    private static int Fixed(RealProblem problem, string name, int fallback) =>
        problem.Fixed.TryGetValue(name, out var value) ? value.GetInt32() : fallback;

    private static double Error(bool[] predicted, bool[] labels)
    {
        var wrong = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            wrong += predicted[i] == labels[i] ? 0 : 1;
        }

        return (double)wrong / labels.Length;
    }

    /// <summary>Mean cross-entropy with probabilities clipped to [1e-15, 1 − 1e-15], as scikit-learn 1.2's log_loss.</summary>
    private static double LogLoss(float[] probability, bool[] labels)
    {
        var total = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = Math.Clamp((double)probability[i], 1e-15, 1 - 1e-15);
            total -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }

        return total / labels.Length;
    }

    private Folds FoldsOf(RealProblem problem)
    {
        var key = $"{problem.Dataset}/{problem.Rows}";
        Lazy<Folds> folds;
        lock (_gate)
        {
            if (!_folds.TryGetValue(key, out folds!))
            {
                folds = new Lazy<Folds>(() => MakeFolds(problem));
                _folds[key] = folds;
            }
        }

        return folds.Value;
    }

    /// <summary>Stratified folds: each class's rows shuffled with cv_seed and dealt round-robin to the folds.</summary>
    private Folds MakeFolds(RealProblem problem)
    {
        var (x, y) = LoadBinary(problem.Dataset, problem.Rows);
        var k = problems.CvFolds;
        var fold = new int[y.Length];
        var random = new Random(problems.CvSeed);
        foreach (var label in new[] { false, true })
        {
            var rows = Enumerable.Range(0, y.Length).Where(i => y[i] == label).ToArray();
            random.Shuffle(rows);
            for (var j = 0; j < rows.Length; j++)
            {
                fold[rows[j]] = j % k;
            }
        }

        var train = new int[k][];
        var test = new int[k][];
        for (var f = 0; f < k; f++)
        {
            train[f] = [.. Enumerable.Range(0, y.Length).Where(i => fold[i] != f)];
            test[f] = [.. Enumerable.Range(0, y.Length).Where(i => fold[i] == f)];
        }

        return new Folds(x, y, train, test);
    }

    /// <summary>A binary dataset of data/ in scikit-learn's layout (a first line "rows,features,class names…"; label = class 1).</summary>
    private static (float[][] X, bool[] Y) LoadBinary(string dataset, int? rows)
    {
        var file = dataset switch
        {
            "breast_cancer" => "breast_cancer.csv",
            _ => throw new InvalidOperationException($"ML.NET problems read binary datasets; \"{dataset}\" is not one (use breast_cancer)."),
        };
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "data", file)).Skip(1).Where(l => l.Length > 0);
        if (rows is { } n)
        {
            lines = lines.Take(n);
        }

        var cells = lines.Select(l => l.Split(',')).ToArray();
        return (
            [.. cells.Select(c => c.Take(c.Length - 1).Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray())],
            [.. cells.Select(c => double.Parse(c[^1], CultureInfo.InvariantCulture) > 0.5)]);
    }

    private static IDataView View(MLContext ml, float[][] x, bool[] y, int[] rows)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, x[0].Length);
        return ml.Data.LoadFromEnumerable(rows.Select(i => new Row { Features = x[i], Label = y[i] }).ToList(), schema);
    }

    private sealed record Folds(float[][] X, bool[] Y, int[][] Train, int[][] Test)
    {
        public int Count => Train.Length;
    }

    /// <summary>One ML.NET input row.</summary>
    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }
}
