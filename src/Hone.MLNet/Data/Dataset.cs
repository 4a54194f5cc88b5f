using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Hone.MLNet.Data;

/// <summary>
/// The rows to tune on, checked and copied out of an <see cref="IDataView"/> once: a dense feature matrix
/// and a label a row (0/1 for binary, a class index for multiclass, the value for regression).
/// </summary>
internal sealed class Dataset
{
    private const string LabelColumn = "Label";
    private readonly DataViewSchema? _rawSchema;
    private readonly Array[]? _rawArrays;

    private Dataset(TuningTask task, float[] features, int rows, string[] featureNames, double[] labels, string[] classNames, FeatureColumn[]? raw = null)
    {
        Task = task;
        Features = features;
        RowCount = rows;
        FeatureNames = featureNames;
        Labels = labels;
        ClassNames = classNames;
        Columns = raw;
        if (raw is not null)
        {
            var builder = new DataViewSchema.Builder();
            var arrays = new List<Array>();
            foreach (var column in raw)
            {
                builder.AddColumn(column.Name, column.Kind == ColumnKind.Numeric ? NumberDataViewType.Single : TextDataViewType.Instance);
                arrays.Add(column.Kind == ColumnKind.Numeric ? column.Numbers! : column.Texts!);
            }

            switch (task)
            {
                case TuningTask.BinaryClassification:
                    builder.AddColumn(LabelColumn, BooleanDataViewType.Instance);
                    arrays.Add(labels.Select(v => v > 0.5).ToArray());
                    break;
                case TuningTask.MulticlassClassification:
                    builder.AddColumn(LabelColumn, new KeyDataViewType(typeof(uint), classNames.Length));
                    arrays.Add(labels.Select(v => (uint)v + 1).ToArray());
                    break;
                default:
                    builder.AddColumn(LabelColumn, NumberDataViewType.Single);
                    arrays.Add(labels.Select(v => (float)v).ToArray());
                    break;
            }

            _rawSchema = builder.ToSchema();
            _rawArrays = [.. arrays];
            var inputs = new DataViewSchema.Builder();
            foreach (var column in raw)
            {
                inputs.AddColumn(column.Name, column.Kind == ColumnKind.Numeric ? NumberDataViewType.Single : TextDataViewType.Instance);
            }

            RawInputSchema = inputs.ToSchema();
        }
    }

    /// <summary>The raw feature columns (data read from a table); null when the features are a numeric matrix.</summary>
    public IReadOnlyList<FeatureColumn>? Columns { get; }

    /// <summary>With raw columns, the schema a pipeline model reads: the feature columns, without the label.</summary>
    public DataViewSchema? RawInputSchema { get; }

    /// <summary>Problems in the data that did not stop tuning (e.g. a column left out), in words for the user.</summary>
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    public TuningTask Task { get; }

    /// <summary>Row-major, <see cref="RowCount"/> × <see cref="FeatureCount"/>.</summary>
    public float[] Features { get; }

    public int RowCount { get; }

    public int FeatureCount => FeatureNames.Length;

    public string[] FeatureNames { get; }

    public double[] Labels { get; }

    /// <summary>Class names by index (classification).</summary>
    public string[] ClassNames { get; }

    public int ClassCount => ClassNames.Length;

