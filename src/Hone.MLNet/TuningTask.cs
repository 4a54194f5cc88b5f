namespace Hone.MLNet;

/// <summary>The kind of model to tune.</summary>
public enum TuningTask
{
    /// <summary>Two classes; the label is a boolean, or numbers 0 and 1.</summary>
    BinaryClassification,

    /// <summary>Two or more classes; the label is a class name or an integer class number.</summary>
    MulticlassClassification,

    /// <summary>A real-valued label.</summary>
    Regression,
}

/// <summary>Names and parsing for <see cref="TuningTask"/>.</summary>
public static class TuningTasks
{
    /// <summary>Parses a task name as the command line writes it: binary, multiclass or regression (or the enum names).</summary>
    /// <exception cref="ArgumentException">The name is not a task.</exception>
    public static TuningTask Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant() switch
        {
            "BINARY" or "BINARYCLASSIFICATION" or "BINARY-CLASSIFICATION" => TuningTask.BinaryClassification,
            "MULTICLASS" or "MULTICLASSCLASSIFICATION" or "MULTICLASS-CLASSIFICATION" => TuningTask.MulticlassClassification,
            "REGRESSION" => TuningTask.Regression,
            _ => throw new ArgumentException($"Unknown task \"{name}\"; use binary, multiclass or regression.", nameof(name)),
        };
    }

    /// <summary>The short name: binary, multiclass or regression.</summary>
    public static string ShortName(this TuningTask task) => task switch
    {
        TuningTask.BinaryClassification => "binary",
        TuningTask.MulticlassClassification => "multiclass",
        TuningTask.Regression => "regression",
        _ => task.ToString(),
    };

    /// <summary>Whether the task is a classification (binary or multiclass).</summary>
    public static bool IsClassification(this TuningTask task) => task != TuningTask.Regression;
}
