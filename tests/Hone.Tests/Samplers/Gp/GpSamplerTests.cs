using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.Gp;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers.Gp;

public class GpSamplerTests
{
    private const double BraninOptimum = 0.397887;

    private static double Branin(Trial t)
    {
        var x1 = t.SuggestFloat("x1", -5, 10);
        var x2 = t.SuggestFloat("x2", 0, 15);
        const double b = 5.1 / (4 * Math.PI * Math.PI);
        const double c = 5 / Math.PI;
        const double r = 6;
        const double s = 10;
        var tt = 1 / (8 * Math.PI);
        var u = x2 - (b * x1 * x1) + (c * x1) - r;
        return (u * u) + (s * (1 - tt) * Math.Cos(x1)) + s;
    }

    private static Study Run(ISampler sampler, Func<Trial, double> objective, int trials, StudyDirection direction = StudyDirection.Minimize)
    {
        var study = Study.Create(new StudyOptions { Sampler = sampler, Direction = direction });
        study.Optimize(objective, new OptimizeOptions { Trials = trials });
        return study;
    }

    private static GpSampler Gp(long seed, int startup = 10, bool deterministic = false, bool warp = false) =>
        new(new GpSamplerOptions { Seed = seed, StartupTrials = startup, DeterministicObjective = deterministic, WarpOutput = warp });

    [Fact]
    public void Branin_MedianRegretAfter30Trials_IsSmall_AndRandomSearchIsNot()
    {
        double MedianRegret(Func<long, ISampler> make)
        {
            var regrets = new List<double>();
            foreach (var seed in new long[] { 1, 2, 3 })
            {
                regrets.Add(Run(make(seed), Branin, 30).BestValue - BraninOptimum);
            }

            regrets.Sort();
            return regrets[1];
        }

        var gp = MedianRegret(seed => Gp(seed));
        var random = MedianRegret(seed => new RandomSampler(seed));
        Assert.True(gp < 0.1, $"GP median regret {gp}");
        Assert.True(random >= 0.1, $"random median regret {random}");
    }

    [Fact]
    public void IntegerParameters_ProposalsOnTheGrid_ConvergeOnAnIntegerQuadratic()
    {
        var study = Run(Gp(3), t =>
        {
            var x = t.SuggestInt("x", -20, 20);
            var y = t.SuggestInt("y", 0, 100, step: 5);
            return Math.Pow(x - 7, 2) + Math.Pow((y - 35) / 5.0, 2);
        }, 30);

        foreach (var t in study.Trials)
        {
            var y = (int)t.Params["y"]!;
            Assert.Equal(0, y % 5);
            Assert.Equal(Math.Round(t.InternalParams["x"]), t.InternalParams["x"]);
        }

        Assert.Equal(0, study.BestValue);
    }

    [Fact]
    public void Categorical_FindsTheBestCategoryAndTheContinuousOptimum()
    {
        var offsets = new Dictionary<string, (double Offset, double Centre)>
        {
            ["a"] = (1, -3), ["b"] = (0.5, 3), ["c"] = (-2, 1.5), ["d"] = (0, 0), ["e"] = (2, -1),
        };
        var study = Run(Gp(4), t =>
        {
            var c = t.SuggestCategorical("c", ["a", "b", "c", "d", "e"]);
            var x = t.SuggestFloat("x", -5, 5);
            var (offset, centre) = offsets[c];
            return offset + Math.Pow(x - centre, 2);
        }, 35);

        Assert.Equal("c", study.BestParams["c"]);
        Assert.InRange((double)study.BestParams["x"]!, 1.3, 1.7);
    }

    [Fact]
    public void Maximize_ClimbsToTheMaximum()
    {
        var study = Run(Gp(5), t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            var y = t.SuggestFloat("y", 0, 1);
            return -Math.Pow(x - 0.3, 2) - Math.Pow(y - 0.8, 2);
        }, 25, StudyDirection.Maximize);

