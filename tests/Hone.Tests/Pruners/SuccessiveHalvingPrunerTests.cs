using System.Text.Json;
using Hone.Pruners;
using Hone.Studies;
using Hone.Trials;
using static Hone.Tests.Pruners.PrunerHistory;

namespace Hone.Tests.Pruners;

public class SuccessiveHalvingPrunerTests
{
    private static SuccessiveHalvingPruner Asha(int reductionFactor = 2, int minResource = 1, int rate = 0, int bootstrap = 0) =>
        new(new() { MinResource = minResource, ReductionFactor = reductionFactor, MinEarlyStoppingRate = rate, BootstrapCount = bootstrap });

    private static Dictionary<string, JsonElement> Rungs(params double[] values) =>
        values.Select((v, i) => (v, i)).ToDictionary(p => SuccessiveHalvingPruner.RungKey(p.i), p => JsonSerializer.SerializeToElement(p.v));

    /// <summary>Four trials that reached rung 0 with values 1, 2, 3, 4.</summary>
    private static Study WithRungZero(StudyDirection direction = StudyDirection.Minimize, int reductionFactor = 2)
    {
        var study = NewStudy(Asha(reductionFactor), direction);
        foreach (var v in new[] { 1.0, 2.0, 3.0, 4.0 })
        {
            AddFinished(study, Steps(v, v), state: TrialState.Pruned, systemAttrs: Rungs(v));
        }

        return study;
    }

    [Fact]
    public void FirstTrial_IsPromoted_AndItsRungIsRecorded()
    {
        var study = NewStudy(Asha());
        var trial = study.Ask();
        trial.Report(5.0, 0);
        Assert.False(trial.ShouldPrune()); // rung 0 is at step 1
        Assert.Empty(study.Trials[0].SystemAttrs);
        trial.Report(5.0, 1);
        Assert.False(trial.ShouldPrune());
        var record = study.Trials[0];
        Assert.Equal(5.0, record.SystemAttrs["completed_rung_0"].GetDouble());
        Assert.Equal(1, SuccessiveHalvingPruner.CurrentRung(record));
    }

    [Fact]
    public void AtARung_OnlyTheBestOneOverEtaArePromoted_Minimize()
    {
        // With 1, 2, 3, 4 and the new value: 5 values, the best ⌊5/2⌋ = 2 continue.
        var study = WithRungZero();
        Assert.True(ReportAndAsk(study, (1, 3.5)));
        Assert.False(ReportAndAsk(study, (1, 1.5)));
        Assert.True(ReportAndAsk(study, (1, 2.5)));
    }

    [Fact]
    public void AtARung_OnlyTheBestOneOverEtaArePromoted_Maximize()
    {
        var study = WithRungZero(StudyDirection.Maximize);
        Assert.True(ReportAndAsk(study, (1, 1.5)));
        Assert.False(ReportAndAsk(study, (1, 3.5)));
    }

    [Fact]
    public void PromotedTrial_MovesToTheNextRung_WhichIsJudgedLater()
    {
        var study = WithRungZero();
        var trial = study.Ask();
        trial.Report(0.5, 1);
        Assert.False(trial.ShouldPrune()); // promoted past rung 0; rung 1 is at step 2
        trial.Report(0.5, 2);
        Assert.False(trial.ShouldPrune()); // alone at rung 1: promoted
        var record = study.Trials[^1];
        Assert.Equal(2, SuccessiveHalvingPruner.CurrentRung(record));
        Assert.Equal(0.5, record.SystemAttrs["completed_rung_1"].GetDouble());
    }

    [Fact]
    public void SkippedSteps_PassEveryRungReached()
    {
        // Reporting step 4 directly with r = 1, η = 2 passes rungs at steps 1, 2 and 4.
        var study = NewStudy(Asha());
        var trial = study.Ask();
        trial.Report(1.0, 4);
        Assert.False(trial.ShouldPrune());
        Assert.Equal(3, SuccessiveHalvingPruner.CurrentRung(study.Trials[0]));
    }

