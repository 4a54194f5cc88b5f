using System.Text.Json.Nodes;
using Hone.Trials;

namespace Hone.Report.Plots;

/// <summary>The complete trials of a study with several objectives in objective space, the Pareto front highlighted (Optuna's <c>plot_pareto_front</c>); three objectives in 3-D, more by the first two.</summary>
internal static class ParetoFrontPlot
{
    public static StudyFigure? Build(PlotInput input)
    {
        if (!input.IsMultiObjective || input.Complete.Count == 0)
        {
            return null;
        }

        var front = input.Study.BestTrials.Select(t => t.Number).ToHashSet();
        var threeD = input.Directions.Count == 3;
        var data = new JsonArray(
            Trace("Trials", [.. input.Complete.Where(t => !front.Contains(t.Number))], threeD, "#9ecae1"),
            Trace("Pareto front", [.. input.Complete.Where(t => front.Contains(t.Number))], threeD, "#d62728"));
        var layout = threeD
            ? new JsonObject
            {
                ["scene"] = new JsonObject
                {
                    ["xaxis"] = Json.Axis(input.ObjectiveName(0)), ["yaxis"] = Json.Axis(input.ObjectiveName(1)), ["zaxis"] = Json.Axis(input.ObjectiveName(2)),
                },
            }
            : new JsonObject { ["xaxis"] = Json.Axis(input.ObjectiveName(0)), ["yaxis"] = Json.Axis(input.ObjectiveName(1)) };
        return new StudyFigure("pareto", "Pareto front", data, layout);
    }

    private static JsonObject Trace(string name, List<FrozenTrial> trials, bool threeD, string color)
    {
        var trace = new JsonObject
        {
            ["type"] = threeD ? "scatter3d" : "scatter", ["mode"] = "markers", ["name"] = name,
            ["x"] = Json.Numbers(trials.Select(t => t.Values![0])), ["y"] = Json.Numbers(trials.Select(t => t.Values![1])),
            ["text"] = Json.TrialLabels(trials.Select(t => t.Number)),
            ["marker"] = new JsonObject { ["color"] = color, ["size"] = threeD ? 3 : 7 },
        };
        if (threeD)
        {
            trace["z"] = Json.Numbers(trials.Select(t => t.Values![2]));
        }

        return trace;
    }
}
