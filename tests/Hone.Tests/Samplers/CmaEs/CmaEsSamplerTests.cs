using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.CmaEs;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers.CmaEs;

public sealed class CmaEsSamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) => new CmaEsSampler(new CmaEsSamplerOptions { Seed = seed });
}

public sealed class SeparableCmaEsSamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) => new CmaEsSampler(new CmaEsSamplerOptions { Seed = seed, Separable = true, Restart = CmaEsRestart.Bipop });
}

public class CmaEsSamplerTests
{
    private static double Sphere(Trial t, int n)
    {
        double s = 0;
        for (var i = 0; i < n; i++)
        {
            var x = t.SuggestFloat($"x{i}", -5, 5);
            s += (x - 1) * (x - 1);
        }

        return s;
    }

    private static Study Run(CmaEsSampler sampler, Func<Trial, double> objective, int trials)
    {
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        study.Optimize(objective, new OptimizeOptions { Trials = trials });
        return study;
    }

    [Theory]
    [InlineData(2, 200)]
    [InlineData(5, 400)]
    public void Sphere_Converges(int n, int trials)
    {
        var study = Run(new CmaEsSampler(new CmaEsSamplerOptions { Seed = 1 }), t => Sphere(t, n), trials);
        Assert.True(study.BestValue < 1e-3, $"best {study.BestValue} after {trials} trials in {n} d");
    }

    [Fact]
    public void Rosenbrock_Converges()
    {
        var study = Run(new CmaEsSampler(new CmaEsSamplerOptions { Seed = 2 }), t =>
        {
            var x = t.SuggestFloat("x", -2, 2);
            var y = t.SuggestFloat("y", -2, 2);
            return (100 * Math.Pow(y - (x * x), 2)) + Math.Pow(1 - x, 2);
        }, 500);
        Assert.True(study.BestValue < 1e-2, $"best {study.BestValue}");
    }

