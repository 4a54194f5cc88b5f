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

    /// <summary>The most distinct integer values a label may have to be taken as class numbers by <see cref="Infer"/>.</summary>
    public const int MaxInferredClasses = 20;

    /// <summary>
    /// The task a label column implies, for when the user does not say: binary for booleans or the numbers 0 and 1;
    /// multiclass for class names, or up to <see cref="MaxInferredClasses"/> distinct integers; regression otherwise.
    /// Missing cells are ignored.
    /// </summary>
    /// <exception cref="ArgumentException">The table has no such column, or the column has no values.</exception>
    public static TuningTask Infer(Data.TabularData data, string labelColumnName)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.ColumnNames.Contains(labelColumnName))
        {
            throw new ArgumentException($"{data.Source} has no column \"{labelColumnName}\".", nameof(labelColumnName));
        }

        var cells = data.Cells(labelColumnName).Where(c => !Data.TabularData.IsMissing(c)).Select(c => c.Trim()).ToArray();
        if (cells.Length == 0)
        {
            throw new ArgumentException($"Label \"{labelColumnName}\" has no values.", nameof(labelColumnName));
        }

        var numbers = new HashSet<double>();
        foreach (var cell in cells)
        {
            if (!Data.TabularData.TryParse(cell, out var x))
            {
                return cells.All(c => bool.TryParse(c, out _)) ? TuningTask.BinaryClassification : TuningTask.MulticlassClassification;
            }

            numbers.Add(x);
        }

        if (numbers.Count == 2 && numbers.Contains(0) && numbers.Contains(1))
        {
            return TuningTask.BinaryClassification;
        }

        return numbers.Count <= MaxInferredClasses && numbers.All(x => x == Math.Round(x)) ? TuningTask.MulticlassClassification : TuningTask.Regression;
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
