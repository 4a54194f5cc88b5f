using System.Globalization;
using System.Text.Json;
using Hone.MLNet.Metrics;
using Hone.MLNet.SearchSpaces;
using Hone.MLNet.Tuning;
using Hone.MLNet.Validation;
using Hone.Pruners;
using Hone.Studies;
using Hone.Trials;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Hone.MLNet.Tests.Tuning;

public class MLNetTunerTests
{
    [Fact]
    public void Small_tune_on_iris_reports_statistics_a_test_score_and_a_loadable_model()
    {
        var progress = new List<TuneProgress>();
        var options = new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trainers = ["LbfgsMaximumEntropy", "LightGbm"],
            Trials = 6,
            Seed = 3,
            Progress = new SyncProgress<TuneProgress>(progress.Add),
        };
        var result = new MLNetTuner(new MLContext(0)).Tune(TestData.Iris(), "target", options);

        Assert.Equal(TuningMetric.Accuracy, result.Metric);
        Assert.Equal(StudyDirection.Maximize, result.Direction);
        Assert.Equal(6, result.TrialsRun);
        Assert.Equal(6, progress.Count);
        Assert.Equal(["setosa", "versicolor", "virginica"], result.ClassNames);
        Assert.Contains(result.BestTrainer, options.Trainers);
        Assert.Equal(5, result.Best.FoldScores.Count);
        Assert.Equal(5, result.Default.FoldScores.Count);
        Assert.Equal(result.Study.Trials[result.BestTrialNumber].Values![0], result.Best.Mean, 12);
        Assert.InRange(result.Best.Mean, result.Best.CiLow, result.Best.CiHigh);
        Assert.InRange(result.Best.Mean, 0.85, 1.0);
        Assert.NotNull(result.Test);
        Assert.Equal(30, result.Test.Rows);
        Assert.InRange(result.Test.Value, result.Test.CiLow, result.Test.CiHigh);

        // The test rows are split off first and are in no fold.
        Assert.Empty(result.TestRows.Intersect(result.TuningRows));
        Assert.Equal(Enumerable.Range(0, 150), result.TestRows.Concat(result.TuningRows).Order());
        foreach (var fold in result.Folds)
        {
            Assert.Empty(fold.TrainRows.Intersect(result.TestRows));
            Assert.Empty(fold.ValidRows.Intersect(result.TestRows));
        }

        using var json = JsonDocument.Parse(result.ToJson());
        Assert.Equal("accuracy", json.RootElement.GetProperty("metric").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("seeds").GetProperty("seed").GetInt32());
        Assert.Equal(result.Test.Value, json.RootElement.GetProperty("test").GetProperty("value").GetDouble());
        Assert.Contains("Wilcoxon signed-rank", result.FormatReport(), StringComparison.Ordinal);

        var path = Path.Combine(Path.GetTempPath(), $"hone-{Guid.NewGuid():N}.zip");
        try
        {
            result.SaveModel(path);
            var ml = new MLContext(0);
            var model = ml.Model.Load(path, out var schema);
            // The model reads the table's raw columns by name.
            Assert.Equal(["f0", "f1", "f2", "f3"], schema.Select(c => c.Name));
            Assert.All(schema, c => Assert.Equal(NumberDataViewType.Single, c.Type));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Test_rows_are_never_fitted_on()
    {
        var table = TestData.BreastCancer();
        var seen = new List<HashSet<string>>();
        var inner = TrainerSearchSpaces.Lbfgs(TuningTask.BinaryClassification);
        var spy = new TrainerSearchSpace("Spy", TuningTask.BinaryClassification, inner.Parameters,
            (ml, values) => new RecordingEstimator(inner.CreateEstimator(ml, values), seen));
        // Fixed preprocessing: feature selection would hand the trainer fewer slots than the rows' keys are made of.
        var result = new MLNetTuner(new MLContext(0)).Tune(table, "target", new TuneOptions { SearchSpaces = [spy], Trials = 2, Seed = 5, TunePreprocessing = false });

        var rows = RowKeys(table);
        var test = result.TestRows.Select(r => rows[r]).ToHashSet();
        var tuning = result.TuningRows.Select(r => rows[r]).ToHashSet();
        Assert.Equal(result.TestRows.Count, test.Count); // feature vectors identify rows
        Assert.NotNull(result.Reevaluation); // on by default for this small table: its fresh folds must not touch the test rows either
        Assert.Equal(2 * 5 + result.Reevaluation.Fits + 5 + 2, seen.Count); // trials × folds, re-evaluation, default on the folds, two refits
        Assert.All(seen, fit =>
        {
            Assert.Empty(fit.Intersect(test));
            Assert.Subset(tuning, fit);
        });
        Assert.Equal(2, seen.Count(fit => fit.Count == tuning.Count)); // the refits of the best and the default
    }

    [Fact]
    public void Pruned_trials_stop_after_their_reported_folds_and_count_the_time_saved()
    {
        var result = new MLNetTuner(new MLContext(0)).Tune(TestData.Iris(), "target", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trainers = ["LbfgsMaximumEntropy"],
            Trials = 4,
            Pruner = new PruneAfterFirstTrial(),
        });

        Assert.Equal(1, result.TrialsComplete);
        Assert.Equal(3, result.TrialsPruned);
        Assert.All(result.Study.GetTrials(TrialState.Pruned), t => Assert.Equal([0, 1], t.IntermediateValues.Keys.Order()));
        Assert.True(result.PruningTimeSaved > TimeSpan.Zero);
    }

