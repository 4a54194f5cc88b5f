using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Hone.MLNet.Data;

/// <summary>How a CSV file's first line was read.</summary>
public enum CsvLayout
{
    /// <summary>The first line names the columns.</summary>
    Header,

    /// <summary>
    /// scikit-learn's layout (the files in Hone's data/): the first line is <c>n_rows,n_features[,class names...]</c>,
    /// then numeric rows with the label last. Columns are named f0, f1, ... and the label <c>target</c>.
    /// </summary>
    SklearnHeader,

    /// <summary>No header: every line is data. Columns are named f0, f1, ... and the last one <c>target</c>.</summary>
    NoHeader,
}

/// <summary>
/// A table read from a CSV file (optionally gzip-compressed), with each column's kind decided once:
/// numeric when every cell that is not missing parses as a number, else categorical (few distinct values) or
/// free text (many). Empty cells, NA, NaN and ? are missing values.
/// </summary>
/// <remarks>
/// The separator is detected (comma, semicolon, tab, or runs of spaces); double-quoted cells may hold separators.
/// Turn it into an ML.NET <see cref="IDataView"/> with <see cref="ToDataView"/> (numeric columns become Single,
/// text columns Text) and tune it with <see cref="Tuning.MLNetTuner"/>.
/// </remarks>
public sealed class TabularData
{
    private readonly string[][] _rows;
    private readonly bool[] _numeric;
    private readonly (int Line, int Column, string Text)?[] _firstNonNumeric;
    private readonly int[] _lineNumbers;
    private readonly int[] _missing;
    private readonly int[] _distinct;

