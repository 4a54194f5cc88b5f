using Hone.Pruners;
using Hone.Studies;
using static Hone.Tests.Pruners.PrunerHistory;

namespace Hone.Tests.Pruners;

public class MedianPrunerTests
{
    private static Study WithHistory(MedianPrunerOptions options, StudyDirection direction = StudyDirection.Minimize)
    {
        var study = NewStudy(new MedianPruner(options), direction);
        foreach (var v in new[] { 1.0, 2.0, 3.0, 4.0, 5.0 })
        {
            AddFlat(study, v);
        }

        return study;
    }

    [Fact]
    public void NoCompletedTrials_NeverPrunes()
    {
        var study = NewStudy(new MedianPruner(new() { StartupTrials = 0 }));
        Assert.False(ReportAndAsk(study, (0, 1e9)));
    }

    [Fact]
    public void NoReportedValue_NeverPrunes()
    {
        var study = WithHistory(new());
        Assert.False(study.Ask().ShouldPrune());
    }

    [Fact]
    public void ClearlyWorseTrial_IsPruned_Minimize()
    {
        var study = WithHistory(new());
        Assert.True(ReportAndAsk(study, (0, 10.0)));
        Assert.False(ReportAndAsk(study, (0, 2.0)));
    }

    [Fact]
    public void ClearlyWorseTrial_IsPruned_Maximize()
    {
        var study = WithHistory(new(), StudyDirection.Maximize);
        Assert.True(ReportAndAsk(study, (0, 0.5)));
        Assert.False(ReportAndAsk(study, (0, 4.0)));
    }

    [Fact]
    public void ValueEqualToTheMedian_IsKept()
    {
        var study = WithHistory(new());
        Assert.False(ReportAndAsk(study, (0, 3.0)));
        Assert.True(ReportAndAsk(study, (0, 3.0000001)));
    }

    [Fact]
    public void TheBestValueSoFar_IsCompared_NotTheLatest()
    {
        // Best so far is 1.0 (better than the median 3.0), although the latest value 9.0 is worse.
        var study = WithHistory(new());
        Assert.False(ReportAndAsk(study, (0, 1.0), (1, 9.0)));
    }

    [Fact]
    public void BeforeWarmup_NeverPrunes_ThenPrunesAtTheWarmupStep()
    {
        var study = WithHistory(new() { WarmupSteps = 3 });
        var trial = study.Ask();
        for (var step = 0; step < 3; step++)
        {
            trial.Report(100, step);
            Assert.False(trial.ShouldPrune());
        }

        trial.Report(100, 3);
        Assert.True(trial.ShouldPrune());
    }

    [Fact]
    public void StartupTrials_DisablePruningUntilEnoughAreComplete()
    {
        var study = NewStudy(new MedianPruner(new() { StartupTrials = 3 }));
        AddFlat(study, 1);
        AddFlat(study, 1);
        Assert.False(ReportAndAsk(study, (0, 100)));
        AddFlat(study, 1);
        Assert.True(ReportAndAsk(study, (0, 100)));
    }

    [Fact]
    public void PrunedTrials_DoNotCountAsStartupTrials()
    {
        var study = NewStudy(new MedianPruner(new() { StartupTrials = 2 }));
        AddFlat(study, 1);
        AddFinished(study, Steps(1, 1), state: Trials.TrialState.Pruned);
        Assert.False(ReportAndAsk(study, (0, 100)));
    }

    [Fact]
    public void IntervalSteps_ChecksOnlyAtCheckPoints()
    {
        // Warm-up 2, interval 3: checks at steps 2, 5, 8, ...
        var study = WithHistory(new() { WarmupSteps = 2, IntervalSteps = 3 });
        var trial = study.Ask();
        var decisions = new List<bool>();
        for (var step = 0; step < 9; step++)
        {
            trial.Report(100, step);
            decisions.Add(trial.ShouldPrune());
        }

        Assert.Equal([false, false, true, false, false, true, false, false, true], decisions);
    }

    [Fact]
    public void SkippedCheckPoint_IsPostponedToTheNextReportedStep_Once()
    {
        // Interval 5: check points 0, 5; nothing is reported at 5, so 6 is checked, 7 is not.
        var study = WithHistory(new() { IntervalSteps = 5 });
        var trial = study.Ask();
        trial.Report(1.0, 0);
        Assert.False(trial.ShouldPrune());
        trial.Report(100, 6);
        Assert.False(trial.ShouldPrune()); // best so far 1.0 is fine; but the check happened (see next)
        var other = study.Ask();
        other.Report(100, 0);
        Assert.True(other.ShouldPrune());
        other.Report(100, 6);
        Assert.True(other.ShouldPrune());
        other.Report(100, 7);
        Assert.False(other.ShouldPrune());
    }

    [Fact]
    public void StepsReportedOutOfOrder_TheLargestStepIsCompared()
    {
        var study = NewStudy(new MedianPruner(new() { StartupTrials = 1 }));
        AddFinished(study, new Dictionary<int, double> { [2] = 1.0, [5] = 10.0 });
        // Reported 5 then 2: the step compared is 5, where the other trial had 10.
        Assert.False(ReportAndAsk(study, (5, 8.0), (2, 9.0)));
        Assert.True(ReportAndAsk(study, (5, 12.0), (2, 11.0)));
    }

    [Fact]
    public void MinTrials_NeedsEnoughValuesAtTheStep()
    {
        var study = NewStudy(new MedianPruner(new() { StartupTrials = 0, MinTrials = 2 }));
        AddFinished(study, Steps(1, 1, 1));
        AddFinished(study, Steps(1));
        Assert.True(ReportAndAsk(study, (0, 5)));
        Assert.False(ReportAndAsk(study, (2, 5)));
    }

    [Fact]
    public void AllNaNIntermediateValues_Prune()
    {
        var study = WithHistory(new());
        Assert.True(ReportAndAsk(study, (0, double.NaN)));
    }

    [Fact]
    public void NaNValuesOfOtherTrials_AreIgnored()
    {
        var study = NewStudy(new MedianPruner(new() { StartupTrials = 0 }));
        AddFinished(study, Steps(double.NaN), value: 1);
        AddFinished(study, Steps(double.NaN), value: 1);
        AddFinished(study, Steps(2.0), value: 1);
        Assert.False(ReportAndAsk(study, (0, 2.0)));
        Assert.True(ReportAndAsk(study, (0, 2.5)));
    }

    [Fact]
    public void OneCompletedTrial_IsTheMedian()
    {
        var study = NewStudy(new MedianPruner(new() { StartupTrials = 1 }));
        AddFlat(study, 3.0);
        Assert.True(ReportAndAsk(study, (0, 3.5)));
        Assert.False(ReportAndAsk(study, (0, 2.5)));
    }

    [Fact]
    public void BadOptions_AreAllNamedInOneMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new MedianPruner(new() { StartupTrials = -1, WarmupSteps = -2, IntervalSteps = 0, MinTrials = 0 }));
        Assert.Contains("MedianPrunerOptions", e.Message, StringComparison.Ordinal);
        Assert.Contains("StartupTrials must be 0 or more, got -1", e.Message, StringComparison.Ordinal);
        Assert.Contains("WarmupSteps must be 0 or more, got -2", e.Message, StringComparison.Ordinal);
        Assert.Contains("IntervalSteps must be 1 or more, got 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("MinTrials must be 1 or more, got 0", e.Message, StringComparison.Ordinal);
    }
}
