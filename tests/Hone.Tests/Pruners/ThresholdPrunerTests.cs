using Hone.Pruners;
using Hone.Studies;
using static Hone.Tests.Pruners.PrunerHistory;

namespace Hone.Tests.Pruners;

public class ThresholdPrunerTests
{
    [Theory]
    [InlineData(0.5, false)]
    [InlineData(0.0, false)]
    [InlineData(1.0, false)]
    [InlineData(-0.1, true)]
    [InlineData(1.1, true)]
    [InlineData(double.NaN, true)]
    [InlineData(double.PositiveInfinity, true)]
    public void PrunesOutsideTheBoundsAndOnNaN(double value, bool pruned)
    {
        var study = NewStudy(new ThresholdPruner(new() { Lower = 0, Upper = 1 }));
        Assert.Equal(pruned, ReportAndAsk(study, (0, value)));
    }

    [Fact]
    public void OnlyTheLatestValue_Counts_WhateverTheDirection()
    {
        var study = NewStudy(new ThresholdPruner(new() { Upper = 10 }), StudyDirection.Maximize);
        Assert.False(ReportAndAsk(study, (0, 100), (1, 5)));
        Assert.True(ReportAndAsk(study, (0, 5), (1, 100)));
        Assert.False(ReportAndAsk(study, (3, 5), (1, 100))); // step 3 is the latest
    }

    [Fact]
    public void NoValue_AndBeforeWarmup_NeverPrune()
    {
        var study = NewStudy(new ThresholdPruner(new() { Lower = 0, WarmupSteps = 2 }));
        Assert.False(study.Ask().ShouldPrune());
        Assert.False(ReportAndAsk(study, (1, -5)));
        Assert.True(ReportAndAsk(study, (2, -5)));
    }

    [Fact]
    public void IntervalSteps_ChecksOnlyAtCheckPoints()
    {
        var study = NewStudy(new ThresholdPruner(new() { Upper = 0, IntervalSteps = 2 }));
        var trial = study.Ask();
        var decisions = new List<bool>();
        for (var step = 0; step < 5; step++)
        {
            trial.Report(1, step);
            decisions.Add(trial.ShouldPrune());
        }

        Assert.Equal([true, false, true, false, true], decisions);
    }

    [Fact]
    public void BadOptions_AreAllNamedInOneMessage()
    {
        var none = Assert.Throws<ArgumentException>(() => new ThresholdPruner(new() { WarmupSteps = -1, IntervalSteps = 0 }));
        Assert.Contains("Lower or Upper must be set", none.Message, StringComparison.Ordinal);
        Assert.Contains("WarmupSteps must be 0 or more, got -1", none.Message, StringComparison.Ordinal);
        Assert.Contains("IntervalSteps must be 1 or more, got 0", none.Message, StringComparison.Ordinal);
        var crossed = Assert.Throws<ArgumentException>(() => new ThresholdPruner(new() { Lower = 2, Upper = 1 }));
        Assert.Contains("Lower (2) must not be greater than Upper (1)", crossed.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<ArgumentException>(() => new ThresholdPruner(new() { Lower = double.NaN }));
        Assert.Contains("Lower must be a number, got NaN", nan.Message, StringComparison.Ordinal);
    }
}
