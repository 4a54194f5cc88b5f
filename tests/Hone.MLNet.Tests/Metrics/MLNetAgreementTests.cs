using Hone.MLNet.Data;
using Hone.MLNet.Metrics;
using Hone.MLNet.SearchSpaces;
using Microsoft.ML;

namespace Hone.MLNet.Tests.Metrics;

/// <summary>Hone's metrics, computed from the predictions, agree with ML.NET's evaluators on the same scored data.</summary>
public class MLNetAgreementTests
{
    [Fact]
    public void Binary_metrics_agree_with_mlnet()
    {
        var (ml, data, train, valid) = Split(TestData.BreastCancer(), TuningTask.BinaryClassification);
        var scored = TrainerSearchSpaces.Lbfgs(TuningTask.BinaryClassification).CreateEstimator(ml, null).Fit(data.ToDataView(ml, train)).Transform(data.ToDataView(ml, valid));
        var reference = ml.BinaryClassification.Evaluate(scored);
        var p = Predictions.FromScoredData(scored, TuningTask.BinaryClassification, valid.Select(r => data.Labels[r]).ToArray());
        Assert.Equal(reference.AreaUnderRocCurve, p.Compute(TuningMetric.Auc), 6);
        Assert.Equal(reference.Accuracy, p.Compute(TuningMetric.Accuracy), 6);
        Assert.Equal(reference.F1Score, p.Compute(TuningMetric.F1), 6);
        // ML.NET's binary log-loss is in bits (log base 2); Hone's is in nats, as scikit-learn's.
        Assert.Equal(reference.LogLoss * Math.Log(2), p.Compute(TuningMetric.LogLoss), 4);
    }

    [Fact]
    public void Multiclass_metrics_agree_with_mlnet()
    {
        var (ml, data, train, valid) = Split(TestData.Iris(), TuningTask.MulticlassClassification);
        var scored = TrainerSearchSpaces.Lbfgs(TuningTask.MulticlassClassification).CreateEstimator(ml, null).Fit(data.ToDataView(ml, train)).Transform(data.ToDataView(ml, valid));
        var reference = ml.MulticlassClassification.Evaluate(scored);
        var p = Predictions.FromScoredData(scored, TuningTask.MulticlassClassification, valid.Select(r => data.Labels[r]).ToArray(), 3);
        Assert.Equal(reference.MicroAccuracy, p.Compute(TuningMetric.Accuracy), 6);
        Assert.Equal(reference.MacroAccuracy, p.Compute(TuningMetric.MacroAccuracy), 6);
        Assert.Equal(reference.LogLoss, p.Compute(TuningMetric.LogLoss), 4);
    }

    [Fact]
    public void Regression_metrics_agree_with_mlnet()
    {
        var (ml, data, train, valid) = Split(TestData.Regression(), TuningTask.Regression, "y");
        var scored = TrainerSearchSpaces.FastTree(TuningTask.Regression).CreateEstimator(ml, null).Fit(data.ToDataView(ml, train)).Transform(data.ToDataView(ml, valid));
        var reference = ml.Regression.Evaluate(scored);
        var p = Predictions.FromScoredData(scored, TuningTask.Regression, valid.Select(r => data.Labels[r]).ToArray());
        Assert.Equal(reference.RootMeanSquaredError, p.Compute(TuningMetric.Rmse), 5);
        Assert.Equal(reference.MeanAbsoluteError, p.Compute(TuningMetric.Mae), 5);
        Assert.Equal(reference.RSquared, p.Compute(TuningMetric.RSquared), 5);
    }

    private static (MLContext Ml, Dataset Data, int[] Train, int[] Valid) Split(TabularData table, TuningTask task, string label = "target")
    {
        var ml = new MLContext(0);
        var data = Dataset.FromDataView(table.ToDataView(ml), label, task, []);
        var rows = Enumerable.Range(0, data.RowCount).ToArray();
        return (ml, data, rows.Where(r => r % 3 != 0).ToArray(), rows.Where(r => r % 3 == 0).ToArray());
    }
}
