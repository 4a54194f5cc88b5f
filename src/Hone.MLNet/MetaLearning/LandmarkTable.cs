using Hone.MLNet.Data;

namespace Hone.MLNet.MetaLearning;

/// <summary>
/// The columns a landmarker reads, copied out for the chosen rows: numeric columns (NaN where missing), categorical
/// columns as value codes (−1 where missing), and the label; free-text columns are left out.
/// </summary>
internal sealed class LandmarkTable
{
    private LandmarkTable(double[][] numeric, int[][] categorical, double[] labels, bool classification, int classCount, int columnCount)
    {
        Numeric = numeric;
        Categorical = categorical;
        Labels = labels;
        Classification = classification;
        ClassCount = classCount;
        ColumnCount = columnCount;
    }

    public double[][] Numeric { get; }

    public int[][] Categorical { get; }

    /// <summary>The label of each row: a class index (classification) or the value (regression).</summary>
    public double[] Labels { get; }

    public bool Classification { get; }

    public int ClassCount { get; }

    /// <summary>How many feature columns the data has, text ones included.</summary>
    public int ColumnCount { get; }

    public int RowCount => Labels.Length;

    /// <summary>A table built directly (tests).</summary>
    public static LandmarkTable Of(double[][] numeric, int[][] categorical, double[] labels, bool classification) =>
        new(numeric, categorical, labels, classification, classification ? (int)labels.DefaultIfEmpty(0).Max() + 1 : 0, numeric.Length + categorical.Length);

    public static LandmarkTable From(Dataset data, IReadOnlyList<int> rows)
    {
        var labels = rows.Select(r => data.Labels[r]).ToArray();
        var numeric = new List<double[]>();
        var categorical = new List<int[]>();
        if (data.Columns is { } raw)
        {
            foreach (var c in raw)
            {
                if (c.Kind == ColumnKind.Numeric)
                {
                    numeric.Add(rows.Select(r => (double)c.Numbers![r]).ToArray());
                }
                else if (c.Kind == ColumnKind.Categorical)
                {
                    var codes = new Dictionary<string, int>(StringComparer.Ordinal);
                    categorical.Add(rows.Select(r => c.Texts![r] is { Length: > 0 } t ? Code(codes, t) : -1).ToArray());
                }
            }

            return new LandmarkTable([.. numeric], [.. categorical], labels, data.Task.IsClassification(), Math.Max(2, data.ClassCount), raw.Count);
        }

        var d = data.FeatureCount;
        for (var j = 0; j < d; j++)
        {
            numeric.Add(rows.Select(r => (double)data.Features[(r * d) + j]).ToArray());
        }

        return new LandmarkTable([.. numeric], [], labels, data.Task.IsClassification(), Math.Max(2, data.ClassCount), d);
    }

    private static int Code(Dictionary<string, int> codes, string value)
    {
        if (!codes.TryGetValue(value, out var code))
        {
            code = codes.Count;
            codes[value] = code;
        }

        return code;
    }
}
