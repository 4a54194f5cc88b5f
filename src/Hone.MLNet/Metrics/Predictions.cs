namespace Hone.MLNet.Metrics;

/// <summary>
/// A model's predictions on a set of rows, with the true labels: what every metric is computed from.
/// </summary>
/// <remarks>
/// Binary: <see cref="Labels"/> are 0/1, <see cref="Scores"/> the raw scores (for AUC),
/// <see cref="Probabilities"/> P(class 1), <see cref="PredictedClasses"/> 0/1.
/// Multiclass: labels and predicted classes are class indices, <see cref="Probabilities"/> holds
/// <see cref="ClassCount"/> values a row. Regression: <see cref="Scores"/> are the predictions.
/// </remarks>
public sealed class Predictions
{
    /// <summary>Creates predictions; the arrays are kept, not copied.</summary>
    public Predictions(TuningTask task, double[] labels, double[] scores, double[]? probabilities = null, int[]? predictedClasses = null, int classCount = 0)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        Task = task;
        Labels = labels;
        Scores = scores;
        Probabilities = probabilities;
        PredictedClasses = predictedClasses;
        ClassCount = task == TuningTask.BinaryClassification ? 2 : classCount;
    }

    /// <summary>The task.</summary>
    public TuningTask Task { get; }

    /// <summary>The true labels: 0/1 (binary), class index (multiclass), value (regression).</summary>
    public IReadOnlyList<double> Labels { get; }

    /// <summary>Raw scores (binary) or predicted values (regression); empty for multiclass.</summary>
    public IReadOnlyList<double> Scores { get; }

    /// <summary>P(class 1) a row (binary), or <see cref="ClassCount"/> probabilities a row (multiclass).</summary>
    public IReadOnlyList<double>? Probabilities { get; }

    /// <summary>The predicted class a row (classification).</summary>
    public IReadOnlyList<int>? PredictedClasses { get; }

    /// <summary>The number of classes (classification).</summary>
    public int ClassCount { get; }

    /// <summary>The number of rows.</summary>
    public int Count => Labels.Count;

    /// <summary>Computes a metric over all rows.</summary>
    public double Compute(TuningMetric metric) => MetricCalculator.Compute(metric, this, null);

    /// <summary>Computes a metric over the given rows (repeats allowed, as in a bootstrap resample).</summary>
    public double Compute(TuningMetric metric, IReadOnlyList<int> rows) => MetricCalculator.Compute(metric, this, rows);
}