        Assert.InRange((double)study.BestParams["x"]!, 0.25, 0.35);
        Assert.InRange((double)study.BestParams["y"]!, 0.75, 0.85);
    }

    [Fact]
    public void SameSeed_SameTrials_OtherSeed_OtherTrials()
    {
        List<string> Trials(long seed) =>
            [.. Run(Gp(seed, startup: 5), Branin, 20).Trials.Select(t => $"{t.Params["x1"]:R} {t.Params["x2"]:R}")];

        var first = Trials(7);
        Assert.Equal(first, Trials(7));
        Assert.NotEqual(first.Skip(5), Trials(8).Skip(5));
    }

    [Fact]
    public void RunningTrials_GetDifferentPoints()
    {
        var study = Study.Create(new StudyOptions { Sampler = Gp(6) });
        double Objective(Trial t) => Math.Pow(t.SuggestFloat("x", 0, 1) - 0.5, 2) + Math.Pow(t.SuggestFloat("y", 0, 1) - 0.5, 2);
        study.Optimize(Objective, new OptimizeOptions { Trials = 15 });

        var running = new List<(double X, double Y)>();
        for (var i = 0; i < 8; i++)
        {
            var t = study.Ask();
            running.Add((t.SuggestFloat("x", 0, 1), t.SuggestFloat("y", 0, 1)));
        }

        for (var i = 0; i < running.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var distance = Math.Sqrt(Math.Pow(running[i].X - running[j].X, 2) + Math.Pow(running[i].Y - running[j].Y, 2));
                // Without the believer, every trial would climb to the same maximum of the acquisition (to ~1e-6).
                var bound = i == 1 ? 1e-2 : 1e-4;
                Assert.True(distance > bound, $"running trials {j} and {i} were proposed ({running[j]}) and ({running[i]})");
            }
        }
    }

    [Fact]
    public void ParallelWorkers_WithAnInstantObjective_NeverGetTheSamePoint()
    {
        // A worker whose trial ends between another worker's reading of the trials and its proposal must still see that
        // trial's point: it was once forgotten at the end of the trial, and two workers got the same point.
        for (var seed = 0; seed < 8; seed++)
        {
            var study = Study.Create(new StudyOptions { Sampler = Gp(40 + seed, startup: 5) });
            study.Optimize(
                t => Math.Pow(t.SuggestFloat("x", -5, 5) - 1, 2) + Math.Pow(t.SuggestFloat("y", -5, 5) + 2, 2) + Math.Pow(t.SuggestInt("k", 0, 10) - 3, 2),
                new OptimizeOptions { Trials = 40, Parallelism = 4 });
            var repeated = study.Trials.GroupBy(t => (t.Params["x"], t.Params["y"], t.Params["k"])).Where(g => g.Count() > 1)
                .Select(g => string.Join(" and ", g.Select(t => $"#{t.Number}")));
            Assert.True(!repeated.Any(), $"seed {40 + seed}: same point for trials {string.Join("; ", repeated)}");
        }
    }

    [Fact]
    public void RunningTrialsOfAnotherProcess_AreTakenIntoAccount()
    {
        var storage = new Hone.Storage.InMemoryStorage();
        var a = Study.Create(new StudyOptions { Name = "shared", Storage = storage, Sampler = Gp(9) });
        double Objective(Trial t) => Math.Pow(t.SuggestFloat("x", 0, 1) - 0.5, 2) + Math.Pow(t.SuggestFloat("y", 0, 1) - 0.5, 2);
        a.Optimize(Objective, new OptimizeOptions { Trials = 15 });
        var b = Study.Load(new StudyOptions { Name = "shared", Storage = storage, Sampler = Gp(9) });

        var first = a.Ask();
        var p1 = (first.SuggestFloat("x", 0, 1), first.SuggestFloat("y", 0, 1));
        var second = b.Ask();
        var p2 = (second.SuggestFloat("x", 0, 1), second.SuggestFloat("y", 0, 1));
        Assert.True(Math.Abs(p1.Item1 - p2.Item1) + Math.Abs(p1.Item2 - p2.Item2) > 1e-3, $"{p1} and {p2}");
    }

    [Fact]
    public void AllTiedOutputs_DoNotThrow_AndKeepExploring()
    {
        var study = Run(Gp(10, deterministic: true), t => t.SuggestFloat("x", 0, 1) * 0 + (t.SuggestInt("k", 0, 3) * 0) + 1, 30);
        Assert.Equal(30, study.GetTrials(TrialState.Complete).Count);
        Assert.True(study.Trials.Select(t => t.Params["x"]).Distinct().Count() >= 29);
    }

    [Fact]
    public void Plateau_OnMostOfTheSpace_StillFindsTheBasin()
    {
        // 90% of the box gives the same value; the basin is in the corner x > 0.9.
        var study = Run(Gp(11, deterministic: true), t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            var y = t.SuggestFloat("y", 0, 1);
            return x < 0.9 ? 1 : Math.Pow(x - 0.95, 2) + Math.Pow(y - 0.5, 2);
        }, 40);

        Assert.Equal(40, study.GetTrials(TrialState.Complete).Count);
        Assert.True(study.BestValue < 0.02, $"best {study.BestValue}");
    }

    [Fact]
    public void DuplicatedPoints_DoNotBreakTheFit()
    {
        var study = Study.Create(new StudyOptions { Sampler = Gp(12, startup: 3, deterministic: true) });
        for (var i = 0; i < 12; i++)
        {
            study.Enqueue(new Dictionary<string, object?> { ["x"] = 0.25, ["y"] = i % 2 == 0 ? 0.5 : 0.75 });
        }

        study.Optimize(t => t.SuggestFloat("x", 0, 1) + t.SuggestFloat("y", 0, 1), new OptimizeOptions { Trials = 20 });
        Assert.Equal(20, study.GetTrials(TrialState.Complete).Count);
        Assert.True(study.Trials.Skip(12).All(t => t.Params["x"] is double x && x >= 0 && x <= 1));
    }

    [Fact]
    public void InfiniteValues_AreClipped_NotFatal()
    {
        var study = Run(Gp(13), t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            return x > 0.8 ? double.PositiveInfinity : Math.Pow(x - 0.3, 2);
        }, 25);
        Assert.Equal(25, study.GetTrials(TrialState.Complete).Count);
        Assert.True(study.BestValue < 0.01);
    }

    [Fact]
    public void WarpedOutputs_HandleHeavyTails()
    {
        var study = Run(Gp(14, warp: true), t =>
        {
            var x = t.SuggestFloat("x", -2, 2);
            var y = t.SuggestFloat("y", -2, 2);
            return Math.Exp(3 * ((x * x) + (y * y)));
        }, 30);
        Assert.True(study.BestValue < 1.1, $"best {study.BestValue}");
    }

    [Fact]
    public void ConditionalParameters_OutsideTheJointSpace_AreSampledIndependently()
    {
        var study = Run(Gp(15), t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            var branch = t.SuggestCategorical("branch", ["left", "right"]);
            var extra = branch == "left" ? t.SuggestFloat("left", 0, 1) : t.SuggestInt("right", 1, 3);
            return x + extra;
        }, 25);

        var gp = (GpSampler)study.Sampler;
        var (state, _) = gp.StateFor(study, study.Trials[^1]);
        Assert.Equal(["branch", "x"], state.Space.Names);
        Assert.Equal(25, study.GetTrials(TrialState.Complete).Count);
    }

    [Fact]
    public void Hyperparameters_AreWarmStarted_AndRefittedLessOftenWhenTrialsAreMany()
    {
        var sampler = Gp(16, startup: 5);
        var study = Run(sampler, Branin, 12);
        var (state, _) = sampler.StateFor(study, study.Trials[^1]);
        Assert.NotNull(state.Hyperparameters);
        Assert.Equal(7, state.Fits);

        // With 80 observations, refits wait until the data grew by 5%; in between the factor is extended.
        var many = Gp(17);
        var big = Study.Create(new StudyOptions { Sampler = many });
        var d = new Dictionary<string, Distribution> { ["x1"] = new FloatDistribution(-5, 10), ["x2"] = new FloatDistribution(0, 15) };
        var rng = new SeededRandom(17);
        for (var i = 0; i < 80; i++)
        {
            var p = new Dictionary<string, object?> { ["x1"] = -5 + (15 * rng.NextDouble()), ["x2"] = 15 * rng.NextDouble() };
            big.AddTrial(FrozenTrial.Create(p, d, [(double)p["x1"]! + (double)p["x2"]!]));
        }

        big.Optimize(Branin, new OptimizeOptions { Trials = 6 });
        var (bigState, _) = many.StateFor(big, big.Trials[^1]);
        Assert.Equal(85, bigState.DataCount);
        Assert.Equal(2, bigState.Fits);
    }

    [Fact]
    public void InvalidOptions_NameEveryProblem()
    {
        var e = Assert.Throws<ArgumentException>(() => new GpSampler(new GpSamplerOptions { StartupTrials = -1, Candidates = 0, LocalSearches = -2 }));
        Assert.Contains("StartupTrials is -1", e.Message, StringComparison.Ordinal);
        Assert.Contains("Candidates is 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("LocalSearches is -2", e.Message, StringComparison.Ordinal);
    }
}
