using Hone.MLNet.Data;
using Hone.MLNet.Metrics;
using Hone.MLNet.Tuning;
using Hone.MLNet.Validation;
using Microsoft.ML;

namespace Hone.MLNet.Tests.Tuning;

/// <summary>Every unusable input fails before any training starts (the options allow one trial, which would take a while).</summary>
public class BadInputTests
{
    private static readonly MLNetTuner Tuner = new(new MLContext(0));

    private static TuneOptions Options(TuningTask task, TuningMetric? metric = null) => new() { Task = task, Metric = metric, Trials = 1 };

    [Fact]
    public void Unknown_label_column_lists_the_columns()
    {
        var e = Assert.Throws<ArgumentException>(() => Tuner.Tune(TestData.Iris(), "species", Options(TuningTask.MulticlassClassification)));
        Assert.Contains("no label column \"species\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("f0, f1, f2, f3, target", e.Message, StringComparison.Ordinal);
        var view = Assert.Throws<ArgumentException>(() => Tuner.Tune(TestData.View(TestData.Iris()), "species", Options(TuningTask.MulticlassClassification)));
        Assert.Contains("no label column \"species\"", view.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Three_classes_are_not_binary()
    {
        var e = Assert.Throws<ArgumentException>(() => Tuner.Tune(TestData.Iris(), "target", Options(TuningTask.BinaryClassification)));
        Assert.Contains("values 0, 1, 2; task binary needs 0/1", e.Message, StringComparison.Ordinal);
        Assert.Contains("multiclass", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Real_valued_label_is_not_multiclass()
    {
        var e = Assert.Throws<ArgumentException>(() => Tuner.Tune(TestData.Regression(), "y", Options(TuningTask.MulticlassClassification)));
        Assert.Contains("non-integer values", e.Message, StringComparison.Ordinal);
        Assert.Contains("regression", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_label_is_not_regression()
    {
        var t = TabularData.Parse("x,kind\n1,a\n2,b\n3,a\n4,b\n5,a\n6,b\n");
        var e = Assert.Throws<ArgumentException>(() => Tuner.Tune(t, "kind", Options(TuningTask.Regression)));
        Assert.Contains("Label \"kind\" is text", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_must_fit_the_task()
    {
        var e = Assert.Throws<ArgumentException>(() => Tuner.Tune(TestData.Regression(), "y", Options(TuningTask.Regression, TuningMetric.Auc)));
        Assert.Contains("Metric auc does not fit task regression", e.Message, StringComparison.Ordinal);
        Assert.Contains("rmse, mae, r2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_numeric_feature_of_a_data_view_is_an_error_but_a_table_encodes_it()
    {
        var t = TabularData.Parse("x,colour,y\n1,red,0\n2,blue,1\n3,red,0\n4,blue,1\n5,red,0\n6,blue,1\n", "shapes.csv");
        Assert.Equal(ColumnKind.Categorical, t.KindOf("colour"));
        Assert.Equal("shapes.csv:2:2: \"red\"", t.FirstNonNumericCell("colour"));
        var view = Assert.Throws<ArgumentException>(() => Tuner.Tune(TestData.View(t), "y", Options(TuningTask.BinaryClassification)));
        Assert.Contains("Feature column \"colour\" is String (e.g. \"red\")", view.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ignored_text_column_is_not_a_feature()
    {
        var lines = Enumerable.Range(0, 40).Select(i => $"{i},{(i % 2 == 0 ? "even" : "odd")},{i % 2}");
        var t = TabularData.Parse("x,name,y\n" + string.Join('\n', lines));
        var result = Tuner.Tune(t, "y", new TuneOptions { Trials = 1, Trainers = ["LbfgsLogisticRegression"], IgnoreColumns = ["name"], Validation = ValidationStrategy.StratifiedKFold(2) });
        Assert.Equal(["x"], result.FeatureNames);
    }

    [Fact]
    public void Fewer_rows_than_folds_is_a_clear_error()
    {
        var t = TabularData.Parse("x,y\n1,0\n2,1\n3,0\n4,1\n5,0\n6,1\n");
        var e = Assert.Throws<ArgumentException>(() => Tuner.Tune(t, "y", new TuneOptions { Trials = 1, Validation = ValidationStrategy.KFold(10) }));
        Assert.Contains("needs at least 10 tuning rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_trainer_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Tuner.Tune(TestData.Iris(), "target", new TuneOptions { Task = TuningTask.MulticlassClassification, Trainers = ["XGBoost"] }));
        Assert.Contains("LightGbm, FastTree, FastForest, SdcaMaximumEntropy, LbfgsMaximumEntropy", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_are_reported_together()
    {
        var e = Assert.Throws<ArgumentException>(() => Tuner.Tune(TestData.Iris(), "target", new TuneOptions { Trials = 0, TestFraction = 1.5 }));
        Assert.Contains("Trials must be at least 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("TestFraction must be in [0, 1)", e.Message, StringComparison.Ordinal);
    }
}