    [Fact]
    public void MinEarlyStoppingRate_MovesTheFirstRung()
    {
        // r = 1, η = 2, s = 2: the first rung is at step 4.
        var study = NewStudy(Asha(rate: 2));
        foreach (var v in new[] { 1.0, 2.0, 3.0, 4.0 })
        {
            AddFinished(study, Steps(v, v, v, v, v), state: TrialState.Pruned, systemAttrs: Rungs(v));
        }

        var trial = study.Ask();
        for (var step = 0; step < 4; step++)
        {
            trial.Report(9.0, step);
            Assert.False(trial.ShouldPrune());
        }

        trial.Report(9.0, 4);
        Assert.True(trial.ShouldPrune());
    }

    [Fact]
    public void NaNAtARung_Prunes()
    {
        var study = NewStudy(Asha());
        Assert.True(ReportAndAsk(study, (1, double.NaN)));
    }

    [Fact]
    public void Ties_ArePromoted()
    {
        var study = WithRungZero();
        Assert.False(ReportAndAsk(study, (1, 2.0)));
    }

    [Fact]
    public void AutomaticMinResource_WaitsForACompleteTrial_ThenIsLastStepOver100()
    {
        var study = NewStudy(new SuccessiveHalvingPruner(new() { ReductionFactor = 2 }));
        Assert.False(ReportAndAsk(study, (1, 1e9)));
        AddFinished(study, new Dictionary<int, double> { [299] = 1.0 });

        // min resource = 299 / 100 = 2: nothing is judged at step 1; at step 2 the trial is alone at rung 0.
        var trial = study.Ask();
        trial.Report(5.0, 1);
        Assert.False(trial.ShouldPrune());
        Assert.Equal(0, SuccessiveHalvingPruner.CurrentRung(study.Trials[^1]));
        trial.Report(5.0, 2);
        Assert.False(trial.ShouldPrune());
        Assert.Equal(1, SuccessiveHalvingPruner.CurrentRung(study.Trials[^1]));
    }

    [Fact]
    public void BootstrapCount_PrunesUntilTheRungHasEnoughTrials()
    {
        var study = NewStudy(Asha(bootstrap: 2));
        Assert.True(ReportAndAsk(study, (1, 1.0)));
        Assert.True(ReportAndAsk(study, (1, 1.0)));
        Assert.False(ReportAndAsk(study, (1, 1.0)));
    }

    [Fact]
    public void InfiniteRungValues_AreRecordedAndCompared()
    {
        var study = NewStudy(Asha());
        Assert.False(ReportAndAsk(study, (1, double.PositiveInfinity)));
        Assert.False(ReportAndAsk(study, (1, 1.0)));
        Assert.True(ReportAndAsk(study, (1, double.PositiveInfinity)));
    }

    [Fact]
    public void AsynchronousWorkers_AllFinishAndMostArePruned()
    {
        var study = NewStudy(Asha(reductionFactor: 3));
        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            for (var step = 0; step < 27; step++)
            {
                t.Report(x + (1.0 / (step + 1)), step);
                if (t.ShouldPrune())
                {
                    throw new TrialPrunedException();
                }
            }

            return x;
        }, new OptimizeOptions { Trials = 60, Parallelism = 4 });

        Assert.Equal(60, study.Trials.Count);
        Assert.DoesNotContain(study.Trials, t => t.State is TrialState.Running or TrialState.Fail);
        Assert.True(study.GetTrials(TrialState.Pruned).Count > 30);
    }

    [Fact]
    public void BadOptions_AreAllNamedInOneMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new SuccessiveHalvingPruner(new() { MinResource = 0, ReductionFactor = 1, MinEarlyStoppingRate = -1, BootstrapCount = -3 }));
        Assert.Contains("MinResource must be 1 or more (or null for automatic), got 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("ReductionFactor must be 2 or more, got 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("MinEarlyStoppingRate must be 0 or more, got -1", e.Message, StringComparison.Ordinal);
        Assert.Contains("BootstrapCount must be 0 or more, got -3", e.Message, StringComparison.Ordinal);
        var auto = Assert.Throws<ArgumentException>(() => new SuccessiveHalvingPruner(new() { BootstrapCount = 2 }));
        Assert.Contains("needs MinResource", auto.Message, StringComparison.Ordinal);
    }
}