    private TabularData(string source, CsvLayout layout, string[] names, string[][] rows, int[] lineNumbers, IReadOnlyList<string> classNames)
    {
        Source = source;
        Layout = layout;
        ColumnNames = names;
        _rows = rows;
        _lineNumbers = lineNumbers;
        ClassNames = classNames;
        _numeric = new bool[names.Length];
        _firstNonNumeric = new (int, int, string)?[names.Length];
        _missing = new int[names.Length];
        _distinct = new int[names.Length];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < names.Length; c++)
        {
            _numeric[c] = true;
            seen.Clear();
            for (var r = 0; r < rows.Length; r++)
            {
                var cell = rows[r][c].Trim();
                if (IsMissing(cell))
                {
                    _missing[c]++;
                    continue;
                }

                seen.Add(cell);
                if (_numeric[c] && !TryParse(cell, out _))
                {
                    _numeric[c] = false;
                    _firstNonNumeric[c] = (lineNumbers[r], c + 1, rows[r][c]);
                }
            }

            _distinct[c] = seen.Count;
        }
    }

    /// <summary>
    /// The most distinct values a non-numeric column may have to be read as categorical rather than free text:
    /// a tenth of the rows, at least 20 and at most 100.
    /// </summary>
    public int CategoricalLimit => Math.Clamp(RowCount / 10, 20, 100);

    /// <summary>The file the table came from.</summary>
    public string Source { get; }

    /// <summary>How the first line was read.</summary>
    public CsvLayout Layout { get; }

    /// <summary>The column names, in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The number of data rows.</summary>
    public int RowCount => _rows.Length;

    /// <summary>Class names from a scikit-learn header (for labels 0, 1, ...); empty otherwise.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Whether every cell of the column that is not missing is a number (true too when every cell is missing).</summary>
    /// <exception cref="ArgumentException">No such column.</exception>
    public bool IsNumeric(string column) => _numeric[IndexOf(column)];

    /// <summary>
    /// The column's kind as read from its cells: numeric when every cell that is not missing is a number; otherwise
    /// categorical when it has at most <see cref="CategoricalLimit"/> distinct values, free text when it has more.
    /// </summary>
    /// <exception cref="ArgumentException">No such column.</exception>
    public ColumnKind KindOf(string column)
    {
        var c = IndexOf(column);
        return _numeric[c] ? ColumnKind.Numeric : _distinct[c] <= CategoricalLimit ? ColumnKind.Categorical : ColumnKind.Text;
    }

    /// <summary>How many of the column's cells are missing (empty, NA, NaN or ?).</summary>
    /// <exception cref="ArgumentException">No such column.</exception>
    public int MissingCount(string column) => _missing[IndexOf(column)];

    /// <summary>How many distinct values the column's cells that are not missing hold.</summary>
    /// <exception cref="ArgumentException">No such column.</exception>
    public int DistinctCount(string column) => _distinct[IndexOf(column)];

    /// <summary>Whether a cell is a missing value: empty, NA, NaN or ? (case-insensitive, surrounding spaces ignored).</summary>
    public static bool IsMissing(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var t = cell.AsSpan().Trim();
        return t.Length == 0 || t.Equals("NA", StringComparison.OrdinalIgnoreCase) || t.Equals("NaN", StringComparison.OrdinalIgnoreCase) || t is "?";
    }

    /// <summary>The cell at a 0-based data row and column index, trimmed.</summary>
    internal string Cell(int row, int column) => _rows[row][column].Trim();

    /// <summary>The file line a 0-based data row came from.</summary>
    internal int LineOf(int row) => _lineNumbers[row];

    /// <summary>The 0-based index of a column.</summary>
    internal int ColumnIndex(string column) => IndexOf(column);
    /// <summary>
    /// The rows of <paramref name="parts"/> one after another, in the given columns only (every part must have them):
    /// re-tuning reads old and new data as one table so that both get the same column kinds and class indices.
    /// </summary>
    internal static TabularData Stack(string source, IReadOnlyList<string> columns, params TabularData[] parts)
    {
        var rows = new List<string[]>();
        var lines = new List<int>();
        foreach (var part in parts)
        {
            var indices = columns.Select(part.IndexOf).ToArray();
            for (var r = 0; r < part.RowCount; r++)
            {
                rows.Add(indices.Select(c => part._rows[r][c]).ToArray());
                lines.Add(part._lineNumbers[r]);
            }
        }

        return new TabularData(source, CsvLayout.Header, [.. columns], [.. rows], [.. lines], parts.Length > 0 ? parts[0].ClassNames : []);
    }

    /// <summary>Where the column's first non-numeric cell is, as "file:line:column: "text"", or null when the column is numeric.</summary>
    public string? FirstNonNumericCell(string column)
    {
        var at = _firstNonNumeric[IndexOf(column)];
        return at is { } a ? $"{Source}:{a.Line}:{a.Column}: \"{a.Text}\"" : null;
    }

    /// <summary>A column's cells as written in the file (trimmed), one per row.</summary>
    /// <exception cref="ArgumentException">The table has no such column.</exception>
    public IReadOnlyList<string> Cells(string column)
    {
        var c = IndexOf(column);
        var cells = new string[_rows.Length];
        for (var r = 0; r < cells.Length; r++)
        {
            cells[r] = _rows[r][c];
        }

        return cells;
    }

    /// <summary>Reads a CSV file (a <c>.gz</c> file is decompressed).</summary>
    /// <param name="path">The file.</param>
    /// <param name="layout">How to read the first line; null detects it (a scikit-learn header when the first line is
    /// <c>n_rows,n_features,...</c> and matches the file, a header when it holds a non-number, else no header).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The file is empty, or a row has the wrong number of cells (the message gives file:line).</exception>
    public static TabularData LoadCsv(string path, CsvLayout? layout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file \"{path}\" does not exist (looked for {Path.GetFullPath(path)}).", path);
        }

        string text;
        using (var stream = File.OpenRead(path))
        {
            using Stream input = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
            using var reader = new StreamReader(input, Encoding.UTF8);
            text = reader.ReadToEnd();
        }

        return Parse(text, path, layout);
    }

    /// <summary>Reads CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static TabularData Parse(string text, string source = "<text>", CsvLayout? layout = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<(int Number, string Text)>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length > 0)
            {
                lines.Add((number, line));
            }
        }

        if (lines.Count == 0)
        {
            throw new FormatException($"{source}: the file is empty.");
        }

        var separator = DetectSeparator(lines.Count > 1 ? lines[1].Text : lines[0].Text);
        var first = Split(lines[0].Text, separator);
        var second = lines.Count > 1 ? Split(lines[1].Text, separator) : null;
        var resolved = layout ?? Detect(first, second, lines.Count - 1);
        string[] names;
        IReadOnlyList<string> classNames = [];
        var dataStart = 1;
        switch (resolved)
        {
            case CsvLayout.Header:
                names = first.Select(n => n.Trim()).ToArray();
                break;
            case CsvLayout.SklearnHeader:
                var width = second?.Length ?? (int.Parse(first[1], CultureInfo.InvariantCulture) + 1);
                names = GeneratedNames(width);
                classNames = first.Skip(2).Select(n => n.Trim()).ToArray();
                break;
            default:
                names = GeneratedNames(first.Length);
                dataStart = 0;
                break;
        }

        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"{source}:{lines[0].Number}: column name \"{duplicate.Key}\" appears more than once.");
        }

        var rows = new string[lines.Count - dataStart][];
        var lineNumbers = new int[rows.Length];
        for (var i = dataStart; i < lines.Count; i++)
        {
            var cells = Split(lines[i].Text, separator);
            if (cells.Length != names.Length)
            {
                throw new FormatException(
                    $"{source}:{lines[i].Number}: expected {names.Length} cells (as in the {(dataStart == 1 ? "header" : "first line")}), found {cells.Length}.");
            }

            rows[i - dataStart] = cells;
            lineNumbers[i - dataStart] = lines[i].Number;
        }

        return new TabularData(source, resolved, names, rows, lineNumbers, classNames);
    }

    /// <summary>
    /// An ML.NET view of the table: numeric columns as Single (a missing value is NaN), the others as Text, named as in <see cref="ColumnNames"/>.
    /// </summary>
    public IDataView ToDataView(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var columns = new TextLoader.Column[ColumnNames.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = new TextLoader.Column(ColumnNames[c], _numeric[c] ? DataKind.Single : DataKind.String, c);
        }

        var builder = new StringBuilder();
        foreach (var row in _rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                if (c > 0)
                {
                    builder.Append('\t');
                }

                var cell = row[c].Replace('\t', ' ').Trim();
                builder.Append(_numeric[c] && IsMissing(cell) ? string.Empty : cell);
            }

            builder.Append('\n');
        }

        var loader = mlContext.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = columns,
            Separators = ['\t'],
            HasHeader = false,
            AllowQuoting = false,
            TrimWhitespace = false,
            MissingRealsAsNaNs = true,
        });
        return loader.Load(new InMemorySource(builder.ToString()));
    }

    internal static bool TryParse(string cell, out double value) =>
        double.TryParse(cell.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private int IndexOf(string column)
    {
        for (var i = 0; i < ColumnNames.Count; i++)
        {
            if (string.Equals(ColumnNames[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"{Source} has no column \"{column}\"; its columns are {string.Join(", ", ColumnNames)}.", nameof(column));
    }

    private static string[] GeneratedNames(int width)
    {
        var names = new string[width];
        for (var i = 0; i < width - 1; i++)
        {
            names[i] = "f" + i.ToString(CultureInfo.InvariantCulture);
        }

        names[width - 1] = "target";
        return names;
    }

    private static CsvLayout Detect(string[] first, string[]? second, int remainingLines)
    {
        if (first.Length >= 2 && second is not null
            && int.TryParse(first[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            && int.TryParse(first[1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var d)
            && n == remainingLines && d + 1 == second.Length)
        {
            return CsvLayout.SklearnHeader;
        }

        return first.All(cell => TryParse(cell, out _)) ? CsvLayout.NoHeader : CsvLayout.Header;
    }

    private static char DetectSeparator(string line)
    {
        foreach (var candidate in new[] { ',', ';', '\t' })
        {
            if (line.Contains(candidate, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return ' ';
    }

    private static string[] Split(string line, char separator)
    {
        if (separator == ' ')
        {
            return line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        if (!line.Contains('"', StringComparison.Ordinal))
        {
            return line.Split(separator);
        }

        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == separator)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(ch);
            }
        }

        cells.Add(cell.ToString());
        return cells.ToArray();
    }

    private sealed class InMemorySource(string text) : IMultiStreamSource
    {
        public int Count => 1;

        public string GetPathOrNull(int index) => null!;

        public Stream Open(int index) => new MemoryStream(Encoding.UTF8.GetBytes(text));

        public TextReader OpenTextReader(int index) => new StringReader(text);
    }
}
