using System.Text.Json.Nodes;

namespace Hone.Report.Plots;

/// <summary>
/// Trials placed by pairs of the most important parameters and coloured by the rank of their objective value, best
/// dark (Optuna's <c>plot_rank</c>); with one parameter, the parameter against the objective. Trials missing either
/// parameter of a pair are left out of that panel.
/// </summary>
internal static class RankPlot
{
    private const int MaxParams = 4;

    public static StudyFigure? Build(PlotInput input)
    {
        if (input.Complete.Count == 0 || input.ParamNames.Count == 0)
        {
            return null;
        }

        var sign = input.Directions[0] == Studies.StudyDirection.Maximize ? -1 : 1;
        var order = input.Complete.OrderBy(t => sign * t.Values![0]).Select((t, r) => (t.Number, Rank: r)).ToDictionary(p => p.Number, p => p.Rank);
        var denominator = Math.Max(1, input.Complete.Count - 1);
        double RankOf(Trials.FrozenTrial t) => (double)order[t.Number] / denominator;
        var names = (input.Ranked ?? input.ParamNames).Take(MaxParams).ToList();
        var pairs = names.Count == 1
            ? [(names[0], (string?)null)]
            : names.SelectMany((a, i) => names.Skip(i + 1).Select(b => (a, (string?)b))).ToList();
        var layout = new JsonObject { ["showlegend"] = false };
        var grid = new SubplotGrid(pairs.Count, layout);
        var data = new JsonArray();
        for (var k = 0; k < pairs.Count; k++)
        {
            var (a, b) = pairs[k];
            var trials = input.Complete.Where(t => t.Params.ContainsKey(a) && (b is null || t.Params.ContainsKey(b))).ToList();
            data.Add((JsonNode)new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers",
                ["x"] = Json.Values(trials.Select(t => input.Value(t, a))),
                ["y"] = b is null ? Json.Numbers(trials.Select(t => t.Values![0])) : Json.Values(trials.Select(t => input.Value(t, b))),
                ["text"] = Json.TrialLabels(trials.Select(t => t.Number)),
                ["xaxis"] = SubplotGrid.X(k), ["yaxis"] = SubplotGrid.Y(k),
                ["marker"] = new JsonObject
                {
                    ["color"] = Json.Numbers(trials.Select(RankOf)), ["colorscale"] = "RdYlBu", ["cmin"] = 0, ["cmax"] = 1, ["size"] = 7,
                    ["showscale"] = k == 0, ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "Rank (0 = best)" } },
                },
            });
            grid.Place(k, SubplotGrid.ParamAxis(input, a), b is null ? Json.Axis(input.ObjectiveName(0)) : SubplotGrid.ParamAxis(input, b));
        }

        return new StudyFigure("rank", "Rank", data, layout);
    }
}
