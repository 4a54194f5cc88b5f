using System.Text.Json.Nodes;
using Hone.Analysis;
using Hone.Studies;

namespace Hone.Report.Plots;

/// <summary>
/// The hypervolume of the Pareto front after each complete trial (Optuna's <c>plot_hypervolume_history</c>). The
/// reference point is each objective's worst value over the complete trials, moved out by a tenth of its range, so
/// every trial contributes; it is given in the plot's axis title.
/// </summary>
internal static class HypervolumeHistoryPlot
{
    public static StudyFigure? Build(PlotInput input)
    {
        if (!input.IsMultiObjective || input.Complete.Count == 0)
        {
            return null;
        }

        var reference = new double[input.Directions.Count];
        for (var i = 0; i < reference.Length; i++)
        {
            var values = input.Complete.Select(t => t.Values![i]).ToList();
            var span = Math.Max(values.Max() - values.Min(), 1e-12);
            reference[i] = input.Directions[i] == StudyDirection.Minimize ? values.Max() + (0.1 * span) : values.Min() - (0.1 * span);
        }

        var history = Hypervolume.History(input.Study, reference);
        JsonArray data =
        [
            new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines+markers", ["name"] = "Hypervolume", ["line"] = new JsonObject { ["shape"] = "hv" },
                ["x"] = Json.Ints(history.Select(h => h.TrialNumber)), ["y"] = Json.Numbers(history.Select(h => h.Hypervolume)),
            },
        ];
        var point = string.Join(", ", reference.Select(r => r.ToString("g4", System.Globalization.CultureInfo.InvariantCulture)));
        var layout = new JsonObject { ["xaxis"] = Json.Axis("Trial"), ["yaxis"] = Json.Axis($"Hypervolume (reference point {point})") };
        return new StudyFigure("hypervolume", "Hypervolume history", data, layout);
    }
}
