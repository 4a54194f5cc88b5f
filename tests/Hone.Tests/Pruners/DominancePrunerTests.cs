using Hone.Pruners;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Pruners;

public class DominancePrunerTests
{
    // Objective 1 minimised (an error), objective 2 maximised (a speed).
    private static Study NewStudy(DominancePrunerOptions? options = null, IStorage? storage = null) => Study.Create(new StudyOptions
    {
        Directions = [StudyDirection.Minimize, StudyDirection.Maximize],
        Pruner = new DominancePruner(options),
        Storage = storage,
    });

    /// <summary>Four complete trials whose vectors at step 1 are (error, speed): (1, 4), (2, 3), (3, 2), (4, 1).</summary>
    private static void AddFront(Study study)
    {
        for (var i = 1; i <= 4; i++)
        {
            var t = study.Ask();
            t.Report([i + 1.0, 5.0 - i], 0);
            t.Report([i, 5.0 - i], 1);
            study.Tell(t, [i, 5.0 - i]);
        }
    }

    private static bool ReportAndAsk(Study study, params (int Step, double Error, double Speed)[] reports)
    {
        var t = study.Ask();
        foreach (var (step, error, speed) in reports)
        {
            t.Report([error, speed], step);
        }

        return t.ShouldPrune();
    }

    [Fact]
    public void Prunes_AVectorDominatedByHalfTheTrials_KeepsATradeOff()
    {
        var study = NewStudy(new() { StartupTrials = 4 });
        AddFront(study);
        // (3.5, 1.5) is dominated by (1, 4), (2, 3) and (3, 2): 3 of 4.
        Assert.True(ReportAndAsk(study, (1, 3.5, 1.5)));
        // (0.5, 0.5) is best in error and worst in speed: dominated by none.
        Assert.False(ReportAndAsk(study, (1, 0.5, 0.5)));
        // (2.5, 2.5) is dominated by (1, 4) and (2, 3): 2 of 4 is not more than half.
        Assert.False(ReportAndAsk(study, (1, 2.5, 2.5)));
        // (4, 1.5) is dominated by (1, 4), (2, 3) and (3, 2); with a share of 0.8 it takes all 4.
        var strict = NewStudy(new() { StartupTrials = 4, Share = 0.8 });
        AddFront(strict);
        Assert.False(ReportAndAsk(strict, (1, 4, 1.5)));
        Assert.True(ReportAndAsk(strict, (1, 5, 0.5)));
    }

    [Fact]
    public void ComparesAtTheTrialsLatestStep()
    {
        var study = NewStudy(new() { StartupTrials = 4 });
        AddFront(study);
        // At step 0 the others were (2, 4), (3, 3), (4, 2), (5, 1): (4.5, 1.5) is dominated by three of them; nobody reported at step 7.
        Assert.True(ReportAndAsk(study, (0, 4.5, 1.5)));
        Assert.False(ReportAndAsk(study, (0, 0.0, 0.0), (7, 9, 0)));
    }

    [Fact]
    public void StartupTrials_WarmupSteps_AndMinTrials_HoldPruningBack()
    {
        var startup = NewStudy(new() { StartupTrials = 5 });
        AddFront(startup);
        Assert.False(ReportAndAsk(startup, (1, 9, 0)));

        var warmup = NewStudy(new() { StartupTrials = 0, WarmupSteps = 2 });
        AddFront(warmup);
        Assert.False(ReportAndAsk(warmup, (1, 9, 0)));

        var minTrials = NewStudy(new() { StartupTrials = 0, MinTrials = 5 });
        AddFront(minTrials);
        Assert.False(ReportAndAsk(minTrials, (1, 9, 0)));
    }

    [Fact]
    public void NaN_InTheTrialsVector_Prunes()
    {
        var study = NewStudy(new() { StartupTrials = 4 });
        AddFront(study);
        Assert.True(ReportAndAsk(study, (1, double.NaN, 100)));
    }

