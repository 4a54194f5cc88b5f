using Hone.Pruners;
using Hone.Studies;
using Hone.Trials;
using static Hone.Tests.Pruners.PrunerHistory;

namespace Hone.Tests.Pruners;

public class PatientPrunerTests
{
    private sealed class Always(bool answer) : IPruner
    {
        public int Calls { get; private set; }

        public bool Prune(Study study, FrozenTrial trial)
        {
            Calls++;
            return answer;
        }
    }

    [Fact]
    public void Improving_IsNeverPruned_Minimize()
    {
        var study = NewStudy(new PatientPruner(new() { Patience = 2 }));
        Assert.False(ReportAndAsk(study, (0, 5), (1, 4), (2, 3), (3, 2), (4, 1)));
    }

    [Fact]
    public void NoImprovementForMoreThanPatienceSteps_Prunes()
    {
        var study = NewStudy(new PatientPruner(new() { Patience = 2 }));
        var trial = study.Ask();
        Assert.False(ReportAndAsk(trial, (0, 1.0), (1, 2.0), (2, 2.0)));  // 3 values: not more than patience + 1
        Assert.True(ReportAndAsk(trial, (3, 2.0)));                       // best before (1.0) beats the last 3 (2.0)
    }

    [Fact]
    public void Maximize_IsMirrored()
    {
        var study = NewStudy(new PatientPruner(new() { Patience = 1 }), StudyDirection.Maximize);
        Assert.True(ReportAndAsk(study, (0, 5), (1, 4), (2, 4)));
        Assert.False(ReportAndAsk(study, (0, 5), (1, 4), (2, 6)));
    }

    [Fact]
    public void MinDelta_SmallChangesDoNotCountAsStalling()
    {
        // Best before 1.0, best after 1.05: stalled by 0.05, within min delta 0.1.
        var study = NewStudy(new PatientPruner(new() { Patience = 1, MinDelta = 0.1 }));
        Assert.False(ReportAndAsk(study, (0, 1.0), (1, 1.05), (2, 1.06)));
        Assert.True(ReportAndAsk(study, (0, 1.0), (1, 1.2), (2, 1.3)));
    }

    [Fact]
    public void StepsReportedOutOfOrder_AreSorted()
    {
        var study = NewStudy(new PatientPruner(new() { Patience = 1 }));
        // In step order: 1.0 (step 0), 3.0 (step 1), 3.0 (step 2): stalled.
        Assert.True(ReportAndAsk(study, (2, 3.0), (0, 1.0), (1, 3.0)));
    }

    [Fact]
    public void NaN_IsIgnored_AndAllNaNNeverPrunes()
    {
        var study = NewStudy(new PatientPruner(new() { Patience = 0 }));
        Assert.False(ReportAndAsk(study, (0, double.NaN), (1, double.NaN)));
        Assert.True(ReportAndAsk(study, (0, 1.0), (1, double.NaN), (2, 2.0)));
    }

    [Fact]
    public void WrappedPruner_DecidesOnceStalled()
    {
        var no = new Always(false);
        var study = NewStudy(new PatientPruner(new() { Patience = 0, WrappedPruner = no }));
        Assert.False(ReportAndAsk(study, (0, 1.0), (1, 0.5)));
        Assert.Equal(0, no.Calls);
        Assert.False(ReportAndAsk(study, (0, 1.0), (1, 2.0)));
        Assert.Equal(1, no.Calls);
    }

    [Fact]
    public void WrappingHyperband_KeepsTheSamplerViewOfBrackets()
    {
        var hyperband = new HyperbandPruner(new() { MaxResource = 27 });
        var study = NewStudy(new PatientPruner(new() { Patience = 3, WrappedPruner = hyperband }));
        for (var i = 0; i < 20; i++)
        {
            study.Tell(study.Ask(), 1.0);
        }

        var last = study.Trials[^1];
        Assert.All(study.GetTrialsForSampling(last), t => Assert.Equal(hyperband.BracketOf(study, last.Number), hyperband.BracketOf(study, t.Number)));
    }

    [Fact]
    public void BadOptions_AreAllNamedInOneMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new PatientPruner(new() { Patience = -1, MinDelta = -0.5 }));
        Assert.Contains("Patience must be 0 or more, got -1", e.Message, StringComparison.Ordinal);
        Assert.Contains("MinDelta must be a finite number of 0 or more, got -0.5", e.Message, StringComparison.Ordinal);
    }
}
