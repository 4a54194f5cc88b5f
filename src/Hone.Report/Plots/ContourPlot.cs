using System.Text.Json.Nodes;

namespace Hone.Report.Plots;

/// <summary>
/// The objective over pairs of the most important parameters (Optuna's <c>plot_contour</c>): each grid cell takes the
/// value of the nearest trial (distances measured with every axis scaled to [0, 1], log axes in log), with the trials
/// on top. Trials missing either parameter of a pair (conditional ones) are left out of that panel.
/// </summary>
internal static class ContourPlot
{
    private const int MaxParams = 3;
    private const int Cells = 30;
    private const int MaxTrials = 2000;

    public static StudyFigure? Build(PlotInput input)
    {
        var names = (input.Ranked ?? input.ParamNames).Take(MaxParams).ToList();
        if (input.Complete.Count < 2 || names.Count < 2)
        {
            return null;
        }

        var pairs = names.SelectMany((a, i) => names.Skip(i + 1).Select(b => (a, b))).ToList();
        var layout = new JsonObject { ["showlegend"] = false };
        var grid = new SubplotGrid(pairs.Count, layout);
        var data = new JsonArray();
        for (var k = 0; k < pairs.Count; k++)
        {
            var (a, b) = pairs[k];
            var trials = input.Complete.Where(t => t.Params.ContainsKey(a) && t.Params.ContainsKey(b)).TakeLast(MaxTrials).ToList();
            var xs = Coordinates(input, a, trials);
            var ys = Coordinates(input, b, trials);
            if (trials.Count < 2 || xs.Axis.Length < 2 || ys.Axis.Length < 2)
            {
                continue;
            }

            var z = new JsonArray();
            for (var j = 0; j < ys.Axis.Length; j++)
            {
                var row = new double[xs.Axis.Length];
                for (var i = 0; i < xs.Axis.Length; i++)
                {
                    var nearest = 0;
                    var nearestDistance = double.PositiveInfinity;
                    for (var t = 0; t < trials.Count; t++)
                    {
                        var dx = xs.Scaled(xs.Axis[i]) - xs.Scaled(xs.Points[t]);
                        var dy = ys.Scaled(ys.Axis[j]) - ys.Scaled(ys.Points[t]);
                        var distance = (dx * dx) + (dy * dy);
                        if (distance < nearestDistance)
                        {
                            nearestDistance = distance;
                            nearest = t;
                        }
                    }

                    row[i] = trials[nearest].Values![0];
                }

                z.Add((JsonNode)Json.Numbers(row));
            }

            data.Add((JsonNode)new JsonObject
            {
                ["type"] = "contour", ["x"] = Json.Numbers(xs.Axis), ["y"] = Json.Numbers(ys.Axis), ["z"] = z,
                ["colorscale"] = "Viridis", ["reversescale"] = input.Directions[0] == Studies.StudyDirection.Minimize,
                ["showscale"] = k == 0, ["connectgaps"] = true, ["xaxis"] = SubplotGrid.X(k), ["yaxis"] = SubplotGrid.Y(k),
                ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = input.ObjectiveName(0) } },
            });
            data.Add((JsonNode)new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["x"] = Json.Numbers(xs.Points), ["y"] = Json.Numbers(ys.Points),
                ["text"] = Json.TrialLabels(trials.Select(t => t.Number)), ["xaxis"] = SubplotGrid.X(k), ["yaxis"] = SubplotGrid.Y(k),
                ["marker"] = new JsonObject { ["color"] = "black", ["size"] = 4, ["opacity"] = 0.6 },
            });
            grid.Place(k, Axis(input, a), Axis(input, b));
        }

        return data.Count == 0 ? null : new StudyFigure("contour", "Contour", data, layout);
    }

    /// <summary>A categorical axis shows choice indices labelled with the choices, so the contour and the points share it.</summary>
    private static JsonObject Axis(PlotInput input, string name)
    {
        if (!input.IsCategorical(name))
        {
            return SubplotGrid.ParamAxis(input, name);
        }

        var choices = input.Choices(name);
        var axis = Json.Axis(name);
        axis["tickvals"] = Json.Ints(Enumerable.Range(0, choices.Length));
        axis["ticktext"] = Json.Strings(choices);
        return axis;
    }

    private static GridAxis Coordinates(PlotInput input, string name, List<Trials.FrozenTrial> trials)
    {
        var points = trials.Select(t => input.Numeric(t, name)!.Value).ToArray();
        if (points.Length == 0)
        {
            return new GridAxis([], [], v => v);
        }

        if (input.IsCategorical(name))
        {
            var count = input.Choices(name).Length;
            return new GridAxis(points, [.. Enumerable.Range(0, count).Select(i => (double)i)], v => v / Math.Max(1, count - 1));
        }

        var log = input.IsLog(name) && points.Min() > 0;
        Func<double, double> warp = log ? Math.Log : v => v;
        var low = warp(points.Min());
        var high = warp(points.Max());
        if (!(high > low))
        {
            return new GridAxis(points, [points[0]], _ => 0);
        }

        var axis = Enumerable.Range(0, Cells).Select(i => low + ((high - low) * i / (Cells - 1))).Select(v => log ? Math.Exp(v) : v).ToArray();
        return new GridAxis(points, axis, v => (warp(v) - low) / (high - low));
    }

    private sealed record GridAxis(double[] Points, double[] Axis, Func<double, double> Scaled);
}