    [Fact]
    public void SingleObjective_IsTheMedianRule()
    {
        var study = Study.Create(new StudyOptions { Pruner = new DominancePruner(new() { StartupTrials = 4 }) });
        foreach (var v in new[] { 1.0, 2, 3, 4 })
        {
            var t = study.Ask();
            t.Report(v, 0);
            study.Tell(t, v);
        }

        bool Check(double v)
        {
            var t = study.Ask();
            t.Report(v, 0);
            return t.ShouldPrune();
        }

        // Worse than 2 of 4 values (not more than half) is not pruned; worse than 3 of 4 is.
        Assert.False(Check(2.5));
        Assert.True(Check(3.5));
    }

    [Fact]
    public void AMultiObjectiveStudy_AcceptsIt_AndOptimizePrunesDominatedCurves()
    {
        var study = NewStudy(new() { StartupTrials = 3 });
        study.Optimize(t =>
        {
            var quality = t.SuggestFloat("quality", 0, 1);
            var waste = t.SuggestFloat("waste", 0, 1);
            double error = 1, speed = 0;
            for (var step = 0; step < 10; step++)
            {
                // Quality trades error for speed; waste makes both worse, so wasteful curves are dominated.
                error = 1 - (quality * (step + 1) / 10.0) + waste;
                speed = 1 - (0.5 * quality) - (0.5 * waste);
                t.Report([error, speed], step);
                if (t.ShouldPrune())
                {
                    throw new TrialPrunedException();
                }
            }

            return [error, speed];
        }, new OptimizeOptions { Trials = 40 });

        Assert.Contains(study.GetTrials(), t => t.State == TrialState.Pruned);
        Assert.All(study.GetTrials(TrialState.Pruned), t => Assert.NotEmpty(t.IntermediateVectors));
    }

    [Fact]
    public void Vectors_SurviveTheStorage_WithNonFiniteValues_AndASecondReportIsIgnored()
    {
        var storage = new InMemoryStorage();
        var study = NewStudy(storage: storage);
        var t = study.Ask();
        t.Report([1.5, double.NaN], 0);
        t.Report([double.PositiveInfinity, double.NegativeInfinity], 2);
        t.Report([7.0, 7.0], 2);
        study.Tell(t, [1, 2]);

        var loaded = Study.Load(new StudyOptions { Name = study.Name, Storage = storage }).GetTrials()[0];
        Assert.Equal([0, 2], loaded.IntermediateVectors.Keys);
        Assert.Equal(1.5, loaded.IntermediateVectors[0][0]);
        Assert.True(double.IsNaN(loaded.IntermediateVectors[0][1]));
        Assert.Equal([double.PositiveInfinity, double.NegativeInfinity], loaded.IntermediateVectors[2]);
        Assert.Empty(loaded.IntermediateValues);
    }

    [Fact]
    public void BadReports_AndOptions_SayWhatIsWrong()
    {
        var study = NewStudy();
        var t = study.Ask();
        var wrongLength = Assert.Throws<ArgumentException>(() => t.Report([1.0], 0));
        Assert.Contains("2 objectives", wrongLength.Message, StringComparison.Ordinal);
        var scalar = Assert.Throws<InvalidOperationException>(() => t.Report(1.0, 0));
        Assert.Contains("Report(values, step)", scalar.Message, StringComparison.Ordinal);

        var single = Study.Create(new StudyOptions());
        var vector = Assert.Throws<InvalidOperationException>(() => single.Ask().Report([1.0, 2.0], 0));
        Assert.Contains("Report(value, step)", vector.Message, StringComparison.Ordinal);

        var e = Assert.Throws<ArgumentException>(() => new DominancePruner(new() { Share = 1, IntervalSteps = 0 }));
        Assert.Contains("Share must be in [0, 1), got 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("IntervalSteps must be 1 or more", e.Message, StringComparison.Ordinal);
    }
}
