using System.Globalization;
using System.Text.Json;
using Hone.MLNet.Data;

namespace Hone.MLNet.MetaLearning;

/// <summary>
/// A dataset described by a few numbers, so that a new dataset can be matched with the most similar ones tuned before:
/// its size, its classes, the kinds of its columns, how much is missing, and two landmarkers (the cross-validated
/// scores of very cheap learners, which say how hard the problem is; Pfahringer, Bensusan and Giraud-Carrier 2000,
/// "Meta-learning by landmarking various learning algorithms", ICML). Starting a study from the best configurations
/// of the nearest datasets is the meta-learning warm start of auto-sklearn (Feurer, Springenberg and Hutter 2015,
/// "Initializing Bayesian hyperparameter optimization via meta-learning", AAAI).
/// </summary>
/// <remarks>
/// <see cref="Tuning.MLNetTuner"/> computes them from the tuning rows only (never the test rows) and records them on the
/// study as the user attribute <see cref="AttributeKey"/>, where <see cref="Portfolio.FromStorage"/> finds them.
/// Each number is on a scale where a difference means the same across datasets (logarithms for counts, shares in
/// [0, 1]); <see cref="Portfolio"/> standardizes them before measuring distances.
/// </remarks>
/// <param name="LogRows">The natural logarithm of the number of tuning rows.</param>
/// <param name="LogColumns">The natural logarithm of the number of feature columns (before any encoding).</param>
/// <param name="LogClasses">The natural logarithm of the number of classes (0 for regression).</param>
/// <param name="ClassEntropy">The entropy of the class shares divided by its maximum, log(classes): 1 for balanced classes (0 for regression).</param>
/// <param name="MinorityShare">The share of the rarest class (0 for regression).</param>
/// <param name="NumericShare">The share of feature columns that are numeric.</param>
/// <param name="CategoricalShare">The share of feature columns that are categorical.</param>
/// <param name="TextShare">The share of feature columns that are free text.</param>
/// <param name="MissingShare">The share of feature cells that are missing.</param>
/// <param name="StumpScore">
/// The 5-fold cross-validated score of a decision stump: the best single split on one column (a threshold for a numeric
/// column, one leaf per value for a categorical one, missing cells in a leaf of their own), chosen on the training folds.
/// Accuracy for classification, R² (at least −1) for regression.
/// </param>
/// <param name="CentroidScore">
/// The 5-fold cross-validated score of a second cheap learner on the numeric columns, standardized on the training folds
/// (missing cells at the mean): for classification the accuracy of the nearest class centroid; for regression the R²
/// (at least −1) of the least-squares line on the single best numeric column. Without numeric columns it is the score
/// of predicting the majority class (the mean).
/// </param>
public sealed record DatasetMetaFeatures(
    double LogRows,
    double LogColumns,
    double LogClasses,
    double ClassEntropy,
    double MinorityShare,
    double NumericShare,
    double CategoricalShare,
    double TextShare,
    double MissingShare,
    double StumpScore,
    double CentroidScore)
{
    /// <summary>The study user attribute that holds a dataset's meta-features (an object of <see cref="Names"/> to numbers).</summary>
    public const string AttributeKey = "hone.meta_features";

    /// <summary>The meta-features' names, in the order of <see cref="ToVector"/>.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "log_rows", "log_columns", "log_classes", "class_entropy", "minority_share",
        "numeric_share", "categorical_share", "text_share", "missing_share", "stump_score", "centroid_score",
    ];

    /// <summary>The numbers in the order of <see cref="Names"/>.</summary>
    public double[] ToVector() =>
        [LogRows, LogColumns, LogClasses, ClassEntropy, MinorityShare, NumericShare, CategoricalShare, TextShare, MissingShare, StumpScore, CentroidScore];

    /// <summary>The meta-features by name, as recorded on a study (<see cref="AttributeKey"/>).</summary>
    public IReadOnlyDictionary<string, double> ToDictionary()
    {
        var vector = ToVector();
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < vector.Length; i++)
        {
            result[Names[i]] = vector[i];
        }

        return result;
    }

    /// <summary>Reads meta-features recorded as <see cref="ToDictionary"/> writes them (a JSON object).</summary>
    /// <exception cref="FormatException">The value is not an object of finite numbers with every name of <see cref="Names"/>.</exception>
    public static DatasetMetaFeatures FromJson(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Meta-features must be a JSON object of {string.Join(", ", Names)}; got {value.ValueKind}.");
        }

        var v = new double[Names.Count];
        for (var i = 0; i < v.Length; i++)
        {
            if (!value.TryGetProperty(Names[i], out var x) || x.ValueKind != JsonValueKind.Number || !double.IsFinite(x.GetDouble()))
            {
                throw new FormatException($"Meta-features lack a finite number \"{Names[i]}\"; they need {string.Join(", ", Names)}.");
            }

            v[i] = x.GetDouble();
        }

        return new DatasetMetaFeatures(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
    }

    /// <summary>
    /// The meta-features of a table's rows, as <see cref="Tuning.MLNetTuner"/> computes them on its tuning rows (this overload
    /// takes every row: split off the test rows first if they must not be seen).
    /// </summary>
    /// <exception cref="ArgumentException">The label column is missing or does not fit the task, or a column is unusable (as in <see cref="Tuning.MLNetTuner.Tune(TabularData, string, Tuning.TuneOptions, CancellationToken)"/>).</exception>
    public static DatasetMetaFeatures Of(TabularData data, string labelColumnName, TuningTask task, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(labelColumnName);
        if (!data.ColumnNames.Contains(labelColumnName))
        {
            throw new ArgumentException($"{data.Source} has no label column \"{labelColumnName}\"; its columns are {string.Join(", ", data.ColumnNames)}.", nameof(labelColumnName));
        }

        var dataset = Dataset.FromTable(new Microsoft.ML.MLContext(seed), data, labelColumnName, task, [], [], []);
        return Compute(dataset, Enumerable.Range(0, dataset.RowCount).ToArray(), seed);
    }

    /// <summary>The meta-features of <paramref name="rows"/> of <paramref name="data"/>.</summary>
    internal static DatasetMetaFeatures Compute(Dataset data, IReadOnlyList<int> rows, int seed)
    {
        if (rows.Count < 2)
        {
            throw new ArgumentException($"Meta-features need at least 2 rows, got {rows.Count}.", nameof(rows));
        }

        var table = LandmarkTable.From(data, rows);
        var columns = table.ColumnCount;
        double numeric = 0, categorical = 0, text = 0, missing = 0;
        if (data.Columns is { } raw)
        {
            foreach (var c in raw)
            {
                switch (c.Kind)
                {
                    case ColumnKind.Numeric: numeric++; break;
                    case ColumnKind.Categorical: categorical++; break;
                    default: text++; break;
                }

                foreach (var r in rows)
                {
                    if (c.Kind == ColumnKind.Numeric ? float.IsNaN(c.Numbers![r]) : c.Texts![r].Length == 0)
                    {
                        missing++;
                    }
                }
            }
        }
        else
        {
            numeric = data.FeatureCount;
        }

        double logClasses = 0, entropy = 0, minority = 0;
        if (data.Task.IsClassification())
        {
            var k = Math.Max(2, data.ClassCount);
            var counts = new double[k];
            foreach (var r in rows)
            {
                counts[(int)data.Labels[r]]++;
            }

            logClasses = Math.Log(k);
            entropy = -counts.Where(c => c > 0).Sum(c => c / rows.Count * Math.Log(c / rows.Count)) / Math.Log(k);
            minority = counts.Min() / rows.Count;
        }

        var (stump, centroid) = Landmarkers.Scores(table, seed);
        return new DatasetMetaFeatures(
            Math.Log(rows.Count), Math.Log(Math.Max(1, columns)), logClasses, entropy, minority,
            numeric / columns, categorical / columns, text / columns, missing / ((double)columns * rows.Count), stump, centroid);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", ToDictionary().Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.###}")));
}
