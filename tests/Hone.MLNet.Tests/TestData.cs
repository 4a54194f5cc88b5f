using Hone.MLNet.Data;
using Microsoft.ML;

namespace Hone.MLNet.Tests;

internal static class TestData
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    public static TabularData Iris() => TabularData.LoadCsv(PathOf("iris.csv"));

    public static TabularData BreastCancer() => TabularData.LoadCsv(PathOf("breast_cancer.csv"));

    /// <summary>Palmer penguins: species (3 classes), island and sex categorical, four measurements with NA.</summary>
    public static TabularData Penguins() => TabularData.LoadCsv(PathOf("penguins.csv"));

    /// <summary>
    /// A mixed binary table, 240 rows: a numeric x with missing cells (NA, empty, ?), a categorical colour, a free-text
    /// review and a 0/1 label that depends on all three.
    /// </summary>
    public static TabularData Mixed(int rows = 240)
    {
        var random = new Random(11);
        string[] colours = ["red", "green", "blue"];
        string[] good = ["great", "lovely", "excellent", "fine", "superb"];
        string[] bad = ["awful", "poor", "broken", "terrible", "bad"];
        string[] filler = ["the", "item", "was", "really", "quite", "delivery", "box", "colour", "size", "price", "today", "again"];
        var lines = new List<string> { "x,colour,review,label" };
        for (var i = 0; i < rows; i++)
        {
            var x = random.NextDouble();
            var colour = colours[random.Next(3)];
            var positive = random.NextDouble() < 0.5;
            var words = Enumerable.Range(0, 4).Select(_ => filler[random.Next(filler.Length)]).ToList();
            words.Insert(random.Next(words.Count), positive ? good[random.Next(5)] : bad[random.Next(5)]);
            words.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var score = (positive ? 1.5 : -1.5) + (colour == "red" ? 1 : colour == "blue" ? -1 : 0) + (2 * (x - 0.5)) + ((random.NextDouble() - 0.5) * 1.5);
            var cell = i % 7 == 0 ? (i % 3 == 0 ? "NA" : i % 3 == 1 ? "" : "?") : FormattableString.Invariant($"{x:0.####}");
            lines.Add($"{cell},{colour},{string.Join(' ', words)},{(score > 0 ? 1 : 0)}");
        }

        return TabularData.Parse(string.Join('\n', lines), "mixed.csv");
    }

    /// <summary>A small regression table: y = 3 x0 − 2 x1 + 5 + noise, 120 rows.</summary>
    public static TabularData Regression(int rows = 120)
    {
        var random = new Random(7);
        var lines = new List<string> { "x0,x1,x2,y" };
        for (var i = 0; i < rows; i++)
        {
            double x0 = random.NextDouble(), x1 = random.NextDouble(), x2 = random.NextDouble();
            var y = (3 * x0) - (2 * x1) + 5 + (0.1 * random.NextDouble());
            lines.Add(FormattableString.Invariant($"{x0:0.####},{x1:0.####},{x2:0.####},{y:0.####}"));
        }

        return TabularData.Parse(string.Join('\n', lines), "regression.csv");
    }

    public static IDataView View(TabularData table) => table.ToDataView(new MLContext(0));
}
