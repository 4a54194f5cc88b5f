using System.Text.Json.Nodes;

namespace Hone.Report.Plots;

/// <summary>Objective value of each complete trial by trial number, with the best value so far (Optuna's <c>plot_optimization_history</c>).</summary>
internal static class OptimizationHistoryPlot
{
    public static StudyFigure? Build(PlotInput input)
    {
        if (input.IsMultiObjective || input.Complete.Count == 0)
        {
            return null;
        }

        var trials = input.Complete;
        var numbers = trials.Select(t => t.Number).ToList();
        JsonArray data =
        [
            new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["name"] = "Objective value",
                ["x"] = Json.Ints(numbers), ["y"] = Json.Numbers(trials.Select(t => t.Values![0])),
                ["text"] = Json.TrialLabels(numbers),
            },
            new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines", ["name"] = "Best value", ["line"] = new JsonObject { ["shape"] = "hv" },
                ["x"] = Json.Ints(numbers), ["y"] = Json.Numbers(input.BestSoFar(trials)),
            },
        ];
        var layout = new JsonObject { ["xaxis"] = Json.Axis("Trial"), ["yaxis"] = Json.Axis(input.ObjectiveName(0)) };
        return new StudyFigure("history", "Optimization history", data, layout);
    }
}