    [Fact]
    public void Regression_with_hold_out_and_r2()
    {
        var result = new MLNetTuner(new MLContext(0)).Tune(TestData.Regression(), "y", new TuneOptions
        {
            Task = TuningTask.Regression,
            Metric = TuningMetric.RSquared,
            Trainers = ["LightGbm"],
            Trials = 3,
            Validation = ValidationStrategy.HoldOut(0.25),
        });

        Assert.Single(result.Folds);
        Assert.InRange(result.Best.Mean, 0.7, 1.0);
        Assert.Equal(StudyDirection.Maximize, result.Study.Direction);
    }

    [Fact]
    public void Parallel_trials_score_like_sequential_ones()
    {
        TuneResult Run(int parallelism) => new MLNetTuner(new MLContext(0)).Tune(TestData.Iris(), "target", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trainers = ["LbfgsMaximumEntropy"],
            Trials = 4,
            Parallelism = parallelism,
            Sampler = new Hone.Samplers.RandomSampler(seed: 4),
            Pruner = NopPruner.Instance,
        });

        var sequential = Run(1);
        var parallel = Run(2);
        Assert.Equal(4, parallel.TrialsComplete);
        Assert.Equal(sequential.Study.Trials.Select(t => t.Value), parallel.Study.Trials.Select(t => t.Value));
    }

    [Fact]
    public void Same_seed_repeats_the_run_exactly()
    {
        TuneResult Run() => new MLNetTuner(new MLContext(0)).Tune(TestData.Iris(), "target", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trainers = ["LbfgsMaximumEntropy"],
            Trials = 3,
            Seed = 11,
        });

        var a = Run();
        var b = Run();
        Assert.Equal(a.TestRows, b.TestRows);
        Assert.Equal(a.Folds.Select(f => f.ValidRows), b.Folds.Select(f => f.ValidRows));
        Assert.Equal(a.Study.Trials.Select(t => t.Value), b.Study.Trials.Select(t => t.Value));
        Assert.Equal(a.Best.FoldScores, b.Best.FoldScores);
        Assert.Equal(a.Test!.Value, b.Test!.Value);
        Assert.Equal(new TuneSeeds(11, 11, 12, 13, 14), a.Seeds);
    }

    [Fact]
    public void Time_ordered_validation_tests_on_the_last_rows_and_repeated_folds_report_every_step()
    {
        var tuner = new MLNetTuner(new MLContext(0));
        var timed = tuner.Tune(TestData.Regression(), "y", new TuneOptions
        {
            Task = TuningTask.Regression,
            Trainers = ["LightGbm"],
            Trials = 1,
            Validation = ValidationStrategy.TimeOrdered(3),
        });
        Assert.Equal(Enumerable.Range(96, 24), timed.TestRows);
        Assert.All(timed.Folds, f => Assert.True(f.TrainRows.Max() < f.ValidRows.Min()));

        var repeated = tuner.Tune(TestData.Iris(), "target", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trainers = ["LbfgsMaximumEntropy"],
            Trials = 1,
            Validation = ValidationStrategy.RepeatedKFold(3, 2),
        });
        Assert.Equal(Enumerable.Range(0, 6), repeated.Study.Trials[0].IntermediateValues.Keys.Order());
        Assert.Equal(6, repeated.Best.FoldScores.Count);
    }

    private static string[] RowKeys(Hone.MLNet.Data.TabularData table)
    {
        var view = TestData.View(table);
        var columns = table.ColumnNames.Where(c => c != "target").Select(c => view.GetColumn<float>(c).ToArray()).ToArray();
        return Enumerable.Range(0, table.RowCount)
            .Select(r => string.Join(",", columns.Select(c => c[r].ToString("R", CultureInfo.InvariantCulture))))
            .ToArray();
    }

    private sealed class RecordingEstimator(IEstimator<ITransformer> inner, List<HashSet<string>> seen) : IEstimator<ITransformer>
    {
        public ITransformer Fit(IDataView input)
        {
            seen.Add(input.GetColumn<VBuffer<float>>("Features")
                .Select(v => string.Join(",", v.DenseValues().Select(x => x.ToString("R", CultureInfo.InvariantCulture))))
                .ToHashSet());
            return inner.Fit(input);
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => inner.GetOutputSchema(inputSchema);
    }

    private sealed class PruneAfterFirstTrial : IPruner
    {
        public bool Prune(Study study, FrozenTrial trial) => trial.Number > 0 && trial.IntermediateValues.Count >= 2;
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
