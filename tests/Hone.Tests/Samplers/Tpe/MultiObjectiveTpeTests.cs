using Hone.Analysis;
using Hone.Samplers;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers.Tpe;

public class MultiObjectiveTpeTests
{
    /// <summary>ZDT1 (Zitzler, Deb and Thiele 2000) in 6 dimensions; the second objective is maximised as its negative.</summary>
    private static double[] Zdt1Mixed(Trial t)
    {
        var x = Enumerable.Range(0, 6).Select(i => t.SuggestFloat($"x{i}", 0, 1)).ToArray();
        var g = 1 + (9 * x.Skip(1).Sum() / 5);
        return [x[0], -g * (1 - Math.Sqrt(x[0] / g))];
    }

    private static double Hv(Study study) =>
        Hypervolume.Compute([.. study.GetTrials(TrialState.Complete).Select(t => new[] { t.Values![0], -t.Values[1] })], [1.1, 11]);

    [Fact]
    public void MultiObjectiveTpe_BeatsRandom_OnZdt1()
    {
        var wins = 0;
        const int Seeds = 6;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            StudyDirection[] directions = [StudyDirection.Minimize, StudyDirection.Maximize];
            var tpe = Study.Create(new StudyOptions { Directions = directions, Sampler = new TpeSampler(new() { Seed = seed }) });
            var random = Study.Create(new StudyOptions { Directions = directions, Sampler = new RandomSampler(seed) });
            tpe.Optimize(Zdt1Mixed, new OptimizeOptions { Trials = 80 });
            random.Optimize(Zdt1Mixed, new OptimizeOptions { Trials = 80 });
            wins += Hv(tpe) > Hv(random) ? 1 : 0;
        }

        Assert.True(wins >= 5, $"MOTPE's hypervolume beat random search's in {wins} of {Seeds} seeds");
    }

    [Fact]
    public void Split_GoodSet_IsTheFirstFront_InfeasibleAndPrunedTrialsAreBad_WeightsAreHypervolumeShares()
    {
        var study = Study.Create(new StudyOptions
        {
            Directions = [StudyDirection.Minimize, StudyDirection.Maximize],
            Sampler = new RandomSampler(1),
        });
        // (objective 1, objective 2 maximised, constraint); trial 5 would be the best but is infeasible.
        (double, double, double)[] rows =
            [(3, -3, 0), (0, -3, 0), (1, -1, 0), (3, 0, 0), (2, -2, 0), (0, 0, 1), (2, -3, 0), (3, -1, 0)];
        foreach (var (a, b, c) in rows)
        {
            var trial = study.Ask();
            trial.SuggestFloat("x", 0, 1);
            trial.SetConstraint("c", c);
            study.Tell(trial, [a, b]);
        }

        var pruned = study.Ask();
        pruned.SuggestFloat("x", 0, 1);
        pruned.Report([1.0, 1.0], 3);
        study.Tell(pruned, TrialState.Pruned);

        var history = new ObservationHistory(study.Directions);
        var view = history.Refresh(study);
        Assert.Equal(9, view.Count);

        // Minimisation form: (0, 3), (1, 1), (3, 0) are the first front; (2, 2) the second.
        var split = history.GetSplit(view.Version, view.Count, 3);
        Assert.Equal([1, 2, 3], split.Below);
        Assert.Equal([0, 4, 5, 6, 7, 8], split.Above);
        Assert.NotNull(split.BelowWeights);
        Assert.Equal([0.075, 1.0, 0.075], split.BelowWeights!.Select(w => Math.Round(w, 9)));

        // Asking for more good trials than complete feasible ones brings in the pruned trial next, then the infeasible one.
        var all = history.GetSplit(view.Version, view.Count, 9);
        Assert.Equal(Enumerable.Range(0, 9), all.Below);
        Assert.Equal(MultiObjectiveSelection.Epsilon, all.BelowWeights![5]);
        Assert.Equal(MultiObjectiveSelection.Epsilon, all.BelowWeights![8]);
        var eight = history.GetSplit(view.Version, view.Count, 8);
        Assert.Equal([5], eight.Above);
    }

    [Fact]
    public void ParallelWorkers_AndConditionalSpaces_Complete()
    {
        var study = Study.Create(new StudyOptions
        {
            Directions = [StudyDirection.Minimize, StudyDirection.Minimize],
            Sampler = new TpeSampler(new() { Seed = 3, Group = true, StartupTrials = 5 }),
        });
        study.Optimize(t =>
        {
            var kind = t.SuggestCategorical("kind", ["a", "b"]);
            var x = kind == "a" ? t.SuggestFloat("xa", 0, 1) : t.SuggestInt("xb", 0, 10) / 10.0;
            return [x, 1 - x];
        }, new OptimizeOptions { Trials = 60, Parallelism = 3 });
        Assert.Equal(60, study.GetTrials(TrialState.Complete).Count);
    }
}
