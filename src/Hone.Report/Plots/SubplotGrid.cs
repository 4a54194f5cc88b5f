using System.Text.Json.Nodes;

namespace Hone.Report.Plots;

/// <summary>Axes for <c>count</c> panels in a grid of up to three columns: panel k's traces use <see cref="X"/>(k) and <see cref="Y"/>(k).</summary>
internal sealed class SubplotGrid
{
    private const double Gap = 0.06;
    private readonly int _columns;
    private readonly int _rows;

    public SubplotGrid(int count, JsonObject layout)
    {
        _columns = Math.Min(count, 3);
        _rows = (count + _columns - 1) / _columns;
        Layout = layout;
        layout["height"] = Math.Max(400, 320 * _rows);
    }

    public JsonObject Layout { get; }

    public static string X(int k) => k == 0 ? "x" : $"x{k + 1}";

    public static string Y(int k) => k == 0 ? "y" : $"y{k + 1}";

    /// <summary>Places panel <paramref name="k"/>'s axes.</summary>
    public void Place(int k, JsonObject xAxis, JsonObject yAxis)
    {
        var column = k % _columns;
        var row = k / _columns;
        var width = 1.0 / _columns;
        var height = 1.0 / _rows;
        xAxis["domain"] = new JsonArray((column * width) + Gap / 2, ((column + 1) * width) - Gap / 2);
        xAxis["anchor"] = Y(k);
        yAxis["domain"] = new JsonArray(1 - ((row + 1) * height) + (Gap * 1.5), 1 - (row * height) - (Gap / 2));
        yAxis["anchor"] = X(k);
        Layout[k == 0 ? "xaxis" : $"xaxis{k + 1}"] = xAxis;
        Layout[k == 0 ? "yaxis" : $"yaxis{k + 1}"] = yAxis;
    }

    /// <summary>The axis of a parameter: log or categorical as its distribution says.</summary>
    public static JsonObject ParamAxis(PlotInput input, string name)
    {
        if (input.IsCategorical(name))
        {
            var axis = Json.Axis(name, "category");
            axis["categoryorder"] = "array";
            axis["categoryarray"] = Json.Strings(input.Choices(name));
            return axis;
        }

        return Json.Axis(name, input.IsLog(name) ? "log" : "linear");
    }
}
