using System.Text.Json;
using Hone.MLNet.Data;
using Hone.MLNet.Pipelines;
using Hone.MLNet.Tuning;
using Hone.MLNet.Validation;
using Hone.Trials;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Hone.MLNet.Tests.Pipelines;

/// <summary>Pipelines in one space: preprocessing choices tuned with the trainer, and one model over the raw columns.</summary>
public class PipelineTests
{
    private static readonly MLNetTuner Tuner = new(new MLContext(0));

    [Fact]
    public void Column_kinds_and_missing_values_are_read_from_the_cells()
    {
        var t = TestData.Mixed();
        Assert.Equal(ColumnKind.Numeric, t.KindOf("x"));
        Assert.Equal(ColumnKind.Categorical, t.KindOf("colour"));
        Assert.Equal(ColumnKind.Text, t.KindOf("review"));
        Assert.Equal(35, t.MissingCount("x"));
        Assert.True(TabularData.IsMissing(" na "));
        Assert.True(TabularData.IsMissing("NaN"));
        Assert.True(TabularData.IsMissing("?"));
        Assert.False(TabularData.IsMissing("0"));
        var view = TestData.View(t);
        Assert.Equal(35, view.GetColumn<float>("x").Count(float.IsNaN));
    }

    [Fact]
    public void Mixed_table_tunes_end_to_end_and_its_model_predicts_from_raw_rows()
    {
        var table = TestData.Mixed();
        var result = Tuner.Tune(table, "label", new TuneOptions
        {
            Trials = 8,
            Trainers = ["SdcaLogisticRegression", "LightGbm"],
            Validation = ValidationStrategy.StratifiedKFold(3),
            Seed = 1,
        });

        Assert.Equal(ColumnKind.Text, result.ColumnKinds["review"]);
        Assert.Equal(ColumnKind.Categorical, result.ColumnKinds["colour"]);
        Assert.True(result.PreprocessingTuned);
        Assert.Contains(PreprocessingSpace.Missing, result.Preprocessing.Keys);
        Assert.Contains(PreprocessingSpace.Encoding, result.Preprocessing.Keys);
        Assert.Contains(PreprocessingSpace.WordNgram, result.Preprocessing.Keys);
        Assert.InRange(result.Best.Mean, 0.75, 1.0);
        Assert.NotNull(result.Test);
        Assert.Contains("preprocessing (tuned)", result.FormatReport(), StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(result.ToJson()))
        {
            var best = json.RootElement.GetProperty("best");
            Assert.True(best.GetProperty("preprocessing").TryGetProperty(PreprocessingSpace.Encoding, out _));
            Assert.Equal("text", json.RootElement.GetProperty("columns").GetProperty("review").GetString());
        }

        var path = Path.Combine(Path.GetTempPath(), $"hone-{Guid.NewGuid():N}.zip");
        try
        {
            result.SaveModel(path);
            var ml = new MLContext(5);
            var model = ml.Model.Load(path, out var schema);
            Assert.Equal(["x", "colour", "review"], schema.Select(c => c.Name).ToArray());
            var rows = new[]
            {
                new RawRow { X = 0.9f, Colour = "red", Review = "the item was excellent superb" },
                new RawRow { X = float.NaN, Colour = "blue", Review = "awful broken box" },
                new RawRow { X = 0.5f, Colour = "purple", Review = "" },
            };
            var scored = model.Transform(ml.Data.LoadFromEnumerable(rows));
            var predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
            var probability = scored.GetColumn<float>("Probability").ToArray();
            Assert.Equal(3, predicted.Length);
            Assert.True(predicted[0]);
            Assert.False(predicted[1]);
            Assert.All(probability, p => Assert.InRange(p, 0f, 1f));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Penguins_with_categorical_columns_and_missing_values_tune()
    {
        var result = Tuner.Tune(TestData.Penguins(), "species", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trials = 4,
            Trainers = ["LbfgsMaximumEntropy"],
            Validation = ValidationStrategy.StratifiedKFold(3),
        });
        Assert.Equal(ColumnKind.Categorical, result.ColumnKinds["island"]);
        Assert.Equal(ColumnKind.Categorical, result.ColumnKinds["sex"]);
        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], result.ClassNames);
        Assert.InRange(result.Test!.Value, 0.9, 1.0);
        Assert.Equal(["accuracy", "f1", "logloss", "macro-accuracy"], result.BestMetrics.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Preprocessing_parameters_appear_only_where_the_data_has_use_for_them()
    {
        var result = Tuner.Tune(TestData.Iris(), "target", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trials = 8,
            Trainers = ["LbfgsMaximumEntropy", "FastTree"],
            Validation = ValidationStrategy.StratifiedKFold(2),
        });
        var names = result.Study.Trials.SelectMany(t => t.Params.Keys).Distinct().ToList();
        Assert.DoesNotContain(PreprocessingSpace.Encoding, names);
        Assert.DoesNotContain(PreprocessingSpace.HashBits, names);
        Assert.DoesNotContain(PreprocessingSpace.Missing, names);
        Assert.DoesNotContain(PreprocessingSpace.WordNgram, names);
        Assert.DoesNotContain(PreprocessingSpace.MinCount, names);
        foreach (var trial in result.Study.Trials.Where(t => t.Params.Count > 0))
        {
            // Normalization is a choice for the linear trainer only.
            Assert.Equal((string)trial.Params["trainer"]! == "LbfgsMaximumEntropy", trial.Params.ContainsKey(PreprocessingSpace.Normalize));
        }

        var fixedRun = Tuner.Tune(TestData.Iris(), "target", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trials = 2,
            Trainers = ["LbfgsMaximumEntropy"],
            Validation = ValidationStrategy.StratifiedKFold(2),
            TunePreprocessing = false,
        });
        Assert.DoesNotContain(fixedRun.Study.Trials.SelectMany(t => t.Params.Keys), k => k.StartsWith("prep.", StringComparison.Ordinal));
        Assert.False(fixedRun.PreprocessingTuned);
        Assert.Equal("min_max", fixedRun.Preprocessing[PreprocessingSpace.Normalize]);
    }

    [Fact]
    public void Every_trial_records_every_metric_of_the_task()
    {
        var result = Tuner.Tune(TestData.BreastCancer(), "target", new TuneOptions
        {
            Trials = 3,
            Trainers = ["LbfgsLogisticRegression"],
            Validation = ValidationStrategy.StratifiedKFold(3),
        });
        foreach (var trial in result.Study.Trials.Where(t => t.State == TrialState.Complete))
        {
            var metrics = trial.UserAttrs[MLNetTuner.MetricsKey];
            foreach (var name in new[] { "auc", "accuracy", "f1", "logloss" })
            {
                Assert.True(metrics.TryGetProperty(name, out var v), name);
                Assert.InRange(v.GetDouble(), 0, 5);
            }

            Assert.Equal(trial.Values![0], metrics.GetProperty("auc").GetDouble(), 9);
        }

        Assert.Equal(result.Best.Mean, result.BestMetrics["auc"], 9);
        using var json = JsonDocument.Parse(result.ToJson());
        var best = json.RootElement.GetProperty("best");
        Assert.True(best.GetProperty("metrics").TryGetProperty("logloss", out _));
        Assert.True(best.GetProperty("test_metrics").TryGetProperty("f1", out _));
    }

    [Fact]
    public void Regression_records_rmse_mae_and_r2()
    {
        var result = Tuner.Tune(TestData.Regression(), "y", new TuneOptions
        {
            Task = TuningTask.Regression,
            Trials = 2,
            Trainers = ["Sdca"],
            Validation = ValidationStrategy.KFold(3),
        });
        Assert.Equal(["mae", "r2", "rmse"], result.BestMetrics.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Regression_selects_features_by_mutual_information_with_the_binned_label()
    {
        // y depends on x0 and x1 only; keeping the 2 features of highest mutual information must keep those two.
        var table = TestData.Regression(240);
        var result = Tuner.Tune(table, "y", new TuneOptions
        {
            Task = TuningTask.Regression,
            Trials = 2,
            Trainers = ["LightGbm"],
            Validation = ValidationStrategy.KFold(3),
            Sampler = new Hone.Samplers.PartialFixedSampler(
                new Dictionary<string, object?> { [PreprocessingSpace.Selection] = "mutual_info", [PreprocessingSpace.TopK] = 2 },
                new Hone.Samplers.RandomSampler(1)),
        });
        Assert.All(result.Study.Trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal("mutual_info", result.Preprocessing[PreprocessingSpace.Selection]);

        var raw = TestData.View(table);
        var kept = result.Model.Transform(raw).GetColumn<VBuffer<float>>("Features").First().DenseValues().ToArray();
        var row = new[] { "x0", "x1", "x2" }.Select(c => raw.GetColumn<float>(c).First()).ToArray();
        Assert.Equal([row[0], row[1]], kept);
    }

    [Fact]
    public void Mutual_information_uses_far_fewer_bins_than_rows()
    {
        Assert.Equal(4, PreprocessingSpace.MutualInformationBins(10));
        Assert.Equal(8, PreprocessingSpace.MutualInformationBins(192));
        Assert.Equal(16, PreprocessingSpace.MutualInformationBins(2000));
        Assert.Equal(128, PreprocessingSpace.MutualInformationBins(1_000_000));
        Assert.Equal(256, PreprocessingSpace.MutualInformationBins(int.MaxValue));
    }

    [Fact]
    public void Ignoring_an_unknown_column_lists_the_columns()
    {
        var e = Assert.Throws<ArgumentException>(() => Tuner.Tune(TestData.Mixed(), "label", new TuneOptions { Trials = 1, IgnoreColumns = ["colour", "colours"] }));
        Assert.Contains("--ignore names column \"colours\", which mixed.csv does not have; its columns are x, colour, review, label.", e.Message, StringComparison.Ordinal);
        var c = Assert.Throws<ArgumentException>(() => Tuner.Tune(TestData.Mixed(), "label", new TuneOptions { Trials = 1, CategoricalColumns = ["label"] }));
        Assert.Contains("--categorical names column \"label\", which is the label", c.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_column_without_values_is_named_with_the_fix()
    {
        var lines = Enumerable.Range(0, 30).Select(i => $"{i},{(i % 3 == 0 ? "NA" : "")},{i % 2}");
        var t = TabularData.Parse("a,b,y\n" + string.Join('\n', lines), "empty.csv");
        var e = Assert.Throws<ArgumentException>(() => Tuner.Tune(t, "y", new TuneOptions { Trials = 1 }));
        Assert.Contains("Column \"b\" has no values in its 30 rows", e.Message, StringComparison.Ordinal);
        Assert.Contains("drop it with --ignore b", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_label_for_regression_is_located_in_the_file()
    {
        var t = TabularData.Parse("x,price\n1,10\n2,cheap\n3,30\n4,40\n5,50\n6,60\n", "prices.csv");
        var e = Assert.Throws<ArgumentException>(() => Tuner.Tune(t, "price", new TuneOptions { Task = TuningTask.Regression, Trials = 1 }));
        Assert.Contains("Label \"price\" is text (prices.csv:3:2: \"cheap\"); task regression needs a numeric label.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_valued_categorical_column_is_left_out_with_a_warning()
    {
        var lines = Enumerable.Range(0, 40).Select(i => $"{i},{(i % 5 == 0 ? "" : "yes")},{i % 2}");
        var t = TabularData.Parse("x,flag,y\n" + string.Join('\n', lines), "flags.csv");
        var result = Tuner.Tune(t, "y", new TuneOptions { Trials = 1, Trainers = ["LbfgsLogisticRegression"], Validation = ValidationStrategy.StratifiedKFold(2) });
        Assert.Equal(["x"], result.FeatureNames);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("Column \"flag\" holds the single value \"yes\"", warning, StringComparison.Ordinal);
        Assert.Contains("left out", warning, StringComparison.Ordinal);
        Assert.Contains("Warning: Column \"flag\"", result.FormatReport(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_numeric_code_can_be_forced_categorical()
    {
        var lines = Enumerable.Range(0, 60).Select(i => $"{i % 4},{(i % 4 == 1 ? 1 : 0)}");
        var t = TabularData.Parse("code,y\n" + string.Join('\n', lines), "codes.csv");
        var result = Tuner.Tune(t, "y", new TuneOptions
        {
            Trials = 1, Trainers = ["LbfgsLogisticRegression"], Validation = ValidationStrategy.StratifiedKFold(2), CategoricalColumns = ["code"], TunePreprocessing = false,
        });
        Assert.Equal(ColumnKind.Categorical, result.ColumnKinds["code"]);
        Assert.Equal(1.0, result.Best.Mean, 6);
    }

    private sealed class RawRow
    {
        [ColumnName("x")]
        public float X { get; set; }

        [ColumnName("colour")]
        public string Colour { get; set; } = "";

        [ColumnName("review")]
        public string Review { get; set; } = "";
    }
}
