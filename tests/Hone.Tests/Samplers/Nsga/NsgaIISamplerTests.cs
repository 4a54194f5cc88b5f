using Hone.Analysis;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.Nsga;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers.Nsga;

public sealed class NsgaIISamplerTests
{
    private static readonly StudyDirection[] TwoMin = [StudyDirection.Minimize, StudyDirection.Minimize];

    private static int Generation(FrozenTrial t, string key = "nsga2:generation") => t.SystemAttrs[key].GetInt32();

    private static Study Run(ISampler sampler, int trials, Func<Trial, double[]> objective, StudyDirection[] directions)
    {
        var study = Study.Create(new StudyOptions { Directions = directions, Sampler = sampler });
        study.Optimize(objective, new OptimizeOptions { Trials = trials });
        return study;
    }

    private static double FinalHypervolume(Study study, double[] reference) => Hypervolume.History(study, reference)[^1].Hypervolume;

    [Theory]
    [InlineData(NsgaCrossover.Sbx)]
    [InlineData(NsgaCrossover.Uniform)]
    [InlineData(NsgaCrossover.BlxAlpha)]
    public void Zdt1_FrontConverges_FarBeyondRandomSearch(NsgaCrossover crossover)
    {
        var nsga = Run(new NsgaIISampler(new NsgaIISamplerOptions { Seed = 1, PopulationSize = 40, Crossover = crossover }), 800, t => NsgaProblems.Zdt1(t, 10), TwoMin);
        var random = Run(new RandomSampler(1), 800, t => NsgaProblems.Zdt1(t, 10), TwoMin);

        // Near the true front (hypervolume 0.877 with this reference point), where random search does not reach at all.
        var near = FinalHypervolume(nsga, [1.1, 1.1]);
        Assert.True(near > 0.4, $"NSGA-II {near:F3}, random {FinalHypervolume(random, [1.1, 1.1]):F3}");

        // With a reference point random search reaches too.
        var (wide, wideRandom) = (FinalHypervolume(nsga, [1.1, 6]), FinalHypervolume(random, [1.1, 6]));
        Assert.True(wide > wideRandom + 1, $"NSGA-II {wide:F3}, random {wideRandom:F3}");
    }

    [Fact]
    public void MaximizedObjectives_AreHandled()
    {
        double[] Negated(Trial t) => [.. NsgaProblems.Zdt1(t, 6).Select(v => -v)];
        StudyDirection[] max = [StudyDirection.Maximize, StudyDirection.Maximize];
        var nsga = FinalHypervolume(Run(new NsgaIISampler(new NsgaIISamplerOptions { Seed = 2, PopulationSize = 30 }), 450, Negated, max), [-1.1, -6]);
        var random = FinalHypervolume(Run(new RandomSampler(2), 450, Negated, max), [-1.1, -6]);
        Assert.True(nsga > random + 0.5, $"NSGA-II {nsga:F3}, random {random:F3}");
    }