    [Fact]
    public void Sphere_StepSizeShrinks_AndGenerationsAdvance()
    {
        var sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 3 });
        var study = Run(sampler, t => Sphere(t, 3), 250);
        var state = sampler.StateOf(study);
        Assert.NotNull(state.Run);
        Assert.True(state.Run.Sigma < state.Run.Sigma0 / 20, $"sigma {state.Run.Sigma} from {state.Run.Sigma0}");
        // 249 trials after the first (random) one, λ = 7 for 3 parameters.
        Assert.InRange(state.Generation, 30, 36);
        Assert.Equal(7, state.Run.Lambda);
    }

    [Fact]
    public void TrialsCarryGenerationAndIndex()
    {
        var study = Run(new CmaEsSampler(new CmaEsSamplerOptions { Seed = 4 }), t => Sphere(t, 2), 20);
        var tagged = study.Trials.Where(t => t.SystemAttrs.ContainsKey("cma:generation")).ToList();
        Assert.Equal(19, tagged.Count);
        Assert.DoesNotContain("cma:generation", study.Trials[0].SystemAttrs.Keys);
        var pairs = tagged.Select(t => (t.SystemAttrs["cma:generation"].GetInt32(), t.SystemAttrs["cma:index"].GetInt32())).ToList();
        Assert.Equal(pairs.Count, pairs.Distinct().Count());
        // λ = 6 for 2 parameters: generation 0 holds indices 0..5.
        Assert.Equal(Enumerable.Range(0, 6), pairs.Where(p => p.Item1 == 0).Select(p => p.Item2).Order());
    }

    [Fact]
    public void Separable_SolvesIllConditionedEllipsoid()
    {
        const int n = 5;
        var study = Run(new CmaEsSampler(new CmaEsSamplerOptions { Seed = 5, Separable = true }), t =>
        {
            double s = 0;
            for (var i = 0; i < n; i++)
            {
                var x = t.SuggestFloat($"x{i}", -5, 5);
                s += Math.Pow(1e4, i / (n - 1.0)) * x * x;
            }

            return s;
        }, 600);
        Assert.True(study.BestValue < 1e-2, $"best {study.BestValue}");
    }

    [Fact]
    public void IntegerSphere_ReachesOptimum_ValuesStayIntegers()
    {
        var study = Run(new CmaEsSampler(new CmaEsSamplerOptions { Seed = 6 }), t =>
        {
            var a = t.SuggestInt("a", -20, 20);
            var b = t.SuggestInt("b", -20, 20);
            var c = t.SuggestInt("c", 0, 100, step: 5);
            return ((a - 7) * (a - 7)) + ((b + 3) * (b + 3)) + Math.Pow((c - 35) / 5.0, 2);
        }, 300);
        Assert.Equal(0, study.BestValue);
        Assert.All(study.Trials, t => Assert.Equal(0, t.Params["c"] is int c ? c % 5 : -1));
    }

    [Fact]
    public void Margin_KeepsIntegersMoving_AfterConvergence()
    {
        int Distinct(bool margin)
        {
            var study = Run(new CmaEsSampler(new CmaEsSamplerOptions { Seed = 7, WithMargin = margin }), t =>
            {
                var a = t.SuggestInt("a", -20, 20);
                var b = t.SuggestInt("b", -20, 20);
                return (a * a) + (b * b);
            }, 400);
            // The last 100 trials: with the margin, at least one integer keeps taking other values.
            return study.Trials.Skip(300).Select(t => ((int)t.Params["a"]!, (int)t.Params["b"]!)).Distinct().Count();
        }

        Assert.True(Distinct(margin: true) > 1);
        Assert.Equal(1, Distinct(margin: false));
    }

    [Fact]
    public void Ipop_RestartsOnAFlatObjective_DoublingThePopulation()
    {
        var sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 8, Restart = CmaEsRestart.Ipop });
        var study = Run(sampler, t => Math.Round(Sphere(t, 2) * 0), 250);
        var state = sampler.StateOf(study);
        Assert.True(state.Restarts >= 1, "no restart");
        Assert.Equal(6 << state.Restarts, state.Run!.Lambda);
    }

    [Fact]
    public void NoRestart_ByDefault()
    {
        var sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 8 });
        var study = Run(sampler, t => Sphere(t, 2) * 0, 250);
        Assert.Equal(0, sampler.StateOf(study).Restarts);
        Assert.Equal(6, sampler.StateOf(study).Run!.Lambda);
    }

    [Fact]
    public void Bipop_Restarts()
    {
        var sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 9, Restart = CmaEsRestart.Bipop });
        var study = Run(sampler, t => Sphere(t, 2) * 0, 500);
        Assert.True(sampler.StateOf(study).Restarts >= 2);
    }

    [Fact]
    public void TwoStudyObjects_OneStorage_DoNotShareACandidate()
    {
        var storage = new InMemoryStorage();
        var s1 = Study.Create(new StudyOptions { Name = "cma", Storage = storage, Sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 10 }) });
        var first = s1.Ask();
        s1.Tell(first, Sphere(first, 2));
        var s2 = Study.Load(new StudyOptions { Name = "cma", Storage = storage, Sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 10 }) });
        var running = new List<Trial>();
        for (var i = 0; i < 6; i++)
        {
            var t = (i % 2 == 0 ? s1 : s2).Ask();
            Sphere(t, 2);
            running.Add(t);
        }

        var trials = s1.GetTrials(TrialState.Running);
        Assert.Equal(6, trials.Count);
        Assert.Equal([0, 1, 2, 3, 4, 5], trials.Select(t => t.SystemAttrs["cma:index"].GetInt32()).Order());
        Assert.Equal(6, trials.Select(t => (double)t.Params["x0"]!).Distinct().Count());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WarmStart_StartsAtTheBestAddedTrial(bool warmStart)
    {
        var sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 18, WarmStart = warmStart });
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        var d = new Dictionary<string, Distribution> { ["x0"] = new FloatDistribution(-5, 5), ["x1"] = new FloatDistribution(-5, 5) };
        for (var i = 0; i < CmaEsStudyState.MinimumWarmStartTrials - 1; i++)
        {
            study.AddTrial(FrozenTrial.Create(new Dictionary<string, object?> { ["x0"] = i - 4.0, ["x1"] = 0.0 }, d, [2.0 + i]));
        }

        study.AddTrial(FrozenTrial.Create(new Dictionary<string, object?> { ["x0"] = 4.0, ["x1"] = -3.0 }, d, [1.0]));
        study.Optimize(t => Sphere(t, 2), new OptimizeOptions { Trials = 1 });
        var mean = sampler.StateOf(study).Run!.Mean.ToArray();
        double[] expected = warmStart ? [0.9, 0.2] : [0.5, 0.5];
        Assert.Equal(expected[0], mean[0], 9);
        Assert.Equal(expected[1], mean[1], 9);
    }

    [Fact]
    public void ParallelWorkers_NeverShareACandidate()
    {
        var study = Study.Create(new StudyOptions { Sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 17 }) });
        study.Optimize(t => Sphere(t, 3), new OptimizeOptions { Trials = 200, Parallelism = 4 });
        var pairs = study.Trials
            .Where(t => t.SystemAttrs.ContainsKey("cma:generation"))
            .Select(t => (t.SystemAttrs["cma:generation"].GetInt32(), t.SystemAttrs["cma:index"].GetInt32()))
            .ToList();
        Assert.True(pairs.Count >= 190);
        Assert.Equal(pairs.Count, pairs.Distinct().Count());
        Assert.True(study.BestValue < 0.1, $"best {study.BestValue}");
    }

    [Fact]
    public void ResumedStudy_ContinuesTheSameGeneration()
    {
        var storage = new InMemoryStorage();
        var sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 11 });
        var s1 = Study.Create(new StudyOptions { Name = "cma", Storage = storage, Sampler = sampler });
        s1.Optimize(t => Sphere(t, 3), new OptimizeOptions { Trials = 40 });
        var before = sampler.StateOf(s1);

        var resumedSampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 11 });
        var s2 = Study.Load(new StudyOptions { Name = "cma", Storage = storage, Sampler = resumedSampler });
        var next = s2.Ask();
        Sphere(next, 3);
        var after = resumedSampler.StateOf(s2);
        Assert.Equal(before.Generation, after.Generation);
        Assert.Equal(before.Run!.Sigma, after.Run!.Sigma);
        Assert.Equal(before.Run.Mean.ToArray(), after.Run.Mean.ToArray());
        Assert.Equal(before.Generation, s2.Trials[^1].SystemAttrs["cma:generation"].GetInt32());

        // The candidate the original sampler would have given the next trial is the one the resumed sampler gave.
        var other = Study.Create(new StudyOptions { Sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 11 }) });
        other.Optimize(t => Sphere(t, 3), new OptimizeOptions { Trials = 41 });
        Assert.Equal(other.Trials[40].Params["x0"], next.Params["x0"]);
    }

    [Fact]
    public void SameSeed_SameTrials_OnSphere()
    {
        double[] Values(long seed) => [.. Run(new CmaEsSampler(new CmaEsSamplerOptions { Seed = seed }), t => Sphere(t, 3), 60).Trials.Select(t => t.Values![0])];
        Assert.Equal(Values(12), Values(12));
        Assert.NotEqual(Values(12), Values(13));
    }

    [Fact]
    public void OneNumericParameter_FallsBackToIndependentSampler()
    {
        var study = Run(new CmaEsSampler(new CmaEsSamplerOptions { Seed = 14 }), t =>
        {
            var x = t.SuggestFloat("x", -1, 1);
            var c = t.SuggestCategorical("c", ["a", "b"]);
            return x * x;
        }, 20);
        Assert.All(study.Trials, t => Assert.DoesNotContain("cma:generation", t.SystemAttrs.Keys));
    }

    [Fact]
    public void Categoricals_GoToTheIndependentSampler()
    {
        var sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 15 });
        var study = Run(sampler, t =>
        {
            var c = t.SuggestCategorical("c", ["a", "b"]);
            return Sphere(t, 2) + (c == "a" ? 0 : 1);
        }, 30);
        var space = sampler.StateOf(study).Space!;
        Assert.Equal(["x0", "x1"], space.Names);
    }

    [Theory]
    [InlineData(0.0, "Sigma0 is 0")]
    [InlineData(double.NaN, "Sigma0 is NaN")]
    public void BadSigma0_IsRejected(double sigma0, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new CmaEsSampler(new CmaEsSamplerOptions { Sigma0 = sigma0 }));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadPopulationSize_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new CmaEsSampler(new CmaEsSamplerOptions { PopulationSize = 1 }));
        Assert.Contains("PopulationSize is 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Maximize_Works()
    {
        var study = Study.Create(new StudyOptions { Direction = StudyDirection.Maximize, Sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 16 }) });
        study.Optimize(t => -Sphere(t, 2), new OptimizeOptions { Trials = 200 });
        Assert.True(study.BestValue > -1e-3, $"best {study.BestValue}");
    }
}
