using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers.Tpe;

public sealed class TpeSamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) => new TpeSampler(new() { Seed = seed, StartupTrials = 5 });
}

public sealed class UnivariateTpeSamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) => new TpeSampler(new() { Seed = seed, StartupTrials = 5, Multivariate = false });
}

public sealed class GroupTpeSamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) =>
        new TpeSampler(new() { Seed = seed, StartupTrials = 5, Group = true, ConstantLiar = true });
}

public class TpeSamplerTests
{
    private static double Quadratic(Trial t)
    {
        var x = t.SuggestFloat("x", -10, 10);
        var y = t.SuggestFloat("y", -10, 10);
        return ((x - 3) * (x - 3)) + ((y + 2) * (y + 2));
    }

    private static double Mixed(Trial t)
    {
        var lr = t.SuggestFloat("lr", 1e-5, 1, log: true);
        var q = t.SuggestFloat("q", -1, 1, step: 0.25);
        var n = t.SuggestInt("n", -4, 8, step: 2);
        var units = t.SuggestInt("units", 2, 1024, log: true);
        var small = t.SuggestInt("small", 0, 2);
        var c = t.SuggestCategorical("c", ["a", "b", "c", "d"]);
        return Math.Abs(Math.Log10(lr) + 3) + Math.Abs(q - 0.5) + Math.Abs(n - 2) + Math.Abs(Math.Log2(units) - 6)
            + small + (c == "c" ? 0 : 1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryProposal_LiesInItsDistribution_ForEveryKind(bool multivariate)
    {
        var study = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = 5, StartupTrials = 5, Multivariate = multivariate }) });
        study.Optimize(Mixed, new OptimizeOptions { Trials = 80 });
        foreach (var t in study.Trials)
        {
            Assert.Equal(TrialState.Complete, t.State);
            foreach (var (name, d) in t.Distributions)
            {
                Assert.True(d.Contains(t.InternalParams[name]), $"trial #{t.Number}: {name}={t.InternalParams[name]} outside {d}");
            }
        }

        // The model found the good region of the mixed space.
        Assert.True(study.BestValue < 3, $"best {study.BestValue}");
    }

    [Fact]
    public void LogScaledAndDiscreteProposals_StayOnTheGrid_AtTheEdges()
    {
        // Optima at the ends of the ranges push the kernels against the bounds.
        var study = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = 2, StartupTrials = 3 }) });
        study.Optimize(
            t => -t.SuggestFloat("a", 0.001, 10, log: true) + t.SuggestInt("b", 1, 100, log: true)
                 - t.SuggestFloat("s", 0, 0.9, step: 0.3) + t.SuggestInt("k", 3, 21, step: 3),
            new OptimizeOptions { Trials = 60 });
        foreach (var t in study.Trials)
        {
            foreach (var (name, d) in t.Distributions)
            {
                Assert.True(d.Contains(t.InternalParams[name]), $"trial #{t.Number}: {name}={t.InternalParams[name]} outside {d}");
            }
        }

        Assert.Contains(study.Trials, t => (int)t.Params["b"]! == 1);
        Assert.Contains(study.Trials, t => (int)t.Params["k"]! == 3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConditionalSpaces_AreSampled_WithAndWithoutGroups(bool group)
    {
        var sampler = new TpeSampler(new() { Seed = 3, StartupTrials = 5, Group = group });
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        study.Optimize(
            t =>
            {
                var kind = t.SuggestCategorical("kind", ["svm", "tree"]);
                return kind == "svm"
                    ? Math.Abs(Math.Log10(t.SuggestFloat("C", 1e-3, 1e3, log: true)) - 1)
                    : Math.Abs(t.SuggestInt("depth", 1, 20) - 7) + 0.5;
            },
            new OptimizeOptions { Trials = 60 });

        foreach (var t in study.Trials)
        {
            Assert.True(t.Params.ContainsKey("C") ^ t.Params.ContainsKey("depth"));
        }

        Assert.True(study.BestValue < 0.3, $"best {study.BestValue}");
        var space = sampler.InferRelativeSearchSpace(study, study.Trials[^1]);
        if (group)
        {
            // Every parameter belongs to some group: kind, C and depth are all sampled jointly.
            Assert.Equal(["C", "depth", "kind"], space.Keys.Order(StringComparer.Ordinal));
        }
        else
        {
            // Only kind is in every trial.
            Assert.Equal(["kind"], space.Keys);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SameSeed_SameParameters_DifferentSeed_Different(bool multivariate)
    {
        List<string> Run(long seed)
        {
            var study = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = seed, Multivariate = multivariate }) });
            study.Optimize(Mixed, new OptimizeOptions { Trials = 40 });
            return [.. study.Trials.Select(t => string.Join(",", t.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")))];
        }

        Assert.Equal(Run(17), Run(17));
        Assert.NotEqual(Run(17), Run(18));
    }

    [Fact]
    public void StartupTrials_AreTheIndependentSamplers_ThenTheModelTakesOver()
    {
        var tpe = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = 9, StartupTrials = 7 }) });
        var random = Study.Create(new StudyOptions { Sampler = new RandomSampler(9) });
        tpe.Optimize(Quadratic, new OptimizeOptions { Trials = 12 });
        random.Optimize(Quadratic, new OptimizeOptions { Trials = 12 });

        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(random.Trials[i].Params, tpe.Trials[i].Params);
        }

        for (var i = 7; i < 12; i++)
        {
            Assert.NotEqual(random.Trials[i].Params["x"], tpe.Trials[i].Params["x"]);
        }

        var sampler = (TpeSampler)tpe.Sampler;
        Assert.Equal(["x", "y"], sampler.InferRelativeSearchSpace(tpe, tpe.Trials[^1]).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BeforeTheStartupTrials_NoJointSpaceIsInferred()
    {
        var sampler = new TpeSampler(new() { Seed = 1, StartupTrials = 10 });
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        study.Optimize(Quadratic, new OptimizeOptions { Trials = 9 });
        Assert.Empty(sampler.InferRelativeSearchSpace(study, study.Trials[^1]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Tpe_BeatsRandom_OnAQuadratic(bool multivariate)
    {
        var logRatio = 0.0;
        var wins = 0;
        const int Seeds = 8;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var tpe = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = seed, Multivariate = multivariate }) });
            var random = Study.Create(new StudyOptions { Sampler = new RandomSampler(seed) });
            tpe.Optimize(Quadratic, new OptimizeOptions { Trials = 100 });
            random.Optimize(Quadratic, new OptimizeOptions { Trials = 100 });
            logRatio += Math.Log(tpe.BestValue / random.BestValue);
            wins += tpe.BestValue < random.BestValue ? 1 : 0;
        }

        // Random search over [-10, 10]² gets to ~0.5 in 100 trials; TPE should be about an order of magnitude closer.
        Assert.True(wins >= 6, $"TPE won {wins} of {Seeds} seeds");
        Assert.True(Math.Exp(logRatio / Seeds) < 0.3, $"geometric mean of TPE / random best values: {Math.Exp(logRatio / Seeds)}");
    }

    [Fact]
    public void Maximize_IsHandled()
    {
        var study = Study.Create(new StudyOptions { Direction = StudyDirection.Maximize, Sampler = new TpeSampler(new() { Seed = 4 }) });
        study.Optimize(t => -Quadratic(t), new OptimizeOptions { Trials = 80 });
        Assert.True(study.BestValue > -0.5, $"best {study.BestValue}");
    }

    [Fact]
    public void ConstantLiar_SpreadsTheProposalsOfRunningTrials()
    {
        double Spread(bool liar, int seed)
        {
            var study = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = seed, ConstantLiar = liar }) });
            study.Optimize(t => Math.Abs(t.SuggestFloat("x", -10, 10) - 2), new OptimizeOptions { Trials = 30 });

            // Eight workers ask at once; none has told its result.
            var xs = new List<double>();
            for (var i = 0; i < 8; i++)
            {
                xs.Add(study.Ask().SuggestFloat("x", -10, 10));
            }

            xs.Sort();
            var gaps = 0.0;
            for (var i = 1; i < xs.Count; i++)
            {
                gaps += Math.Min(1, xs[i] - xs[i - 1]);
            }

            return gaps;
        }

        var withLiar = 0.0;
        var without = 0.0;
        for (var seed = 1; seed <= 4; seed++)
        {
            withLiar += Spread(true, seed);
            without += Spread(false, seed);
        }

        Assert.True(withLiar > without, $"spread with liar {withLiar}, without {without}");
    }

    [Fact]
    public void ConstantLiar_ChangesWhatLaterWorkersAreProposed()
    {
        List<double> Proposals(bool liar)
        {
            var study = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = 8, ConstantLiar = liar }) });
            study.Optimize(t => Math.Abs(t.SuggestFloat("x", -10, 10) - 2), new OptimizeOptions { Trials = 20 });
            return [.. Enumerable.Range(0, 6).Select(_ => study.Ask().SuggestFloat("x", -10, 10))];
        }

        var without = Proposals(false);
        var with = Proposals(true);

        // The first worker sees no running trial, so it is proposed the same point either way; later ones are not.
        Assert.Equal(without[0], with[0]);
        Assert.NotEqual(without, with);
    }

    [Fact]
    public void PrunedTrials_Count_FailedTrials_DoNot()
    {
        var sampler = new TpeSampler(new() { Seed = 1, StartupTrials = 3 });
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        void Run(TrialState state, double x, double? intermediate)
        {
            var t = study.Ask();
            t.SuggestFloat("x", -10, 10);
            if (intermediate is { } v)
            {
                t.Report(v, 3);
            }

            if (state == TrialState.Complete)
            {
                study.Tell(t, x);
            }
            else
            {
                study.Tell(t, state);
            }
        }

        for (var i = 0; i < 5; i++)
        {
            Run(TrialState.Fail, 0, null);
        }

        Run(TrialState.Complete, 5, null);
        Run(TrialState.Pruned, 0, -100);
        Assert.Empty(sampler.InferRelativeSearchSpace(study, study.Trials[^1]));

        // The third observation is a pruned trial with no intermediate value: it still counts.
        Run(TrialState.Pruned, 0, null);
        Assert.NotEmpty(sampler.InferRelativeSearchSpace(study, study.Trials[^1]));
    }

    [Fact]
    public void PrunedTrials_RankAfterCompleteOnes_DeeperFirst()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(1) });
        void Add(TrialState state, double? value, params (int Step, double Value)[] intermediate) =>
            study.AddTrial(FrozenTrial.Create(
                new Dictionary<string, object?> { ["x"] = 1.0 },
                new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(0, 2) },
                value is { } v ? [v] : null,
                state,
                intermediate.ToDictionary(p => p.Step, p => p.Value)));

        Add(TrialState.Pruned, null, (0, -50), (1, -40)); // obs 0: pruned at step 1
        Add(TrialState.Complete, 10);                      // obs 1
        Add(TrialState.Pruned, null, (0, -60));           // obs 2: pruned at step 0
        Add(TrialState.Fail, null);                       // ignored
        Add(TrialState.Complete, 3);                       // obs 3
        Add(TrialState.Pruned, null);                     // obs 4: no intermediate values, last

        var history = new ObservationHistory(StudyDirection.Minimize);
        var view = history.Refresh(study);
        Assert.Equal(5, view.Count);
        int[] Below(int n) => history.GetSplit(view.Version, view.Count, n).Below;
        Assert.Equal([3], Below(1));
        Assert.Equal([1, 3], Below(2));
        Assert.Equal([0, 1, 3], Below(3));
        Assert.Equal([0, 1, 2, 3], Below(4));
        Assert.Equal([4], history.GetSplit(view.Version, view.Count, 4).Above);
    }

    [Fact]
    public void History_GrowsIncrementally_AndSeesTrialsThatFinishOutOfOrder()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(1) });
        var history = new ObservationHistory(StudyDirection.Minimize);
        var a = study.Ask();
        a.SuggestFloat("x", 0, 1);
        var b = study.Ask();
        b.SuggestFloat("x", 0, 1);
        study.Tell(b, 2.0);
        Assert.Equal(1, history.Refresh(study).Count);
        study.Tell(a, 1.0);
        var view = history.Refresh(study);
        Assert.Equal(2, view.Count);
        Assert.Equal([1], history.GetSplit(view.Version, 2, 1).Below); // a, seen second, is the best
        var column = history.Column("x")!;
        Assert.Equal(b.Params["x"], column[0]);
        Assert.Equal(a.Params["x"], column[1]);
    }

    [Theory]
    [InlineData("StartupTrials")]
    [InlineData("EiCandidates")]
    [InlineData("PriorWeight")]
    [InlineData("Group")]
    public void BadOptions_AreRejected_NamingTheOption(string option)
    {
        var options = option switch
        {
            "StartupTrials" => new TpeSamplerOptions { StartupTrials = -1 },
            "EiCandidates" => new TpeSamplerOptions { EiCandidates = 0 },
            "PriorWeight" => new TpeSamplerOptions { PriorWeight = double.NaN },
            _ => new TpeSamplerOptions { Group = true, Multivariate = false },
        };
        var e = Assert.Throws<ArgumentException>(() => new TpeSampler(options));
        Assert.Contains(option, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralBadOptions_AreAllReported()
    {
        var e = Assert.Throws<ArgumentException>(() => new TpeSampler(new() { StartupTrials = -1, EiCandidates = 0 }));
        Assert.Contains("StartupTrials", e.Message, StringComparison.Ordinal);
        Assert.Contains("EiCandidates", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadWeightsFunction_FailsTheTrial_WithAClearReason()
    {
        var study = Study.Create(new StudyOptions
        {
            Sampler = new TpeSampler(new() { Seed = 1, StartupTrials = 2, Weights = n => Enumerable.Repeat(-1.0, n).ToArray() }),
        });
        var e = Record.Exception(() => study.Optimize(Quadratic, new OptimizeOptions { Trials = 5 }));
        var message = e?.ToString() ?? string.Join(" ", study.Trials.Select(t => t.SystemAttrs.GetValueOrDefault("fail_reason").ToString()));
        Assert.Contains("TpeSamplerOptions.Weights", message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultWeights_AreOptunas()
    {
        Assert.Empty(TpeSamplerOptions.DefaultWeights(0));
        Assert.All(TpeSamplerOptions.DefaultWeights(24), w => Assert.Equal(1.0, w));
        var w30 = TpeSamplerOptions.DefaultWeights(30);
        Assert.Equal(1.0 / 30, w30[0], 1e-12);
        Assert.Equal(1.0, w30[4], 1e-12);
        Assert.All(w30[5..], w => Assert.Equal(1.0, w));
        Assert.Equal([0, 1, 1, 10, 25, 25], new[] { 0, 1, 10, 100, 250, 1000 }.Select(TpeSamplerOptions.DefaultGamma));
    }

    [Fact]
    public void ParallelWorkers_WithConstantLiar_CompleteAndStayInRange()
    {
        var study = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = 6, ConstantLiar = true, StartupTrials = 4 }) });
        study.Optimize(Mixed, new OptimizeOptions { Trials = 150, Parallelism = 6 });
        Assert.Equal(150, study.GetTrials(TrialState.Complete).Count);
        Assert.All(study.Trials, t => Assert.All(t.Distributions, p => Assert.True(p.Value.Contains(t.InternalParams[p.Key]))));
    }
}
