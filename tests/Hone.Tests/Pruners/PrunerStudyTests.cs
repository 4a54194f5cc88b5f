using Hone.Pruners;
using Hone.Samplers;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;
using static Hone.Tests.Pruners.PrunerHistory;

namespace Hone.Tests.Pruners;

/// <summary>How pruners meet studies: multi-objective studies, pruned trials' values, storage round trips.</summary>
public class PrunerStudyTests
{
    [Fact]
    public void PrunerInAMultiObjectiveStudy_IsAnErrorAtCreate()
    {
        var e = Assert.Throws<ArgumentException>(() => Study.Create(new StudyOptions
        {
            Directions = [StudyDirection.Minimize, StudyDirection.Maximize],
            Pruner = new MedianPruner(),
        }));
        Assert.Contains("MedianPruner cannot be used in a multi-objective study (2 objectives)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrunerInAMultiObjectiveStudy_IsAnErrorAtLoad_AndNothingIsCreated()
    {
        var storage = new InMemoryStorage();
        Assert.Throws<ArgumentException>(() => Study.Create(new StudyOptions
        {
            Name = "mo", Storage = storage, Directions = [StudyDirection.Minimize, StudyDirection.Minimize], Pruner = new HyperbandPruner(),
        }));
        Assert.Null(storage.FindStudy("mo"));

        Study.Create(new StudyOptions { Name = "mo", Storage = storage, Directions = [StudyDirection.Minimize, StudyDirection.Minimize] });
        var e = Assert.Throws<ArgumentException>(() => Study.Load(new StudyOptions { Name = "mo", Storage = storage, Pruner = new ThresholdPruner(new() { Upper = 1 }) }));
        Assert.Contains("ThresholdPruner cannot be used in a multi-objective study", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NopPruner_IsAllowedInAMultiObjectiveStudy_AndNeverPrunes()
    {
        var study = Study.Create(new StudyOptions { Directions = [StudyDirection.Minimize, StudyDirection.Minimize], Pruner = NopPruner.Instance });
        Assert.True(study.IsMultiObjective);
        var single = NewStudy(NopPruner.Instance);
        AddFlat(single, 0);
        Assert.False(ReportAndAsk(single, (0, 1e300)));
    }

    [Fact]
    public void PrunedTrial_KeepsItsLastIntermediateValueForSamplers()
    {
        var study = NewStudy(new ThresholdPruner(new() { Upper = 1 }));
        study.Optimize(t =>
        {
            t.Report(0.5, 0);
            t.Report(7.0, 3);
            t.Report(0.2, 1); // out of order: step 3 stays the last
            if (t.ShouldPrune())
            {
                throw new TrialPrunedException();
            }

            return 0;
        }, new OptimizeOptions { Trials = 1 });

        var trial = study.Trials[0];
        Assert.Equal(TrialState.Pruned, trial.State);
        Assert.Equal(7.0, trial.Value);
        Assert.Equal(3, trial.IntermediateValues.Count);
    }

    [Fact]
    public void RungsAndIntermediateValues_AreInTheStoredRecord_SeenByAnotherStudyObject()
    {
        var storage = new InMemoryStorage();
        var a = Study.Create(new StudyOptions { Name = "shared", Storage = storage, Pruner = new SuccessiveHalvingPruner(new() { MinResource = 1, ReductionFactor = 2 }) });
        var trial = a.Ask();
        trial.Report(3.0, 1);
        Assert.False(trial.ShouldPrune());
        a.Tell(trial, 3.0);

        // A second worker (another Study object on the same storage) competes with the first trial's rung.
        var b = Study.Load(new StudyOptions { Name = "shared", Storage = storage, Pruner = new SuccessiveHalvingPruner(new() { MinResource = 1, ReductionFactor = 2 }) });
        Assert.Equal(3.0, b.Trials[0].IntermediateValues[1]);
        Assert.Equal(3.0, b.Trials[0].SystemAttrs["completed_rung_0"].GetDouble());
        var worse = b.Ask();
        worse.Report(4.0, 1);
        Assert.True(worse.ShouldPrune());
    }

    [Fact]
    public void MedianPruner_InAnOptimizeRun_PrunesTheBadHalf()
    {
        var study = NewStudy(new MedianPruner(new() { StartupTrials = 5, WarmupSteps = 2 }), sampler: new RandomSampler(5));
        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            for (var step = 0; step < 10; step++)
            {
                t.Report(x + (1.0 / (step + 1)), step);
                if (t.ShouldPrune())
                {
                    throw new TrialPrunedException();
                }
            }

            return x;
        }, new OptimizeOptions { Trials = 40 });

        var pruned = study.GetTrials(TrialState.Pruned);
        Assert.InRange(pruned.Count, 10, 30);
        Assert.All(pruned, t => Assert.True(t.IntermediateValues.Keys.Max() >= 2));
        Assert.True(pruned.Average(t => (double)t.Params["x"]!) > study.GetTrials(TrialState.Complete).Average(t => (double)t.Params["x"]!));
    }
}
