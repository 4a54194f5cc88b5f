using System.Text.Json.Nodes;

namespace Hone.Report.Plots;

/// <summary>
/// The objective against each parameter, one panel a parameter, coloured by trial number (Optuna's <c>plot_slice</c>).
/// A trial without a parameter (a conditional one) is left out of that parameter's panel only.
/// </summary>
internal static class SlicePlot
{
    public static StudyFigure? Build(PlotInput input)
    {
        if (input.Complete.Count == 0 || input.ParamNames.Count == 0)
        {
            return null;
        }

        var names = input.Ranked ?? input.ParamNames;
        var layout = new JsonObject { ["showlegend"] = false };
        var grid = new SubplotGrid(names.Count, layout);
        var data = new JsonArray();
        for (var k = 0; k < names.Count; k++)
        {
            var name = names[k];
            var trials = input.Complete.Where(t => t.Params.ContainsKey(name)).ToList();
            data.Add((JsonNode)new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["name"] = name,
                ["x"] = Json.Values(trials.Select(t => input.Value(t, name))), ["y"] = Json.Numbers(trials.Select(t => t.Values![0])),
                ["text"] = Json.TrialLabels(trials.Select(t => t.Number)),
                ["xaxis"] = SubplotGrid.X(k), ["yaxis"] = SubplotGrid.Y(k),
                ["marker"] = new JsonObject
                {
                    ["color"] = Json.Ints(trials.Select(t => t.Number)), ["colorscale"] = "Blues", ["size"] = 6,
                    ["showscale"] = k == 0, ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "Trial" } },
                },
            });
            grid.Place(k, SubplotGrid.ParamAxis(input, name), Json.Axis(k % 3 == 0 ? input.ObjectiveName(0) : string.Empty));
        }

        return new StudyFigure("slice", "Slice", data, layout);
    }
}
