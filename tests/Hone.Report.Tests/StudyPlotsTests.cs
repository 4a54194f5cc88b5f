using System.Text.Json;
using Hone.Report.Plots;

namespace Hone.Report.Tests;

public class StudyPlotsTests
{
    [Fact]
    public void All_SingleObjectiveStudy_GivesEveryPlotButTheMultiObjectiveOnes()
    {
        var study = SampleStudies.Conditional();

        var kinds = StudyPlots.All(study).Select(f => f.Kind).ToList();

        Assert.Equal(StudyPlots.Kinds.Except(["pareto", "hypervolume"]), kinds);
    }

    [Fact]
    public void All_TwoObjectives_GivesParetoFrontAndHypervolume_NoHistory()
    {
        var study = SampleStudies.TwoObjectives();

        var figures = StudyPlots.All(study).ToDictionary(f => f.Kind);

        Assert.Contains("pareto", figures.Keys);
        Assert.Contains("hypervolume", figures.Keys);
        Assert.DoesNotContain("history", figures.Keys);
        using var pareto = JsonDocument.Parse(figures["pareto"].ToJson());
        var onFront = pareto.RootElement.GetProperty("data")[1].GetProperty("x").GetArrayLength();
        Assert.Equal(study.BestTrials.Count, onFront);
    }

    [Fact]
    public void Slice_ConditionalParameter_PanelHasOnlyTheTrialsThatHaveIt()
    {
        var study = SampleStudies.Conditional();

        using var slice = JsonDocument.Parse(StudyPlots.Build(study, "slice")!.ToJson());

        var panels = slice.RootElement.GetProperty("data").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("x").GetArrayLength());
        var complete = study.GetTrials(Hone.Trials.TrialState.Complete).Count;
        Assert.Equal(SampleStudies.WithMomentum(study), panels["momentum"]);
        Assert.True(panels["momentum"] < complete);
        Assert.Equal(complete, panels["lr"]);
    }

    [Fact]
    public void ParallelCoordinates_LeaveConditionalParameterOut_AndSayWhy()
    {
        var study = SampleStudies.Conditional();

        var figure = StudyPlots.Build(study, "parallel")!;
        using var doc = JsonDocument.Parse(figure.ToJson());

        var labels = doc.RootElement.GetProperty("data")[0].GetProperty("dimensions").EnumerateArray().Select(d => d.GetProperty("label").GetString()).ToList();
        Assert.DoesNotContain("momentum", labels);
        Assert.Contains("lr", labels);
        Assert.Contains("momentum", figure.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void History_BestLine_NeverGetsWorse()
    {
        var study = SampleStudies.Conditional();

        using var doc = JsonDocument.Parse(StudyPlots.Build(study, "history")!.ToJson());

        var best = doc.RootElement.GetProperty("data")[1].GetProperty("y").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.True(best.Zip(best.Skip(1)).All(p => p.Second <= p.First));
        Assert.Equal(study.BestValue, best[^1]);
    }

    [Fact]
    public void Build_UnknownKind_NamesTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => StudyPlots.Build(SampleStudies.Conditional(5), "histogram"));

        Assert.Contains("contour", e.Message, StringComparison.Ordinal);
    }
}
