using System.Text.RegularExpressions;
using Hone.Report.Html;

namespace Hone.Report.Tests;

public partial class HtmlReportTests
{
    [GeneratedRegex("<script[^>]*\\ssrc=", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptWithSource();

    [GeneratedRegex("<link[^>]*href=\"https?:", RegexOptions.IgnoreCase)]
    private static partial Regex RemoteStylesheet();

    [Fact]
    public void Render_IsSelfContained_PlotlyInlineAndNoScriptFromTheNetwork()
    {
        var html = HtmlReport.Render(SampleStudies.Conditional());

        Assert.DoesNotMatch(ScriptWithSource(), html);
        Assert.DoesNotMatch(RemoteStylesheet(), html);
        Assert.Contains(PlotlyBundle.Script[..200], html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HasSummaryBestTrialStoppingEstimateAndEveryPlot()
    {
        var study = SampleStudies.Conditional();

        var html = HtmlReport.Render(study);

        Assert.Contains("<h2>Summary</h2>", html, StringComparison.Ordinal);
        Assert.Contains($"#{study.BestTrial.Number}", html, StringComparison.Ordinal);
        Assert.Contains("Is more tuning worth it?", html, StringComparison.Ordinal);
        Assert.Contains("Regret bound", html, StringComparison.Ordinal);
        foreach (var figure in Plots.StudyPlots.All(study))
        {
            Assert.Contains($"id=\"plot-{figure.Kind}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_TuneStatistics_FromTheStudyAttributeAndTheRunSummary()
    {
        var study = SampleStudies.Conditional();
        study.SetUserAttr(HtmlReport.TuneAttributeKey, new Dictionary<string, object?> { ["metric"] = "rmse", ["rows"] = 506 });

        var html = HtmlReport.Render(study, new ReportOptions { RunSummaryJson = """{"test": {"score": 0.875, "ci95": [0.8, 0.9]}}""" });

        Assert.Contains("Tuning statistics", html, StringComparison.Ordinal);
        Assert.Contains("rmse", html, StringComparison.Ordinal);
        Assert.Contains("test.score", html, StringComparison.Ordinal);
        Assert.Contains("0.875", html, StringComparison.Ordinal);
        Assert.Contains("Fold mean", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UserText_IsEscaped()
    {
        var study = SampleStudies.Conditional(5);
        study.SetUserAttr("note", "<script>alert(1)</script>");

        var html = HtmlReport.Render(study);

        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)", html, StringComparison.Ordinal);
    }
}
