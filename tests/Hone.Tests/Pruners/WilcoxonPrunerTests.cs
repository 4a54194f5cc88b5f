using Hone.Pruners;
using Hone.Studies;
using static Hone.Tests.Pruners.PrunerHistory;

namespace Hone.Tests.Pruners;

public class WilcoxonPrunerTests
{
    private static readonly double[] BestScores = [5.0, 5.2, 4.8, 5.1, 4.9, 5.3, 4.7, 5.05, 4.95, 5.0];

    /// <summary>A study whose best trial scored <see cref="BestScores"/> (final value their mean, 5.0, unless given), and a worse one.</summary>
    private static Study WithBest(WilcoxonPrunerOptions options, StudyDirection direction = StudyDirection.Minimize, double bestValue = 5.0)
    {
        var study = NewStudy(new WilcoxonPruner(options), direction);
        var worse = direction == StudyDirection.Minimize ? 50.0 : -50.0;
        AddFinished(study, Steps(BestScores), value: bestValue);
        AddFinished(study, Steps([.. BestScores.Select(v => v + worse)]), value: 5.0 + worse);
        return study;
    }

    private static (int, double)[] Shifted(double shift, int count) =>
        [.. Enumerable.Range(0, count).Select(i => (i, BestScores[i] + shift + (0.01 * i)))];

    [Fact]
    public void NoCompletedTrial_NeverPrunes()
    {
        var study = NewStudy(new WilcoxonPruner());
        Assert.False(ReportAndAsk(study, Shifted(100, 10)));
    }

    [Fact]
    public void ConsistentlyWorseOnEveryInstance_IsPruned_Minimize()
    {
        // 5 instances all worse: exact one-sided p = 1/32 < 0.1.
        var study = WithBest(new());
        Assert.True(ReportAndAsk(study, Shifted(1, 5)));
    }

    [Fact]
    public void TooFewInstances_AreNotSignificant()
    {
        // 3 instances all worse: p = 1/8 > 0.1.
        var study = WithBest(new());
        Assert.False(ReportAndAsk(study, Shifted(1, 3)));
    }

    [Fact]
    public void BetterOnEveryInstance_IsNotPruned()
    {
        var study = WithBest(new());
        Assert.False(ReportAndAsk(study, Shifted(-1, 10)));
    }

    [Fact]
    public void Maximize_IsMirrored()
    {
        var study = WithBest(new(), StudyDirection.Maximize);
        Assert.False(ReportAndAsk(study, Shifted(1, 10)));
        Assert.True(ReportAndAsk(study, Shifted(-100, 10)));
    }

    [Fact]
    public void InstancesInAnyOrder_ArePairedByStep()
    {
        var study = WithBest(new());
        var reports = Shifted(1, 6);
        Array.Reverse(reports);
        Assert.True(ReportAndAsk(study, reports));
    }

    [Fact]
    public void StartupSteps_DelayPruning()
    {
        var study = WithBest(new() { StartupSteps = 8 });
        Assert.False(ReportAndAsk(study, Shifted(1, 7)));
        Assert.True(ReportAndAsk(study, Shifted(1, 8)));
    }

    [Fact]
    public void PThreshold_SetsAggressiveness()
    {
        // 4 instances all worse: p = 1/16 = 0.0625.
        Assert.True(ReportAndAsk(WithBest(new() { PThreshold = 0.1 }), Shifted(1, 4)));
        Assert.False(ReportAndAsk(WithBest(new() { PThreshold = 0.05 }), Shifted(1, 4)));
    }

    [Fact]
    public void NonFiniteValues_NeverPrune()
    {
        var study = WithBest(new());
        Assert.False(ReportAndAsk(study, [.. Shifted(1, 9), (9, double.NaN)]));
        Assert.False(ReportAndAsk(study, [.. Shifted(1, 9), (9, double.PositiveInfinity)]));
    }

    [Fact]
    public void AllTies_AreNotSignificant()
    {
        // Identical to the best on every instance: every difference is zero, p = 0.5.
        var study = WithBest(new() { PThreshold = 0.4 });
        Assert.False(ReportAndAsk(study, [.. BestScores.Select((v, i) => (i, v))]));
    }

    [Fact]
    public void SafetyRule_AMeanAtLeastAsGoodAsTheBestValue_IsKept()
    {
        // Worse than the best trial on every instance, but its mean (about 6) is better than the best trial's final value, 7.
        Assert.True(ReportAndAsk(WithBest(new()), Shifted(1, 10)));
        Assert.False(ReportAndAsk(WithBest(new(), bestValue: 7.0), Shifted(1, 10)));
    }

    [Fact]
    public void BadOptions_AreAllNamedInOneMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new WilcoxonPruner(new() { PThreshold = 1.5, StartupSteps = -1 }));
        Assert.Contains("PThreshold must be between 0 and 1, got 1.5", e.Message, StringComparison.Ordinal);
        Assert.Contains("StartupSteps must be 0 or more, got -1", e.Message, StringComparison.Ordinal);
    }
}
