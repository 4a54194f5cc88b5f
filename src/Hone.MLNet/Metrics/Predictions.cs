using Microsoft.ML;
using Microsoft.ML.Data;

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

    /// <summary>
    /// Reads an ML.NET scored data view: binary "Score", "Probability" (if present) and "PredictedLabel";
    /// multiclass "Score" (normalized to sum 1 when non-negative) and the key "PredictedLabel"; regression "Score".
    /// </summary>
    /// <param name="scored">The transformed data.</param>
    /// <param name="task">The task.</param>
    /// <param name="labels">The true labels of the scored rows, in order (0/1, class index, or value).</param>
    /// <param name="classCount">The number of classes (multiclass).</param>
    public static Predictions FromScoredData(IDataView scored, TuningTask task, double[] labels, int classCount = 0)
    {
        ArgumentNullException.ThrowIfNull(scored);
        ArgumentNullException.ThrowIfNull(labels);
        // One pass reads every column: each pass runs the whole pipeline over the rows again.
        var schema = scored.Schema;
        var score = schema["Score"];
        var columns = new List<DataViewSchema.Column> { score };
        var probability = task == TuningTask.BinaryClassification ? schema.GetColumnOrNull("Probability") : null;
        var predictedLabel = task == TuningTask.Regression ? null : schema.GetColumnOrNull("PredictedLabel");
        if (probability is { } p)
        {
            columns.Add(p);
        }

        if (predictedLabel is { } l)
        {
            columns.Add(l);
        }

        using var cursor = scored.GetRowCursor(columns);
        switch (task)
        {
            case TuningTask.BinaryClassification:
                {
                    var scores = new List<double>(labels.Length);
                    var probabilities = probability is null ? null : new List<double>(labels.Length);
                    var predicted = new List<int>(labels.Length);
                    var getScore = cursor.GetGetter<float>(score);
                    var getProbability = probability is { } pc ? cursor.GetGetter<float>(pc) : null;
                    var getPredicted = cursor.GetGetter<bool>(predictedLabel ?? throw new InvalidOperationException("The scored data has no PredictedLabel column."));
                    float s = 0, pr = 0;
                    var b = false;
                    while (cursor.MoveNext())
                    {
                        getScore(ref s);
                        scores.Add(s);
                        if (getProbability is not null)
                        {
                            getProbability(ref pr);
                            probabilities!.Add(pr);
                        }

                        getPredicted(ref b);
                        predicted.Add(b ? 1 : 0);
                    }

                    return new Predictions(task, labels, [.. scores], probabilities?.ToArray(), [.. predicted]);
                }

            case TuningTask.MulticlassClassification:
                {
                    var k = classCount;
                    var probabilities = new double[labels.Length * k];
                    var predicted = new List<int>(labels.Length);
                    var getScore = cursor.GetGetter<VBuffer<float>>(score);
                    var getPredicted = cursor.GetGetter<uint>(predictedLabel ?? throw new InvalidOperationException("The scored data has no PredictedLabel column."));
                    var buffer = default(VBuffer<float>);
                    uint key = 0;
                    var i = 0;
                    while (cursor.MoveNext())
                    {
                        getScore(ref buffer);
                        var dense = buffer.DenseValues().ToArray();
                        var sum = dense.All(v => v >= 0) ? dense.Sum() : 0;
                        for (var c = 0; c < k && c < dense.Length; c++)
                        {
                            probabilities[(i * k) + c] = sum > 0 ? dense[c] / sum : dense[c];
                        }

                        // The key column's raw values are 1-based (0 is missing).
                        getPredicted(ref key);
                        predicted.Add((int)key - 1);
                        i++;
                    }

                    return new Predictions(task, labels, [], probabilities, [.. predicted], k);
                }

            default:
                {
                    var scores = new List<double>(labels.Length);
                    var getScore = cursor.GetGetter<float>(score);
                    float s = 0;
                    while (cursor.MoveNext())
                    {
                        getScore(ref s);
                        scores.Add(s);
                    }

                    return new Predictions(task, labels, [.. scores]);
                }
        }
    }
}