    [Fact]
    public void Generations_AreRecorded_WithParentsFromEarlierGenerations()
    {
        var study = Study.Create(new StudyOptions { Directions = TwoMin, Sampler = new NsgaIISampler(new NsgaIISamplerOptions { Seed = 3, PopulationSize = 10 }) });
        study.Optimize(t => NsgaProblems.Zdt1(t, 4), new OptimizeOptions { Trials = 50 });

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i / 10), study.Trials.Select(t => Generation(t)));
        foreach (var t in study.Trials.Where(t => Generation(t) > 0))
        {
            var parents = t.SystemAttrs["nsga2:parents"].EnumerateArray().Select(e => e.GetInt32()).ToArray();
            Assert.Equal(2, parents.Length);
            Assert.All(parents, p => Assert.True(Generation(study.Trials[p]) < Generation(t)));
        }

        Assert.False(study.Trials[0].SystemAttrs.ContainsKey("nsga2:parents"));
    }

    [Fact]
    public void FailedTrials_DoNotFillAGeneration()
    {
        var study = Study.Create(new StudyOptions { Directions = TwoMin, Sampler = new NsgaIISampler(new NsgaIISamplerOptions { Seed = 3, PopulationSize = 5 }) });
        Func<Trial, double[]> objective = t => t.Number % 2 == 0 ? throw new InvalidOperationException("fails") : NsgaProblems.Zdt1(t, 3);
        study.Optimize(objective, new OptimizeOptions { Trials = 12 });

        // Five complete trials of generation 0 need ten trials, half of which fail.
        Assert.Equal(0, Generation(study.Trials[9]));
        Assert.Equal(1, Generation(study.Trials[10]));
    }

    [Fact]
    public void SameSeed_SameMultiObjectiveStudy()
    {
        List<string> Run() => [.. Study.Create(new StudyOptions { Directions = TwoMin, Sampler = new NsgaIISampler(new NsgaIISamplerOptions { Seed = 9, PopulationSize = 10 }) })
            .Also(s => s.Optimize(t => NsgaProblems.Zdt1(t, 5), new OptimizeOptions { Trials = 60 }))
            .Trials.Select(t => t.ToString())];
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void AResumedStudy_ContinuesTheSameGenerations()
    {
        NsgaIISampler NewSampler() => new(new NsgaIISamplerOptions { Seed = 4, PopulationSize = 10 });
        Func<Trial, double[]> objective = t => NsgaProblems.Zdt1(t, 4);

        var whole = Study.Create(new StudyOptions { Directions = TwoMin, Sampler = NewSampler() });
        whole.Optimize(objective, new OptimizeOptions { Trials = 55 });

        var storage = new InMemoryStorage();
        Study.Create(new StudyOptions { Name = "s", Directions = TwoMin, Storage = storage, Sampler = NewSampler() })
            .Optimize(objective, new OptimizeOptions { Trials = 33 });
        var resumed = Study.Load(new StudyOptions { Name = "s", Storage = storage, Sampler = NewSampler() });
        resumed.Optimize(objective, new OptimizeOptions { Trials = 22 });

        Assert.Equal(whole.Trials.Select(t => t.ToString()), resumed.Trials.Select(t => t.ToString()));
        Assert.Equal(whole.Trials.Select(t => Generation(t)), resumed.Trials.Select(t => Generation(t)));
    }

    [Fact]
    public void ParallelWorkers_CompleteEveryTrial_AndKeepTheGenerationsConsistent()
    {
        var study = Study.Create(new StudyOptions { Directions = TwoMin, Sampler = new NsgaIISampler(new NsgaIISamplerOptions { Seed = 5, PopulationSize = 12 }) });
        study.Optimize(t => NsgaProblems.Zdt1(t, 6), new OptimizeOptions { Trials = 200, Parallelism = 4 });

        Assert.Equal(200, study.GetTrials(TrialState.Complete).Count);
        var generations = study.Trials.Select(t => Generation(t)).ToArray();
        Assert.True(generations.Max() >= 10, $"only {generations.Max()} generations");
        for (var g = 0; g < generations.Max(); g++)
        {
            Assert.True(generations.Count(x => x == g) >= 12, $"generation {g} has {generations.Count(x => x == g)} trials");
        }

        foreach (var t in study.Trials.Where(t => Generation(t) > 0))
        {
            var parents = t.SystemAttrs["nsga2:parents"].EnumerateArray().Select(e => e.GetInt32());
            Assert.All(parents, p => Assert.True(Generation(study.Trials[p]) < Generation(t)));
        }
    }

    [Fact]
    public void Constraints_FeasibleTrialsWin_EvenWhenWorse()
    {
        // The unconstrained optimum (x = y = 0) is infeasible; the feasible one is x + y = 1.
        static double Objective(Trial t)
        {
            var x = t.SuggestFloat("x", 0, 1);
            var y = t.SuggestFloat("y", 0, 1);
            t.SetConstraint("sum_at_least_1", 1 - x - y);
            return (x * x) + (y * y);
        }

        var study = Study.Create(new StudyOptions { Sampler = new NsgaIISampler(new NsgaIISamplerOptions { Seed = 6, PopulationSize = 20 }) });
        study.Optimize(Objective, new OptimizeOptions { Trials = 300 });

        var last = study.Trials.Where(t => Generation(t) == Generation(study.Trials[^1]) - 1).ToList();
        Assert.True(last.Count(t => t.IsFeasible) >= last.Count / 2, $"{last.Count(t => t.IsFeasible)} of {last.Count} feasible");
        Assert.True(study.BestTrial.IsFeasible);
        Assert.InRange(study.BestValue, 0.5, 0.56);
    }

    [Fact]
    public void Selection_PrefersFeasible_ThenSmallerViolation_ThenParetoAndCrowding()
    {
        double[][] objectives = [[0, 0], [0.1, 0.1], [1, 5], [5, 1], [3, 3], [2, 4]];
        double[] violations = [2, 1, 0, 0, 0, 0];
        var chosen = NsgaSelection.Nsga2(objectives, violations, 4, new SeededRandom(1)).Chosen;
        Assert.Equal([2, 3, 4, 5], chosen.Order());
        chosen = NsgaSelection.Nsga2(objectives, violations, 5, new SeededRandom(1)).Chosen;
        Assert.Contains(1, chosen);
        Assert.DoesNotContain(0, chosen);

        // On one front, the ends (infinite crowding distance) are kept before the crowded middle.
        double[][] front = [[0, 4], [1, 3], [1.1, 2.9], [3, 1], [4, 0]];
        var kept = NsgaSelection.Nsga2(front, new double[5], 3, new SeededRandom(2)).Chosen;
        Assert.Contains(0, kept);
        Assert.Contains(4, kept);
        Assert.Contains(3, kept);
    }

    [Fact]
    public void ConditionalAndCategoricalParameters_AreSampled()
    {
        var study = Study.Create(new StudyOptions { Directions = TwoMin, Sampler = new NsgaIISampler(new NsgaIISamplerOptions { Seed = 7, PopulationSize = 10 }) });
        study.Optimize(t =>
        {
            var kind = t.SuggestCategorical("kind", ["a", "b", "c"]);
            var x = t.SuggestFloat("x", 0, 1);
            var n = t.SuggestInt("n", 1, 100, log: true);
            var extra = kind == "a" ? t.SuggestFloat("only_a", 0, 1) : 0;
            return [x + extra + (kind == "c" ? 0 : 1), (1 - x) + (n / 100.0)];
        }, new OptimizeOptions { Trials = 120 });

        Assert.Equal(120, study.GetTrials(TrialState.Complete).Count);
        var late = study.Trials.Skip(80).ToList();
        Assert.True(late.Count(t => (string)t.Params["kind"]! == "c") > late.Count / 2);
        Assert.All(study.Trials, t => Assert.True(t.Distributions.All(d => d.Value.Contains(t.InternalParams[d.Key]))));
    }

    [Fact]
    public void InvalidOptions_AreReported_AllAtOnce()
    {
        var e = Assert.Throws<ArgumentException>(() => new NsgaIISampler(new NsgaIISamplerOptions { PopulationSize = 1, CrossoverProbability = 2, MutationProbability = -1 }));
        Assert.Contains("PopulationSize", e.Message);
        Assert.Contains("CrossoverProbability", e.Message);
        Assert.Contains("MutationProbability", e.Message);
        Assert.Contains("ReferencePointDivisions", Assert.Throws<ArgumentException>(() => new NsgaIIISampler(new NsgaIIISamplerOptions { ReferencePointDivisions = 0 })).Message);
    }
}

internal static class StudyTestExtensions
{
    public static Study Also(this Study study, Action<Study> action)
    {
        action(study);
        return study;
    }
}
