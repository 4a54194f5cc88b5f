using Hone.Pruners;
using Hone.Samplers;
using Hone.Studies;

namespace Hone.Tests.Studies;

/// <summary>Report accepts every double, NaN included, as its documentation (and Optuna) say.</summary>
public class ReportValueTests
{
    [Fact]
    public void NaN_IsStored_AndThresholdPrunesOnIt()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(1), Pruner = new ThresholdPruner(new() { Upper = 10 }) });
        var trial = study.Ask();
        trial.Report(double.NaN, 3);
        Assert.True(trial.ShouldPrune());
        var stored = study.Storage.GetTrial(study.GetTrials()[0].TrialId);
        Assert.True(double.IsNaN(stored.IntermediateValues[3]));
    }

    [Fact]
    public void NegativeStep_IsRefused_NamingTheStep()
    {
        var trial = Study.Create().Ask();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => trial.Report(1, -2));
        Assert.Contains("-2", e.Message, StringComparison.Ordinal);
    }
}
