using System.Text.Json.Nodes;

namespace Hone.Report.Plots;

/// <summary>The empirical distribution function of the objective values: the fraction of complete trials at or below each value (Optuna's <c>plot_edf</c>).</summary>
internal static class EdfPlot
{
    public static StudyFigure? Build(PlotInput input)
    {
        if (input.Complete.Count == 0)
        {
            return null;
        }

        var data = new JsonArray();
        for (var i = 0; i < input.Directions.Count; i++)
        {
            var sorted = input.Complete.Select(t => t.Values![i]).Order().ToList();
            data.Add((JsonNode)new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines", ["name"] = input.ObjectiveName(i), ["line"] = new JsonObject { ["shape"] = "hv" },
                ["x"] = Json.Numbers(sorted), ["y"] = Json.Numbers(sorted.Select((_, k) => (k + 1.0) / sorted.Count)),
            });
        }

        var layout = new JsonObject { ["xaxis"] = Json.Axis(input.IsMultiObjective ? "Objective values" : input.ObjectiveName(0)), ["yaxis"] = Json.Axis("Cumulative probability") };
        return new StudyFigure("edf", "Empirical distribution function", data, layout);
    }
}
