using Hone.MLNet.Data;
using Hone.MLNet.Metrics;
using Hone.MLNet.Pipelines;
using Hone.MLNet.SearchSpaces;
using Hone.MLNet.Statistics;
using Hone.MLNet.Tuning;
using Hone.MLNet.Validation;
using Hone.Storage;
using Hone.Studies;
using Microsoft.ML;

namespace Hone.MLNet.Retuning;

/// <summary>
/// Re-tuning in production: given the study a model was tuned in, the data it was tuned on and new data, tests whether
/// the new data has moved (<see cref="Check"/>: per-column shift tests and a score-drop check of the old best model), and
/// if so tunes again on the new data, warm-started from the old study and linked to it (<see cref="Retune"/>), and
/// compares the old and new configurations on the new data.
/// </summary>
/// <example>
/// <code>
/// var old = Study.Load(new StudyOptions { Name = "churn-binary-auc", Storage = storage });
/// var retuner = new Retuner(new MLContext(0));
/// var options = new RetuneOptions { Storage = storage, Trials = 30 };
/// var check = retuner.Check(old, TabularData.LoadCsv("january.csv"), TabularData.LoadCsv("june.csv"), options);
/// if (check.ShouldRetune)
/// {
///     var result = retuner.Retune(check, options);
///     Console.WriteLine(result.FormatReport());
/// }
/// </code>
/// </example>
public sealed class Retuner
{
    /// <summary>The new study's user attribute naming the study it re-tunes.</summary>
    public const string RetuneOfKey = "hone.retune_of";

    /// <summary>The new study's user attribute holding the findings that led to it (shifted columns, score drop).</summary>
    public const string FindingsKey = "hone.retune";

    private const int TestBootstrapResamples = 2_000;
    private readonly MLContext _mlContext;

    /// <summary>Creates a re-tuner that loads data through <paramref name="mlContext"/>.</summary>
    public Retuner(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        _mlContext = mlContext;
    }

    /// <summary>
    /// Tests the feature columns of <paramref name="newData"/> against <paramref name="oldData"/> (two-sample KS or
    /// chi-squared, Holm-corrected), and scores the old best configuration, refit on the old tuning rows, on every new
    /// row against its old cross-validated score (<see cref="ScoreDrop"/>).
    /// </summary>
    /// <param name="oldStudy">The study the model was tuned in (made by <see cref="MLNetTuner"/>, one objective).</param>
    /// <param name="oldData">The data it was tuned on.</param>
    /// <param name="newData">The new data; it must have the old label and feature columns (more columns are left out).</param>
    /// <param name="options">The significance level, the tolerated drop, and whether to force a re-tune.</param>
    /// <param name="cancellationToken">Stops the refit.</param>
    /// <exception cref="ArgumentException">The study was not made by a tuner, or a table lacks a column the study needs (the message names it).</exception>
    public RetuneCheck Check(Study oldStudy, TabularData oldData, TabularData newData, RetuneOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oldStudy);
        ArgumentNullException.ThrowIfNull(oldData);
        ArgumentNullException.ThrowIfNull(newData);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var old = TunedStudy.Read(oldStudy);
        if (!oldData.ColumnNames.Contains(old.Label))
        {
            throw new ArgumentException(
                $"The old data ({oldData.Source}) has no label column \"{old.Label}\", which study \"{oldStudy.Name}\" was tuned with; its columns are {string.Join(", ", oldData.ColumnNames)}.",
                nameof(oldData));
        }

