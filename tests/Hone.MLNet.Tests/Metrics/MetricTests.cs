using Hone.MLNet.Metrics;
using Hone.Studies;

namespace Hone.MLNet.Tests.Metrics;

public class MetricTests
{
    [Fact]
    public void Binary_metrics_on_a_hand_example()
    {
        // sklearn: roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8]) = 0.75; log_loss with those as probabilities = 0.47228795...
        var p = new Predictions(TuningTask.BinaryClassification, [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], [0.1, 0.4, 0.35, 0.8], [0, 0, 0, 1]);
        Assert.Equal(0.75, p.Compute(TuningMetric.Auc), 12);
        Assert.Equal(0.75, p.Compute(TuningMetric.Accuracy), 12);
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.6) + Math.Log(0.35) + Math.Log(0.8)) / 4, p.Compute(TuningMetric.LogLoss), 12);
        Assert.Equal(2.0 / 3, p.Compute(TuningMetric.F1), 12);
        Assert.Equal(0.75, p.Compute(TuningMetric.MacroAccuracy), 12);
    }

    [Fact]
    public void Auc_counts_ties_half_and_is_undefined_with_one_class()
    {
        var p = new Predictions(TuningTask.BinaryClassification, [0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]);
        Assert.Equal(0.875, p.Compute(TuningMetric.Auc), 12);
        Assert.True(double.IsNaN(p.Compute(TuningMetric.Auc, [0, 2])));
    }

    [Fact]
    public void Multiclass_metrics_on_a_hand_example()
    {
        // labels 0,0,1,2,2,2; predicted 0,1,1,2,2,0
        var probabilities = new double[6 * 3];
        int[] predicted = [0, 1, 1, 2, 2, 0];
        for (var i = 0; i < 6; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                probabilities[(i * 3) + c] = c == predicted[i] ? 0.8 : 0.1;
            }
        }

        var p = new Predictions(TuningTask.MulticlassClassification, [0, 0, 1, 2, 2, 2], [], probabilities, predicted, 3);
        Assert.Equal(4.0 / 6, p.Compute(TuningMetric.Accuracy), 12);
        Assert.Equal((0.5 + 1 + (2.0 / 3)) / 3, p.Compute(TuningMetric.MacroAccuracy), 12);
        // per-class F1: class 0: tp1 fp1 fn1 -> 0.5; class 1: tp1 fp1 fn0 -> 2/3; class 2: tp2 fp0 fn1 -> 0.8
        Assert.Equal((0.5 + (2.0 / 3) + 0.8) / 3, p.Compute(TuningMetric.F1), 12);
        Assert.Equal(-((4 * Math.Log(0.8)) + (2 * Math.Log(0.1))) / 6, p.Compute(TuningMetric.LogLoss), 12);
    }

    [Fact]
    public void Regression_metrics_on_a_hand_example()
    {
        var p = new Predictions(TuningTask.Regression, [1, 2, 3, 4], [1.5, 2, 2, 4]);
        Assert.Equal(Math.Sqrt(1.25 / 4), p.Compute(TuningMetric.Rmse), 12);
        Assert.Equal(1.5 / 4, p.Compute(TuningMetric.Mae), 12);
        Assert.Equal(1 - (1.25 / 5), p.Compute(TuningMetric.RSquared), 12);
    }

    [Theory]
    [InlineData("auc", TuningMetric.Auc, StudyDirection.Maximize)]
    [InlineData("Accuracy", TuningMetric.Accuracy, StudyDirection.Maximize)]
    [InlineData("log-loss", TuningMetric.LogLoss, StudyDirection.Minimize)]
    [InlineData("f1", TuningMetric.F1, StudyDirection.Maximize)]
    [InlineData("macro_accuracy", TuningMetric.MacroAccuracy, StudyDirection.Maximize)]
    [InlineData("RMSE", TuningMetric.Rmse, StudyDirection.Minimize)]
    [InlineData("mae", TuningMetric.Mae, StudyDirection.Minimize)]
    [InlineData("r2", TuningMetric.RSquared, StudyDirection.Maximize)]
    public void Metric_names_parse_and_directions_follow(string name, TuningMetric metric, StudyDirection direction)
    {
        Assert.Equal(metric, TuningMetrics.Parse(name));
        Assert.Equal(direction, metric.Direction());
    }

    [Fact]
    public void Metrics_fit_their_tasks_only()
    {
        Assert.False(TuningMetric.Auc.Fits(TuningTask.Regression));
        Assert.False(TuningMetric.Auc.Fits(TuningTask.MulticlassClassification));
        Assert.False(TuningMetric.Rmse.Fits(TuningTask.BinaryClassification));
        Assert.True(TuningMetric.LogLoss.Fits(TuningTask.MulticlassClassification));
        var e = Assert.Throws<ArgumentException>(() => TuningMetrics.Parse("precision"));
        Assert.Contains("auc", e.Message, StringComparison.Ordinal);
    }
}
