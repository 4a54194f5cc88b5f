using System.Text.Json.Nodes;
using Hone.Analysis.Importance;

namespace Hone.Report.Plots;

/// <summary>Each parameter's importance (fANOVA by default), with its spread across surrogate seeds as an error bar (Optuna's <c>plot_param_importances</c>).</summary>
internal static class ImportancePlot
{
    public static StudyFigure? Build(ImportanceResult? result)
    {
        if (result is null || result.Parameters.Count == 0)
        {
            return null;
        }

        var rows = result.Parameters.OrderBy(p => p.Importance).ToList();
        JsonArray data =
        [
            new JsonObject
            {
                ["type"] = "bar", ["orientation"] = "h",
                ["x"] = Json.Numbers(rows.Select(p => p.Importance)), ["y"] = Json.Strings(rows.Select(p => p.Name)),
                ["error_x"] = new JsonObject { ["type"] = "data", ["array"] = Json.Numbers(rows.Select(p => p.Spread)), ["visible"] = true },
                ["text"] = Json.Strings(rows.Select(p => p.Importance.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))),
                ["textposition"] = "outside",
            },
        ];
        var method = result.Method switch
        {
            ImportanceMethod.PedAnova => "PED-ANOVA",
            ImportanceMethod.MeanDecreaseImpurity => "mean decrease in impurity",
            _ => "fANOVA",
        };
        var layout = new JsonObject
        {
            ["xaxis"] = Json.Axis($"Importance ({method}, {result.TrialCount} trials)"), ["yaxis"] = Json.Axis("Parameter"),
            ["height"] = Math.Max(300, 60 + (28 * rows.Count)), ["margin"] = new JsonObject { ["l"] = 160, ["r"] = 40, ["t"] = 50, ["b"] = 50 },
        };
        return new StudyFigure("importance", "Parameter importance", data, layout);
    }
}
