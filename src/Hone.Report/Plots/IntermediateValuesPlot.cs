using System.Text.Json.Nodes;
using Hone.Trials;

namespace Hone.Report.Plots;

/// <summary>The values each trial reported by step (learning curves), pruned trials included (Optuna's <c>plot_intermediate_values</c>).</summary>
internal static class IntermediateValuesPlot
{
    /// <summary>The most curves drawn: the latest trials with reports.</summary>
    private const int MaxCurves = 500;

    public static StudyFigure? Build(PlotInput input)
    {
        var trials = input.All.Where(t => t.IntermediateValues.Count > 0).TakeLast(MaxCurves).ToList();
        if (trials.Count == 0)
        {
            return null;
        }

        var data = new JsonArray();
        foreach (var t in trials)
        {
            var steps = t.IntermediateValues.OrderBy(kv => kv.Key).ToList();
            data.Add((JsonNode)new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines+markers", ["name"] = $"Trial #{t.Number} ({t.State.ToString().ToLowerInvariant()})",
                ["x"] = Json.Ints(steps.Select(kv => kv.Key)), ["y"] = Json.Numbers(steps.Select(kv => kv.Value)),
                ["opacity"] = t.State == TrialState.Pruned ? 0.5 : 1.0, ["marker"] = new JsonObject { ["size"] = 4 },
            });
        }

        var layout = new JsonObject { ["xaxis"] = Json.Axis("Step"), ["yaxis"] = Json.Axis("Intermediate value"), ["showlegend"] = trials.Count <= 20 };
        return new StudyFigure("intermediate", "Intermediate values", data, layout);
    }
}
