using System.Globalization;
using System.Text.Json.Nodes;
using Hone.Trials;

namespace Hone.Report.Plots;

/// <summary>When each trial ran: a bar from its start to its end (or to now while running), coloured by state (Optuna's <c>plot_timeline</c>).</summary>
internal static class TimelinePlot
{
    private const int MaxBars = 5000;

    public static StudyFigure? Build(PlotInput input, DateTime now)
    {
        var trials = input.All.Where(t => t.DatetimeStart is not null).TakeLast(MaxBars).ToList();
        if (trials.Count == 0)
        {
            return null;
        }

        var data = new JsonArray();
        foreach (var group in trials.GroupBy(t => t.State).OrderBy(g => g.Key))
        {
            var list = group.ToList();
            data.Add((JsonNode)new JsonObject
            {
                ["type"] = "bar", ["orientation"] = "h", ["name"] = group.Key.ToString(),
                ["y"] = Json.Ints(list.Select(t => t.Number)),
                ["base"] = Json.Strings(list.Select(t => Time(t.DatetimeStart!.Value))),
                ["x"] = Json.Numbers(list.Select(t => Math.Max(1, ((t.DatetimeComplete ?? now) - t.DatetimeStart!.Value).TotalMilliseconds))),
                ["text"] = Json.TrialLabels(list.Select(t => t.Number)),
                ["marker"] = new JsonObject { ["color"] = Color(group.Key) },
            });
        }

        var layout = new JsonObject { ["xaxis"] = Json.Axis("Time", "date"), ["yaxis"] = Json.Axis("Trial"), ["barmode"] = "overlay", ["bargap"] = 0.1 };
        return new StudyFigure("timeline", "Timeline", data, layout);
    }

    private static string Time(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string Color(TrialState state) => state switch
    {
        TrialState.Complete => "#1f77b4",
        TrialState.Pruned => "#ff7f0e",
        TrialState.Fail => "#d62728",
        TrialState.Running => "#2ca02c",
        _ => "#7f7f7f",
    };
}
