using Hone.Studies;

namespace Hone.MLNet.Metrics;

/// <summary>A score to optimize. Its direction (maximize or minimize) follows from the metric.</summary>
public enum TuningMetric
{
    /// <summary>Fraction of rows whose predicted class is right (micro-accuracy). Classification; maximize.</summary>
    Accuracy,

    /// <summary>Area under the ROC curve of the score. Binary only; maximize.</summary>
    Auc,

    /// <summary>Mean negative log of the probability given to the true class. Classification; minimize.</summary>
    LogLoss,

    /// <summary>F1 of the positive class (binary) or the mean F1 over classes (multiclass, macro-F1). Maximize.</summary>
    F1,

    /// <summary>Mean over classes of each class's recall (balanced accuracy). Classification; maximize.</summary>
    MacroAccuracy,

    /// <summary>Root mean squared error. Regression; minimize.</summary>
    Rmse,

    /// <summary>Mean absolute error. Regression; minimize.</summary>
    Mae,

    /// <summary>Coefficient of determination, 1 − SSres/SStot. Regression; maximize.</summary>
    RSquared,
}

/// <summary>Directions, names and task rules of <see cref="TuningMetric"/>.</summary>
public static class TuningMetrics
{
    /// <summary>Whether larger is better (maximize) or smaller (minimize).</summary>
    public static StudyDirection Direction(this TuningMetric metric) => metric switch
    {
        TuningMetric.LogLoss or TuningMetric.Rmse or TuningMetric.Mae => StudyDirection.Minimize,
        _ => StudyDirection.Maximize,
    };

    /// <summary>The metric a task uses when none is given: AUC (binary), accuracy (multiclass), RMSE (regression).</summary>
    public static TuningMetric DefaultFor(TuningTask task) => task switch
    {
        TuningTask.BinaryClassification => TuningMetric.Auc,
        TuningTask.MulticlassClassification => TuningMetric.Accuracy,
        _ => TuningMetric.Rmse,
    };

    /// <summary>The metrics that fit a task.</summary>
    public static IReadOnlyList<TuningMetric> For(TuningTask task) => task switch
    {
        TuningTask.BinaryClassification => [TuningMetric.Auc, TuningMetric.Accuracy, TuningMetric.LogLoss, TuningMetric.F1, TuningMetric.MacroAccuracy],
        TuningTask.MulticlassClassification => [TuningMetric.Accuracy, TuningMetric.MacroAccuracy, TuningMetric.LogLoss, TuningMetric.F1],
        _ => [TuningMetric.Rmse, TuningMetric.Mae, TuningMetric.RSquared],
    };

    /// <summary>Whether the metric can score the task.</summary>
    public static bool Fits(this TuningMetric metric, TuningTask task) => For(task).Contains(metric);

    /// <summary>The metric's short lower-case name (auc, accuracy, logloss, f1, macro-accuracy, rmse, mae, r2).</summary>
    public static string ShortName(this TuningMetric metric) => metric switch
    {
        TuningMetric.Auc => "auc",
        TuningMetric.Accuracy => "accuracy",
        TuningMetric.LogLoss => "logloss",
        TuningMetric.F1 => "f1",
        TuningMetric.MacroAccuracy => "macro-accuracy",
        TuningMetric.Rmse => "rmse",
        TuningMetric.Mae => "mae",
        TuningMetric.RSquared => "r2",
        _ => metric.ToString(),
    };

    /// <summary>Parses a metric name (short name, enum name, any case; also log-loss, macro_accuracy, rsquared).</summary>
    /// <exception cref="ArgumentException">The name is not a metric.</exception>
    public static TuningMetric Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
        return key switch
        {
            "AUC" or "ROCAUC" => TuningMetric.Auc,
            "ACCURACY" or "ACC" or "MICROACCURACY" => TuningMetric.Accuracy,
            "LOGLOSS" => TuningMetric.LogLoss,
            "F1" or "F1SCORE" => TuningMetric.F1,
            "MACROACCURACY" or "BALANCEDACCURACY" => TuningMetric.MacroAccuracy,
            "RMSE" => TuningMetric.Rmse,
            "MAE" => TuningMetric.Mae,
            "R2" or "RSQUARED" => TuningMetric.RSquared,
            _ => throw new ArgumentException(
                $"Unknown metric \"{name}\"; use one of auc, accuracy, logloss, f1, macro-accuracy (classification) or rmse, mae, r2 (regression).",
                nameof(name)),
        };
    }
}
