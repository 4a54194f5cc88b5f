using System.Text.Json.Nodes;

namespace Hone.Report.Plots;

/// <summary>
/// One line per complete trial across an axis for the objective and each parameter, coloured by the objective
/// (Optuna's <c>plot_parallel_coordinate</c>). A line must cross every axis, so parameters some trials lack
/// (conditional ones) get no axis here; the slice plot shows them.
/// </summary>
internal static class ParallelCoordinatePlot
{
    public static StudyFigure? Build(PlotInput input)
    {
        var names = input.ParamNames.Except(input.Conditional).ToList();
        if (input.Complete.Count == 0 || names.Count == 0)
        {
            return null;
        }

        var trials = input.Complete;
        var values = trials.Select(t => t.Values![0]).ToList();
        var dimensions = new JsonArray(new JsonObject { ["label"] = input.ObjectiveName(0), ["values"] = Json.Numbers(values) });
        foreach (var name in names)
        {
            var axis = new JsonObject { ["label"] = name };
            if (input.IsCategorical(name))
            {
                var choices = input.Choices(name);
                axis["values"] = Json.Numbers(trials.Select(t => input.Numeric(t, name)));
                axis["tickvals"] = Json.Ints(Enumerable.Range(0, choices.Length));
                axis["ticktext"] = Json.Strings(choices);
            }
            else if (input.IsLog(name))
            {
                var raw = trials.Select(t => input.Numeric(t, name)!.Value).ToList();
                axis["values"] = Json.Numbers(raw.Select(Math.Log10));
                var ticks = LogTicks(raw.Min(), raw.Max());
                axis["tickvals"] = Json.Numbers(ticks.Select(Math.Log10));
                axis["ticktext"] = Json.Strings(ticks.Select(v => v.ToString("g3", System.Globalization.CultureInfo.InvariantCulture)));
            }
            else
            {
                axis["values"] = Json.Numbers(trials.Select(t => input.Numeric(t, name)));
            }

            dimensions.Add((JsonNode)axis);
        }

        JsonArray data =
        [
            new JsonObject
            {
                ["type"] = "parcoords", ["dimensions"] = dimensions,
                ["line"] = new JsonObject
                {
                    ["color"] = Json.Numbers(values), ["colorscale"] = "Viridis", ["showscale"] = true,
                    ["reversescale"] = input.Directions[0] == Studies.StudyDirection.Minimize,
                    ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = input.ObjectiveName(0) } },
                },
            },
        ];
        var note = input.Conditional.Count > 0 ? $"Conditional parameters without an axis (see the slice plot): {string.Join(", ", input.Conditional)}." : null;
        return new StudyFigure("parallel", "Parallel coordinates", data, new JsonObject(), note);
    }

    /// <summary>Powers of ten spanning the range, with its ends.</summary>
    private static List<double> LogTicks(double low, double high)
    {
        var ticks = new List<double> { low };
        for (var p = Math.Ceiling(Math.Log10(low)); p <= Math.Floor(Math.Log10(high)); p++)
        {
            ticks.Add(Math.Pow(10, p));
        }

        ticks.Add(high);
        return [.. ticks.Distinct()];
    }
}