        var features = FeatureColumns(old, oldData);
        if (MissingColumns(old, features, newData) is { Count: > 0 } missing)
        {
            throw new ArgumentException(
                $"The new data ({newData.Source}) lacks {(missing.Count == 1 ? "column" : "columns")} {string.Join(", ", missing.Select(c => $"\"{c}\""))}, which study \"{oldStudy.Name}\" was tuned with; its columns are {string.Join(", ", newData.ColumnNames)}.",
                nameof(newData));
        }

        var shifts = DistributionShift.Compare(
            features.ToDictionary(c => c, oldData.Cells, StringComparer.Ordinal),
            features.ToDictionary(c => c, newData.Cells, StringComparer.Ordinal),
            options.Alpha);

        // Old and new rows in one dataset, so both get the same column kinds and class indices; old rows come first.
        var stacked = TabularData.Stack($"{oldData.Source} + {newData.Source}", [.. features, old.Label], oldData, newData);
        var dataset = Dataset.FromTable(_mlContext, stacked, old.Label, old.Task, [], Within(old.Categorical, features), Within(old.Text, features));
        var preprocessing = dataset.Columns is { } columns ? new PreprocessingSpace(columns) : null;
        var evaluator = new MLNetTuner.FoldEvaluator(_mlContext, dataset, old.Metric, old.Seed, [], preprocessing);

        // The model hone tune saved: the best configuration refit on the old tuning rows (the same test split as then).
        var oldLabels = dataset.Labels.Take(oldData.RowCount).ToArray();
        var (oldTuning, oldTest) = DataSplits.TestSplit(oldLabels, old.TestFraction, old.Task.IsClassification(), old.Validation.KeepsOrder, old.Seed);
        var (space, values, prep) = Configuration(old, preprocessing);
        cancellationToken.ThrowIfCancellationRequested();
        var model = evaluator.Fit(space, values, prep, oldTuning);
        var newRows = Enumerable.Range(oldData.RowCount, newData.RowCount).ToArray();
        var onNew = Score(evaluator, model, newRows, old.Metric, old.Seed + 3)!;
        double? oldTestValue = oldTest.Length > 0 ? evaluator.Predict(model, oldTest).Compute(old.Metric) : null;
        var reference = ScoreSummary.Of(old.BestFoldScores, old.Seed + 3);
        var drop = new ScoreDrop(old.Metric.Direction(), reference.Mean, reference.CiLow, reference.CiHigh, oldTestValue,
            onNew.Value, onNew.CiLow, onNew.CiHigh, onNew.Rows, options.MaxDrop);

        return new RetuneCheck
        {
            OldStudyName = oldStudy.Name,
            Task = old.Task,
            Metric = old.Metric,
            LabelColumn = old.Label,
            FeatureColumns = features,
            OldBestTrialNumber = old.Best.Number,
            OldBestTrainer = space.Name,
            OldRows = oldData.RowCount,
            NewRows = newData.RowCount,
            Alpha = options.Alpha,
            Shifts = shifts,
            Drop = drop,
            Forced = options.Force,
            Old = old,
            NewData = newData,
            Stacked = dataset,
            StackedEvaluator = evaluator,
            OldModel = model,
            MLContext = _mlContext,
        };
    }

    /// <summary>
    /// Tunes a new study on the new data, warm-started from the old one (its three best configurations run first, its
    /// trials are the sampler's prior) with the old task, metric, label, validation, test fraction and trainers, named
    /// and linked as <see cref="RetuneOptions.StudyName"/> and <see cref="RetuneOfKey"/> say; then scores the old and
    /// new best configurations on the same folds and test rows of the new data (<see cref="RetuneComparison"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The check found nothing to re-tune and it was not forced, or no trial completed.</exception>
    public RetuneResult Retune(RetuneCheck check, RetuneOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!check.ShouldRetune && !options.Force)
        {
            throw new InvalidOperationException($"Nothing to re-tune: {check.Decision}. Set RetuneOptions.Force to re-tune anyway.");
        }

        var old = check.Old;
        var name = options.StudyName ?? NextName(options.Storage, old.Study.Name);
        var keep = new HashSet<string>([.. check.FeatureColumns, old.Label], StringComparer.Ordinal);
        var ignore = check.NewData.ColumnNames.Where(c => !keep.Contains(c)).ToArray();
        var attrs = new Dictionary<string, object?>(options.StudyUserAttrs)
        {
            [RetuneOfKey] = old.Study.Name,
            [FindingsKey] = Findings(check),
        };
        var tuneOptions = new TuneOptions
        {
            Task = old.Task,
            Metric = old.Metric,
            Trials = options.Trials,
            Parallelism = options.Parallelism,
            Timeout = options.Timeout,
            Validation = old.Validation,
            TestFraction = old.TestFraction,
            Seed = options.Seed ?? old.Seed,
            Trainers = options.Trainers ?? old.Trainers,
            WarmStartFrom = [old.Study],
            Storage = options.Storage,
            StudyName = name,
            IgnoreColumns = ignore,
            CategoricalColumns = Within(old.Categorical, check.FeatureColumns),
            TextColumns = Within(old.Text, check.FeatureColumns),
            TunePreprocessing = old.PreprocessingTuned,
            StudyUserAttrs = attrs,
            Progress = options.Progress,
        };
        var result = new MLNetTuner(check.MLContext).Tune(check.NewData, old.Label, tuneOptions, cancellationToken);
        return new RetuneResult { Check = check, Tuning = result, OldVsNew = Compare(check, result, tuneOptions, cancellationToken) };
    }

    /// <summary>The old configuration on the new study's folds and test rows, against the new best.</summary>
    private RetuneComparison Compare(RetuneCheck check, TuneResult result, TuneOptions tuneOptions, CancellationToken cancellationToken)
    {
        var old = check.Old;
        var metric = old.Metric;
        var dataset = Dataset.FromTable(_mlContext, check.NewData, old.Label, old.Task, tuneOptions.IgnoreColumns, tuneOptions.CategoricalColumns, tuneOptions.TextColumns);
        var preprocessing = dataset.Columns is { } columns ? new PreprocessingSpace(columns) : null;
        var evaluator = new MLNetTuner.FoldEvaluator(_mlContext, dataset, metric, result.Seeds.MLNet, result.Folds, preprocessing);
        var (space, values, prep) = Configuration(old, preprocessing);
        var oldFolds = result.Folds.Select(f =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return evaluator.Score(space, values, prep, f);
        }).ToArray();
        var newFolds = result.Best.FoldScores;
        var better = newFolds.Zip(oldFolds).Count(p => metric.Direction() == StudyDirection.Maximize ? p.First > p.Second : p.First < p.Second);
        var comparison = new PairedComparison(
            newFolds.Zip(oldFolds).Average(p => p.First - p.Second),
            better,
            PairedTests.Wilcoxon(newFolds, oldFolds),
            PairedTests.PairedT(newFolds, oldFolds));

        TestScore? oldTest = null, deployed = null;
        if (result.TestRows.Count > 0)
        {
            var refit = evaluator.Fit(space, values, prep, result.TuningRows);
            oldTest = Score(evaluator, refit, result.TestRows, metric, result.Seeds.Bootstrap);
            var stackedRows = result.TestRows.Select(r => check.OldRows + r).ToArray();
            deployed = Score(check.StackedEvaluator, check.OldModel, stackedRows, metric, result.Seeds.Bootstrap);
        }

        return new RetuneComparison(old.Best.Number, space.Name, result.BestTrialNumber, result.BestTrainer,
            ScoreSummary.Of(oldFolds, result.Seeds.Bootstrap), result.Best, comparison, oldTest, result.Test, deployed);
    }

    /// <summary>The old best trial as a pipeline: trainer, its options and the preprocessing choices, read from its parameters as the tuner reads them.</summary>
    private static (TrainerSearchSpace Space, IReadOnlyDictionary<string, object?> Values, IReadOnlyDictionary<string, object?>? Prep) Configuration(
        TunedStudy old, PreprocessingSpace? preprocessing)
    {
        var spaces = TrainerSearchSpaces.For(old.Task, old.Trainers);
        var trainer = old.Best.Params.ContainsKey("trainer") ? MLNetTuner.TrainerOf(old.Best, spaces) : TunedStudy.TrainerOf(old.Best);
        var space = spaces.FirstOrDefault(s => s.Name == trainer) ?? TrainerSearchSpaces.For(old.Task, [trainer])[0];
        var values = space.FromTrialParams(old.Best.Params);
        var prep = preprocessing is null ? null
            : old.PreprocessingTuned ? preprocessing.FromTrialParams(old.Best.Params, space.IsLinear) : preprocessing.Defaults(space.IsLinear);
        return (space, values, prep);
    }

    private static TestScore? Score(MLNetTuner.FoldEvaluator evaluator, ITransformer model, IReadOnlyList<int> rows, TuningMetric metric, int seed)
    {
        if (rows.Count == 0)
        {
            return null;
        }

        var predictions = evaluator.Predict(model, rows);
        var (low, high) = Bootstrap.Interval(rows.Count, r => predictions.Compute(metric, r), 0.95, TestBootstrapResamples, seed);
        return new TestScore(predictions.Compute(metric), low, high, rows.Count);
    }

    /// <summary>The old data's feature columns: all but the label and the columns the old study ignored.</summary>
    private static List<string> FeatureColumns(TunedStudy old, TabularData oldData) =>
        oldData.ColumnNames.Where(c => c != old.Label && !old.Ignore.Contains(c)).ToList();

    private static List<string> MissingColumns(TunedStudy old, IEnumerable<string> features, TabularData newData) =>
        features.Prepend(old.Label).Where(c => !newData.ColumnNames.Contains(c)).ToList();

    private static string[] Within(IReadOnlyList<string> names, IReadOnlyList<string> features) => names.Where(features.Contains).ToArray();

    /// <summary><c>&lt;old&gt;-retune-N</c> with the first N from 1 that <paramref name="storage"/> does not hold.</summary>
    private static string NextName(IStorage? storage, string oldName)
    {
        for (var n = 1; ; n++)
        {
            var name = $"{oldName}-retune-{n}";
            if (storage?.FindStudy(name) is null)
            {
                return name;
            }
        }
    }

    private static Dictionary<string, object?> Findings(RetuneCheck check) => new()
    {
        ["decision"] = check.Decision,
        ["alpha"] = check.Alpha,
        ["shifted_columns"] = check.Shifts.Where(s => s.Shifted).Select(s => s.Column).ToArray(),
        ["columns_tested"] = check.Shifts.Count,
        ["old_cv_mean"] = Finite(check.Drop.ReferenceMean),
        ["new_data_score"] = Finite(check.Drop.NewValue),
        ["new_data_ci95"] = new[] { Finite(check.Drop.NewCiLow), Finite(check.Drop.NewCiHigh) },
        ["max_drop"] = check.Drop.MaxDrop,
        ["score_dropped"] = check.Drop.Significant,
        ["forced"] = check.Forced,
        ["old_rows"] = check.OldRows,
        ["new_rows"] = check.NewRows,
    };

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