    /// <summary>Reads and checks the data; every problem is an <see cref="ArgumentException"/> that says what to change.</summary>
    public static Dataset FromDataView(IDataView data, string labelColumnName, TuningTask task, IReadOnlyCollection<string> ignoreColumns)
    {
        var schema = data.Schema;
        var labelColumn = schema.GetColumnOrNull(labelColumnName) ?? throw new ArgumentException(
            $"The data has no label column \"{labelColumnName}\"; its columns are {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.",
            nameof(labelColumnName));
        var (labels, classNames) = ReadLabels(data, labelColumn, task);

        var names = new List<string>();
        var columns = new List<float[]>();
        foreach (var column in schema)
        {
            if (column.IsHidden || column.Name == labelColumnName || ignoreColumns.Contains(column.Name))
            {
                continue;
            }

            foreach (var (name, values) in ReadFeature(data, column))
            {
                for (var r = 0; r < values.Length; r++)
                {
                    if (!float.IsFinite(values[r]))
                    {
                        throw new ArgumentException(
                            $"Feature \"{name}\" is missing or not finite in row {r + 1} ({values[r].ToString(CultureInfo.InvariantCulture)}); " +
                            "fill in missing values (or drop the column with IgnoreColumns) before tuning.", nameof(data));
                    }
                }

                names.Add(name);
                columns.Add(values);
            }
        }

        if (names.Count == 0)
        {
            throw new ArgumentException($"The data has no feature column besides the label \"{labelColumnName}\".", nameof(data));
        }

        var n = labels.Length;
        var d = names.Count;
        var x = new float[n * d];
        for (var j = 0; j < d; j++)
        {
            var col = columns[j];
            for (var r = 0; r < n; r++)
            {
                x[(r * d) + j] = col[r];
            }
        }

        return new Dataset(task, x, n, [.. names], labels, classNames);
    }

    /// <summary>
    /// Reads a table's columns as they are (numeric with NaN for missing values, categorical, text), for a pipeline
    /// that featurizes them; every problem is an <see cref="ArgumentException"/> that names the column and says what to do.
    /// </summary>
    public static Dataset FromTable(MLContext mlContext, TabularData table, string labelColumnName, TuningTask task, IReadOnlyCollection<string> ignore,
        IReadOnlyCollection<string> categorical, IReadOnlyCollection<string> text)
    {
        var columns = string.Join(", ", table.ColumnNames);
        void CheckNames(IReadOnlyCollection<string> names, string flag)
        {
            foreach (var name in names)
            {
                if (!table.ColumnNames.Contains(name))
                {
                    throw new ArgumentException($"{flag} names column \"{name}\", which {table.Source} does not have; its columns are {columns}.", nameof(table));
                }

                if (name == labelColumnName && flag != "--ignore")
                {
                    throw new ArgumentException($"{flag} names column \"{name}\", which is the label; it lists feature columns only.", nameof(table));
                }
            }
        }

        CheckNames(ignore, "--ignore");
        CheckNames(categorical, "--categorical");
        CheckNames(text, "--text");
        if (categorical.Intersect(text).FirstOrDefault() is { } both)
        {
            throw new ArgumentException($"Column \"{both}\" is in both --categorical and --text; give it one kind.", nameof(table));
        }

        if (task != TuningTask.MulticlassClassification && table.FirstNonNumericCell(labelColumnName) is { } cell)
        {
            throw new ArgumentException(
                $"Label \"{labelColumnName}\" is text ({cell}); task {task.ShortName()} needs a " +
                (task == TuningTask.Regression ? "numeric label." : "boolean or 0/1 label. Use task multiclass for class names."),
                nameof(labelColumnName));
        }

        var view = table.ToDataView(mlContext);
        var (labels, classNames) = ReadLabels(view, view.Schema[labelColumnName], task);
        var features = new List<FeatureColumn>();
        var warnings = new List<string>();
        var n = table.RowCount;
        foreach (var name in table.ColumnNames)
        {
            if (name == labelColumnName || ignore.Contains(name))
            {
                continue;
            }

            if (name is "Label" or "Features" || name.StartsWith("hone.", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Feature column \"{name}\" has a name the pipeline uses for itself (Label, Features, hone.*); rename the column in {table.Source} or drop it with --ignore {name}.", nameof(table));
            }

            var missing = table.MissingCount(name);
            if (missing == n)
            {
                throw new ArgumentException(
                    $"Column \"{name}\" has no values in its {n} rows (every cell is empty, NA, NaN or ?); drop it with --ignore {name}.", nameof(table));
            }

            var kind = categorical.Contains(name) ? ColumnKind.Categorical : text.Contains(name) ? ColumnKind.Text : table.KindOf(name);
            var index = table.ColumnIndex(name);
            if (kind == ColumnKind.Numeric)
            {
                var values = new float[n];
                for (var r = 0; r < n; r++)
                {
                    var c = table.Cell(r, index);
                    values[r] = TabularData.IsMissing(c) ? float.NaN : TabularData.TryParse(c, out var v) ? (float)v : float.NaN;
                }

                features.Add(new FeatureColumn(name, kind, values, null, missing, table.DistinctCount(name)));
                continue;
            }

            var texts = new string[n];
            for (var r = 0; r < n; r++)
            {
                var c = table.Cell(r, index);
                texts[r] = TabularData.IsMissing(c) ? string.Empty : c;
            }

            var distinct = table.DistinctCount(name);
            if (kind == ColumnKind.Categorical && distinct < 2)
            {
                var only = texts.FirstOrDefault(t => t.Length > 0) ?? "";
                warnings.Add(missing == 0
                    ? $"Column \"{name}\" holds the single value \"{only}\" in all {n} rows, so it cannot tell rows apart; it was left out (--ignore {name} says so explicitly)."
                    : $"Column \"{name}\" holds the single value \"{only}\" ({missing} of {n} rows are missing); it was left out (--ignore {name} says so explicitly).");
                continue;
            }

            features.Add(new FeatureColumn(name, kind, null, texts, missing, distinct));
        }

        if (features.Count == 0)
        {
            throw new ArgumentException($"{table.Source} has no feature column besides the label \"{labelColumnName}\" (after --ignore and single-valued columns).", nameof(table));
        }

        return new Dataset(task, [], n, features.Select(f => f.Name).ToArray(), labels, classNames, [.. features]) { Warnings = warnings };
    }

