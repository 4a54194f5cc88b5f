using System.Globalization;
using System.Text;
using Hone.Bench.Cli;
using Hone.MLNet;
using Hone.MLNet.Data;

namespace Hone.Bench.Commands;

/// <summary>
/// The classification datasets of the meta-learning benchmark: the bundled ones (data/) and variants derived from
/// them, each split once into two stratified halves (A: the earlier study's rows; B: the new study's rows).
/// </summary>
/// <remarks>
/// Variants of one dataset share a <see cref="BenchDataset.Group"/> and are left out together: a target never learns
/// from its own group. Variants: breast_cancer_mean10 (breast_cancer's first 10 columns, the "mean" measurements);
/// iris_versicolor (iris, label versicolor vs the rest); wine_class0 (wine, class_0 vs the rest); digits600 (600 rows
/// of digits drawn at random with seed 0, to keep 10-class fits fast) and digits600_odd (the same rows, label: the
/// digit is odd).
/// </remarks>
internal static class MetaLearningDatasets
{
    public const int HalvesSeed = 2026;

    public static IReadOnlyList<string> Names { get; } =
        ["breast_cancer", "breast_cancer_mean10", "iris", "iris_versicolor", "wine", "wine_class0", "penguins", "digits600", "digits600_odd"];

    public static BenchDataset Load(string name)
    {
        string Data(string file) => Path.Combine(RepoPaths.Root, "data", file);
        return name switch
        {
            "breast_cancer" => Make(name, "breast_cancer", TabularData.LoadCsv(Data("breast_cancer.csv")), "target", TuningTask.BinaryClassification),
            "breast_cancer_mean10" => Make(name, "breast_cancer", TabularData.LoadCsv(Data("breast_cancer.csv")), "target", TuningTask.BinaryClassification,
                columns: [.. Enumerable.Range(0, 10).Select(i => $"f{i}")]),
            "iris" => Make(name, "iris", TabularData.LoadCsv(Data("iris.csv")), "target", TuningTask.MulticlassClassification),
            "iris_versicolor" => Make(name, "iris", TabularData.LoadCsv(Data("iris.csv")), "target", TuningTask.BinaryClassification, relabel: v => v == "1" ? "1" : "0"),
            "wine" => Make(name, "wine", TabularData.LoadCsv(Data("wine_data.csv")), "target", TuningTask.MulticlassClassification),
            "wine_class0" => Make(name, "wine", TabularData.LoadCsv(Data("wine_data.csv")), "target", TuningTask.BinaryClassification, relabel: v => v == "0" ? "1" : "0"),
            "penguins" => Make(name, "penguins", TabularData.LoadCsv(Data("penguins.csv")), "species", TuningTask.MulticlassClassification),
            "digits600" => Make(name, "digits", TabularData.LoadCsv(Data("digits.csv.gz")), "target", TuningTask.MulticlassClassification, sample: 600),
            "digits600_odd" => Make(name, "digits", TabularData.LoadCsv(Data("digits.csv.gz")), "target", TuningTask.BinaryClassification, sample: 600,
                relabel: v => int.Parse(v, CultureInfo.InvariantCulture) % 2 == 1 ? "1" : "0"),
            _ => throw new UsageException($"Unknown dataset \"{name}\"; known: {string.Join(", ", Names)}."),
        };
    }

    private static BenchDataset Make(string name, string group, TabularData table, string label, TuningTask task,
        string[]? columns = null, Func<string, string>? relabel = null, int? sample = null)
    {
        var features = columns ?? table.ColumnNames.Where(c => c != label).ToArray();
        var labels = table.Cells(label);
        var rows = Enumerable.Range(0, table.RowCount).ToArray();
        if (sample is { } n && n < rows.Length)
        {
            var random = new Random(0);
            random.Shuffle(rows);
            rows = [.. rows.Take(n).Order()];
        }

        // Stratified halves: rows shuffled, ordered by label, dealt out in turn.
        var order = rows.ToArray();
        new Random(HalvesSeed).Shuffle(order);
        order = [.. order.OrderBy(r => labels[r], StringComparer.Ordinal)];
        var a = order.Where((_, i) => i % 2 == 0).Order().ToArray();
        var b = order.Where((_, i) => i % 2 == 1).Order().ToArray();
        var cells = features.Select(table.Cells).ToArray();

        TabularData Half(int[] half, string which)
        {
            var text = new StringBuilder();
            text.AppendJoin(',', features).Append(',').Append(label).Append('\n');
            foreach (var r in half)
            {
                text.AppendJoin(',', cells.Select(c => c[r])).Append(',').Append(relabel is null ? labels[r] : relabel(labels[r])).Append('\n');
            }

            return TabularData.Parse(text.ToString(), $"{name}.{which}.csv", CsvLayout.Header);
        }

        return new BenchDataset(name, group, task, label, Half(a, "A"), Half(b, "B"));
    }
}

/// <summary>A benchmark dataset: its two halves and what to tune on them.</summary>
internal sealed record BenchDataset(string Name, string Group, TuningTask Task, string Label, TabularData HalfA, TabularData HalfB);
