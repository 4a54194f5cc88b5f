using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Hone.Analysis.Stopping;
using Hone.Report.Plots;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Report.Html;

/// <summary>
/// A study as one self-contained HTML file: summary, best trial, the statistics <c>hone tune</c> recorded (where
/// present), the improvement estimate ("is more tuning worth it?") and every plot. plotly.js is inlined from
/// <see cref="PlotlyBundle"/>, so the file opens offline and loads nothing from the network.
/// </summary>
public static class HtmlReport
{
    /// <summary>The study user attribute where Hone.MLNet's tuner records the task, metric, validation and data size.</summary>
    public const string TuneAttributeKey = "hone.mlnet";

    /// <summary>The report's HTML.</summary>
    public static string Render(Study study, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        options ??= new ReportOptions();
        var now = options.Now ?? DateTime.UtcNow;
        var plotOptions = new PlotOptions { MaxPoints = options.Plots.MaxPoints, Importance = options.Plots.Importance, Seed = options.Plots.Seed, Now = options.Plots.Now ?? now };
        var trials = study.Trials;
        var figures = StudyPlots.All(study, plotOptions);

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(Encode($"Hone report: {study.Name}")).Append("</title>\n<style>\n").Append(PlotlyBundle.Resource("Hone.Report.report.css")).Append("</style>\n");
        html.Append("<script>\n").Append(InlineScript(PlotlyBundle.Script)).Append("\n</script>\n</head>\n<body>\n");
        html.Append("<header><h1>").Append(Encode(study.Name)).Append("</h1><p>")
            .Append(Encode($"{string.Join(", ", study.Directions.Select(d => d.ToString().ToLowerInvariant()))}; {trials.Count} trials; report made {now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC by Hone"))
            .Append("</p></header>\n<main>\n<nav>");
        foreach (var f in figures)
        {
            html.Append("<a href=\"#plot-").Append(f.Kind).Append("\">").Append(Encode(f.Title)).Append("</a>");
        }

        html.Append("</nav>\n");
        Summary(html, study, trials);
        Best(html, study);
        Tune(html, study, options.RunSummaryJson);
        Stopping(html, study, options.Stopping);
        Attributes(html, "Study user attributes", study.UserAttrs.Where(kv => kv.Key != TuneAttributeKey));
        foreach (var f in figures)
        {
            html.Append("<section><h2>").Append(Encode(f.Title)).Append("</h2>");
            if (f.Note is { } note)
            {
                html.Append("<p class=\"note\">").Append(Encode(note)).Append("</p>");
            }

            html.Append("<div class=\"plot\" id=\"plot-").Append(f.Kind).Append("\"></div>\n<script type=\"application/json\" data-plot=\"plot-")
                .Append(f.Kind).Append("\">").Append(f.ToJson()).Append("</script></section>\n");
        }

        html.Append("</main>\n<script>\n").Append(PlotlyBundle.Resource("Hone.Report.plots.js")).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>A script's text made safe inside a &lt;script&gt; element: no "&lt;/script" can end it early.</summary>
    private static string InlineScript(string source) => source.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Number(double v) => v.ToString("g6", CultureInfo.InvariantCulture);

    private static void Summary(StringBuilder html, Study study, IReadOnlyList<FrozenTrial> trials)
    {
        html.Append("<section><h2>Summary</h2><table>");
        Row(html, "Study", study.Name);
        Row(html, "Direction(s)", string.Join(", ", study.Directions.Select(d => d.ToString().ToLowerInvariant())));
        foreach (var group in trials.GroupBy(t => t.State).OrderBy(g => g.Key))
        {
            Row(html, $"{group.Key} trials", group.Count().ToString(CultureInfo.InvariantCulture));
        }

        var starts = trials.Where(t => t.DatetimeStart is not null).Select(t => t.DatetimeStart!.Value).ToList();
        var ends = trials.Where(t => t.DatetimeComplete is not null).Select(t => t.DatetimeComplete!.Value).ToList();
        if (starts.Count > 0 && ends.Count > 0)
        {
            Row(html, "First start, last end", $"{starts.Min():yyyy-MM-dd HH:mm:ss}, {ends.Max():yyyy-MM-dd HH:mm:ss} ({(ends.Max() - starts.Min()).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s)");
        }

        var durations = trials.Where(t => t.State == TrialState.Complete && t.Duration is not null).Select(t => t.Duration!.Value.TotalSeconds).Order().ToList();
        if (durations.Count > 0)
        {
            Row(html, "Median trial duration", $"{Number(durations[durations.Count / 2])} s");
        }

        html.Append("</table></section>\n");
    }

    private static void Best(StringBuilder html, Study study)
    {
        var best = study.GetTrials(TrialState.Complete).Count == 0 ? [] : study.BestTrials;
        if (best.Count == 0)
        {
            html.Append("<section><h2>Best trial</h2><p>No complete trial yet.</p></section>\n");
            return;
        }

        html.Append("<section><h2>").Append(best.Count == 1 ? "Best trial" : $"Pareto-optimal trials ({best.Count})").Append("</h2>");
        foreach (var t in best.Take(10))
        {
            html.Append("<table>");
            Row(html, "Trial", $"#{t.Number}");
            Row(html, t.Values!.Count == 1 ? "Value" : "Values", string.Join(", ", t.Values.Select(Number)));
            foreach (var (name, value) in t.Params.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                Row(html, name, value switch { double d => Number(d), null => "None", _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty });
            }

            foreach (var (key, value) in t.UserAttrs)
            {
                Row(html, $"user attr {key}", value.GetRawText());
            }

            html.Append("</table><br>");
        }

        html.Append("</section>\n");
    }

    private static void Tune(StringBuilder html, Study study, string? runSummary)
    {
        var hasAttr = study.UserAttrs.TryGetValue(TuneAttributeKey, out var tune) && tune.ValueKind == JsonValueKind.Object;
        if (!hasAttr && runSummary is null)
        {
            return;
        }

        html.Append("<section><h2>Tuning statistics (hone tune)</h2><table>");
        if (hasAttr)
        {
            foreach (var p in tune.EnumerateObject())
            {
                Row(html, p.Name, Plain(p.Value));
            }
        }

        var complete = study.Directions.Count == 1 ? study.GetTrials(TrialState.Complete) : [];
        if (complete.Count > 0 && ImprovementEstimator.FoldScores(study.BestTrial) is { Count: >= 2 } scores)
        {
            var mean = scores.Average();
            var sd = Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / Math.Max(1, scores.Count - 1));
            Row(html, $"Best trial #{study.BestTrial.Number}: fold scores", string.Join(", ", scores.Select(Number)));
            Row(html, "Fold mean ± standard deviation", $"{Number(mean)} ± {Number(sd)} ({scores.Count} folds)");
        }

        var pruned = study.GetTrials(TrialState.Pruned).Count;
        if (pruned > 0)
        {
            Row(html, "Pruned trials", pruned.ToString(CultureInfo.InvariantCulture));
        }

        html.Append("</table>");
        if (runSummary is not null)
        {
            html.Append("<h3>Run summary</h3><table>");
            try
            {
                using var doc = JsonDocument.Parse(runSummary);
                foreach (var (key, value) in Flatten(string.Empty, doc.RootElement))
                {
                    Row(html, key, value);
                }
            }
            catch (JsonException)
            {
                Row(html, "summary", runSummary);
            }

            html.Append("</table>");
        }

        html.Append("</section>\n");
    }

