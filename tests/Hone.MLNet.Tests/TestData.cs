using Hone.MLNet.Data;
using Microsoft.ML;

namespace Hone.MLNet.Tests;

internal static class TestData
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    public static TabularData Iris() => TabularData.LoadCsv(PathOf("iris.csv"));

    public static TabularData BreastCancer() => TabularData.LoadCsv(PathOf("breast_cancer.csv"));

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