    /// <summary>An ML.NET view of the given rows with a "Label" of the task's type and either the raw feature columns or a "Features" vector.</summary>
    public IDataView ToDataView(MLContext mlContext, IReadOnlyList<int> rows)
    {
        if (_rawSchema is not null)
        {
            return new ColumnarDataView(_rawSchema, _rawArrays!, rows);
        }

        var d = FeatureCount;
        float[] RowFeatures(int r) => Features.AsSpan(r * d, d).ToArray();
        switch (Task)
        {
            case TuningTask.BinaryClassification:
                {
                    var schema = SchemaDefinition.Create(typeof(BinaryRow));
                    schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
                    var list = rows.Select(r => new BinaryRow { Features = RowFeatures(r), Label = Labels[r] > 0.5 }).ToList();
                    return mlContext.Data.LoadFromEnumerable(list, schema);
                }

            case TuningTask.MulticlassClassification:
                {
                    var schema = SchemaDefinition.Create(typeof(KeyRow));
                    schema[nameof(KeyRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
                    schema[nameof(KeyRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), ClassCount);
                    // LoadFromEnumerable reads a key member 0-based (class index) and stores it as key = index + 1.
                    var list = rows.Select(r => new KeyRow { Features = RowFeatures(r), Label = (uint)Labels[r] }).ToList();
                    return mlContext.Data.LoadFromEnumerable(list, schema);
                }

            default:
                {
                    var schema = SchemaDefinition.Create(typeof(RegressionRow));
                    schema[nameof(RegressionRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
                    var list = rows.Select(r => new RegressionRow { Features = RowFeatures(r), Label = (float)Labels[r] }).ToList();
                    return mlContext.Data.LoadFromEnumerable(list, schema);
                }
        }
    }

    private static (double[] Labels, string[] ClassNames) ReadLabels(IDataView data, DataViewSchema.Column column, TuningTask task)
    {
        var type = column.Type;
        var name = column.Name;
        if (type is KeyDataViewType)
        {
            if (task != TuningTask.MulticlassClassification)
            {
                throw new ArgumentException($"Label \"{name}\" is a key (class) column; it fits task multiclass, not {task.ShortName()}.", nameof(data));
            }

            var keys = data.GetColumn<uint>(column).ToArray();
            if (keys.Any(k => k == 0))
            {
                throw new ArgumentException($"Label \"{name}\" has missing keys; every row needs a class.", nameof(data));
            }

            return ClassesOf(keys.Select(k => (double)k).ToArray(), name);
        }

        if (type is TextDataViewType)
        {
            var texts = data.GetColumn<ReadOnlyMemory<char>>(column).Select(t => t.ToString().Trim()).ToArray();
            if (task != TuningTask.MulticlassClassification)
            {
                var example = texts.FirstOrDefault(t => !TabularData.TryParse(t, out _)) ?? texts.FirstOrDefault() ?? "";
                throw new ArgumentException(
                    $"Label \"{name}\" is text (e.g. \"{example}\"); task {task.ShortName()} needs a " +
                    (task == TuningTask.Regression ? "numeric label." : "boolean or 0/1 label. Use task multiclass for class names."),
                    nameof(data));
            }

            if (texts.Any(t => t.Length == 0))
            {
                throw new ArgumentException($"Label \"{name}\" is empty in row {Array.FindIndex(texts, t => t.Length == 0) + 1}; every row needs a class.", nameof(data));
            }

            var classes = texts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (double)p.i, StringComparer.Ordinal);
            CheckClassCount(classes.Length, name);
            return (texts.Select(t => index[t]).ToArray(), classes);
        }

        var values = ReadNumeric(data, column) ?? throw new ArgumentException(
            $"Label \"{name}\" has type {type}; it must be numeric, boolean{(task == TuningTask.MulticlassClassification ? ", text or a key" : "")}.", nameof(data));
        for (var r = 0; r < values.Length; r++)
        {
            if (!double.IsFinite(values[r]))
            {
                throw new ArgumentException($"Label \"{name}\" is missing or not finite in row {r + 1}.", nameof(data));
            }
        }

        switch (task)
        {
            case TuningTask.BinaryClassification:
                {
                    var distinct = values.Distinct().Order().ToArray();
                    if (distinct.Any(v => v is not (0 or 1)))
                    {
                        throw new ArgumentException(
                            $"Label \"{name}\" has values {Show(distinct)}; task binary needs 0/1 or booleans" +
                            (distinct.All(v => v == Math.Round(v)) ? " (use task multiclass for more classes)." : " (use task regression for a real-valued label)."),
                            nameof(data));
                    }

                    if (distinct.Length < 2)
                    {
                        throw new ArgumentException($"Label \"{name}\" has only the value {Show(distinct)}; binary classification needs both classes.", nameof(data));
                    }

                    return (values, type is BooleanDataViewType ? ["False", "True"] : ["0", "1"]);
                }

            case TuningTask.MulticlassClassification:
                {
                    var fractional = values.FirstOrDefault(v => v != Math.Round(v), double.NaN);
                    if (!double.IsNaN(fractional))
                    {
                        throw new ArgumentException(
                            $"Label \"{name}\" has non-integer values such as {fractional.ToString(CultureInfo.InvariantCulture)}; task multiclass needs class numbers or names (use task regression for a real-valued label).",
                            nameof(data));
                    }

                    return ClassesOf(values, name);
                }

            default:
                if (type is BooleanDataViewType)
                {
                    throw new ArgumentException($"Label \"{name}\" is boolean; task regression needs a numeric label (use task binary).", nameof(data));
                }

                return (values, []);
        }
    }

    private static (double[] Labels, string[] ClassNames) ClassesOf(double[] values, string name)
    {
        var classes = values.Distinct().Order().ToArray();
        CheckClassCount(classes.Length, name);
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (double)p.i);
        return (values.Select(v => index[v]).ToArray(), classes.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    private static void CheckClassCount(int count, string name)
    {
        if (count < 2)
        {
            throw new ArgumentException($"Label \"{name}\" has {count} class; classification needs at least 2.", nameof(name));
        }
    }

    private static string Show(double[] distinct) =>
        string.Join(", ", distinct.Take(6).Select(v => v.ToString(CultureInfo.InvariantCulture))) + (distinct.Length > 6 ? ", ..." : "");

    private static IEnumerable<(string Name, float[] Values)> ReadFeature(IDataView data, DataViewSchema.Column column)
    {
        var type = column.Type;
        if (type is VectorDataViewType vector)
        {
            if (!vector.IsKnownSize || vector.ItemType is not NumberDataViewType)
            {
                throw new ArgumentException(
                    $"Feature column \"{column.Name}\" is {type}; features must be numeric (numbers, booleans, or fixed-size vectors of Single/Double). " +
                    "Drop it with IgnoreColumns or encode it first.", nameof(data));
            }

            var size = vector.Size;
            var rows = vector.ItemType.RawType == typeof(double)
                ? data.GetColumn<VBuffer<double>>(column).Select(v => v.DenseValues().Select(x => (float)x).ToArray()).ToArray()
                : vector.ItemType.RawType == typeof(float)
                    ? data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray()
                    : throw new ArgumentException($"Feature column \"{column.Name}\" is {type}; vectors must hold Single or Double.", nameof(data));
            for (var j = 0; j < size; j++)
            {
                yield return ($"{column.Name}[{j}]", rows.Select(r => r[j]).ToArray());
            }

            yield break;
        }

        var values = ReadNumeric(data, column);
        if (values is null || type is KeyDataViewType)
        {
            var example = type is TextDataViewType
                ? " (e.g. \"" + (data.GetColumn<ReadOnlyMemory<char>>(column).Select(t => t.ToString()).FirstOrDefault(t => !TabularData.TryParse(t, out _)) ?? "") + "\")"
                : "";
            throw new ArgumentException(
                $"Feature column \"{column.Name}\" is {type}{example}, not numeric; features must be numbers or booleans. " +
                "Drop it with IgnoreColumns, or encode it (e.g. OneHotEncoding) before tuning.", nameof(data));
        }

        yield return (column.Name, values.Select(v => (float)v).ToArray());
    }

    private static double[]? ReadNumeric(IDataView data, DataViewSchema.Column column)
    {
        var raw = column.Type.RawType;
        if (column.Type is KeyDataViewType)
        {
            return null;
        }

        return raw switch
        {
            _ when raw == typeof(float) => data.GetColumn<float>(column).Select(v => (double)v).ToArray(),
            _ when raw == typeof(double) => data.GetColumn<double>(column).ToArray(),
            _ when raw == typeof(int) => data.GetColumn<int>(column).Select(v => (double)v).ToArray(),
            _ when raw == typeof(long) => data.GetColumn<long>(column).Select(v => (double)v).ToArray(),
            _ when raw == typeof(short) => data.GetColumn<short>(column).Select(v => (double)v).ToArray(),
            _ when raw == typeof(byte) => data.GetColumn<byte>(column).Select(v => (double)v).ToArray(),
            _ when raw == typeof(sbyte) => data.GetColumn<sbyte>(column).Select(v => (double)v).ToArray(),
            _ when raw == typeof(uint) => data.GetColumn<uint>(column).Select(v => (double)v).ToArray(),
            _ when raw == typeof(ulong) => data.GetColumn<ulong>(column).Select(v => (double)v).ToArray(),
            _ when raw == typeof(ushort) => data.GetColumn<ushort>(column).Select(v => (double)v).ToArray(),
            _ when raw == typeof(bool) => data.GetColumn<bool>(column).Select(v => v ? 1.0 : 0.0).ToArray(),
            _ => null,
        };
    }
}

/// <summary>A feature column read from a table.</summary>
/// <param name="Name">The column's name (the model's input column).</param>
/// <param name="Kind">How it is featurized.</param>
/// <param name="Numbers">Numeric values (NaN where missing), for a numeric column.</param>
/// <param name="Texts">Cells (empty where missing), for a categorical or text column.</param>
/// <param name="Missing">How many cells are missing.</param>
/// <param name="Distinct">How many distinct values the cells that are not missing hold.</param>
internal sealed record FeatureColumn(string Name, ColumnKind Kind, float[]? Numbers, string[]? Texts, int Missing, int Distinct);

/// <summary>A binary-classification row for ML.NET.</summary>
internal sealed class BinaryRow
{
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }
}

/// <summary>A multiclass row for ML.NET; the label member is the 0-based class index (the key column holds index + 1).</summary>
internal sealed class KeyRow
{
    public float[] Features { get; set; } = [];

    public uint Label { get; set; }
}

/// <summary>A regression row for ML.NET.</summary>
internal sealed class RegressionRow
{
    public float[] Features { get; set; } = [];

    public float Label { get; set; }
}