    /// <summary>Nested objects as dotted keys; arrays of plain values on one line.</summary>
    private static IEnumerable<(string Key, string Value)> Flatten(string prefix, JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                foreach (var pair in Flatten(prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}", p.Value))
                {
                    yield return pair;
                }
            }
        }
        else if (e.ValueKind == JsonValueKind.Array && e.EnumerateArray().Any(x => x.ValueKind is JsonValueKind.Object or JsonValueKind.Array))
        {
            var i = 0;
            foreach (var x in e.EnumerateArray())
            {
                foreach (var pair in Flatten($"{prefix}[{i++}]", x))
                {
                    yield return pair;
                }
            }
        }
        else
        {
            yield return (prefix, Plain(e));
        }
    }

    private static string Plain(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() ?? string.Empty,
        JsonValueKind.Number => Number(e.GetDouble()),
        JsonValueKind.Array => string.Join(", ", e.EnumerateArray().Select(Plain)),
        _ => e.GetRawText(),
    };

    private static void Stopping(StringBuilder html, Study study, ImprovementEstimateOptions options)
    {
        if (study.IsMultiObjective)
        {
            return;
        }

        html.Append("<section id=\"stopping\"><h2>Is more tuning worth it?</h2>");
        var estimate = ImprovementEstimator.Estimate(study, options);
        if (estimate is null)
        {
            html.Append("<p>Not yet estimated: the estimate needs ").Append(options.MinTrials).Append(" complete trials.</p></section>\n");
            return;
        }

        html.Append(estimate.ShouldStop
            ? "<p class=\"verdict stop\">Probably not: the possible improvement is below the noise.</p>"
            : "<p class=\"verdict go\">Probably yes: the possible improvement is larger than the noise.</p>");
        html.Append("<table>");
        Row(html, "Regret bound (how much better the best could still get)", Number(estimate.RegretBound));
        Row(html, "Noise", $"{Number(estimate.Noise)} ({estimate.NoiseSource})");
        Row(html, "From", $"{estimate.TrialCount} complete trials; best #{estimate.BestTrialNumber}");
        html.Append("</table><p class=\"note\">A Gaussian-process upper confidence bound on the regret, compared with the noise (Makarova et al. 2022; Optuna's Terminator).</p></section>\n");
    }

    private static void Attributes(StringBuilder html, string title, IEnumerable<KeyValuePair<string, JsonElement>> attrs)
    {
        var list = attrs.ToList();
        if (list.Count == 0)
        {
            return;
        }

        html.Append("<section><h2>").Append(Encode(title)).Append("</h2><table>");
        foreach (var (key, value) in list)
        {
            Row(html, key, Plain(value));
        }

        html.Append("</table></section>\n");
    }

    private static void Row(StringBuilder html, string key, string value) =>
        html.Append("<tr><th>").Append(Encode(key)).Append("</th><td>").Append(Encode(value)).Append("</td></tr>");
}
