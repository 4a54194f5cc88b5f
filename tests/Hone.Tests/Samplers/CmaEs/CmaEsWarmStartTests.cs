using System.Text.Json;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.CmaEs;
using Hone.Samplers.Tpe;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers.CmaEs;

public class CmaEsWarmStartTests
{
    private static readonly double[] Optimum = [3, -2, 1];

    private static double Shifted(Trial t)
    {
        double s = 0;
        for (var i = 0; i < Optimum.Length; i++)
        {
            var x = t.SuggestFloat($"x{i}", -5, 5);
            s += (x - Optimum[i]) * (x - Optimum[i]);
        }

        return s;
    }

    /// <summary>The top ⌊0.1 N⌋ trials' average, in the unit box, as WS-CMA-ES's mean.</summary>
    private static double[] TopMean(IEnumerable<FrozenTrial> trials, int count) =>
        [.. Enumerable.Range(0, Optimum.Length).Select(i =>
            trials.OrderBy(t => t.Values![0]).Take(count).Average(t => ((double)t.Params[$"x{i}"]! + 5) / 10))];

    private static double DistanceToOptimum(IEnumerable<FrozenTrial> trials) =>
        trials.Average(t => Math.Sqrt(Enumerable.Range(0, Optimum.Length).Sum(i => Math.Pow((double)t.Params[$"x{i}"]! - Optimum[i], 2))));

    [Theory]
    [InlineData("random")]
    [InlineData("tpe")]
    public void SwitchingMidStudy_FirstGenerationIsCentredOnTheBestRegion(string before)
    {
        var storage = new InMemoryStorage();
        ISampler first = before == "tpe" ? new TpeSampler(new TpeSamplerOptions { Seed = 3 }) : new RandomSampler(3);
        var phase1 = Study.Create(new StudyOptions { Name = "switch", Storage = storage, Sampler = first });
        phase1.Optimize(Shifted, new OptimizeOptions { Trials = 100 });

        var cma = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 4, WarmStart = true });
        var phase2 = Study.Load(new StudyOptions { Name = "switch", Storage = storage, Sampler = cma });
        phase2.Optimize(Shifted, new OptimizeOptions { Trials = 7 });

        var state = cma.StateOf(phase2);
        Assert.Equal(0, state.Generation);
        var expected = TopMean(phase2.Trials.Take(100), 10);
        Assert.Equal(expected, state.Run!.Mean.ToArray(), (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.True(state.Run.Sigma < 1.0 / 6, $"sigma {state.Run.Sigma}");

        // The first generation lies near the optimum, much nearer than a cold start from the box's centre.
        var generation0 = phase2.Trials.Skip(100).ToList();
        Assert.Equal(7, generation0.Count(t => t.SystemAttrs.ContainsKey("cma:generation")));
        var cold = Study.Create(new StudyOptions { Sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 4 }) });
        cold.Optimize(Shifted, new OptimizeOptions { Trials = 8 });
        Assert.True(DistanceToOptimum(generation0) < 0.6 * DistanceToOptimum(cold.Trials.Skip(1)),
            $"warm {DistanceToOptimum(generation0)}, cold {DistanceToOptimum(cold.Trials.Skip(1))}");
    }

    [Fact]
    public void WarmStart_FromFewerThanTenTrials_StartsCold()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(7) });
        study.Optimize(Shifted, new OptimizeOptions { Trials = CmaEsStudyState.MinimumWarmStartTrials - 1 });
        var cma = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 8, WarmStart = true });
        var resumed = Study.Load(new StudyOptions { Name = study.Name, Storage = study.Storage, Sampler = cma });
        resumed.Optimize(Shifted, new OptimizeOptions { Trials = 2 });

        var run = cma.StateOf(resumed).Run!;
        Assert.All(run.Mean.ToArray(), m => Assert.Equal(0.5, m, 12));
        Assert.Equal(1.0 / 6, run.Sigma, 12);
    }

    [Fact]
    public void SourceTrials_SetTheInitialDistribution()
    {
        var source = Study.Create(new StudyOptions { Sampler = new RandomSampler(5) });
        source.Optimize(Shifted, new OptimizeOptions { Trials = 200 });

        var cma = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 6, SourceTrials = source.Trials });
        var target = Study.Create(new StudyOptions { Sampler = cma });
        target.Optimize(Shifted, new OptimizeOptions { Trials = 2 });

        var run = cma.StateOf(target).Run!;
        Assert.Equal(TopMean(source.Trials, 20), run.Mean.ToArray(), (a, b) => Math.Abs(a - b) < 1e-9);
        // σ²C = α²I + the top points' covariance, so σ is at least α = 0.1.
        Assert.True(run.Sigma >= 0.1 - 1e-12, $"sigma {run.Sigma}");
    }

    [Fact]
    public void SourceTrials_OutsideTheRange_AreIgnored()
    {
        var d = new Dictionary<string, Distribution> { ["x0"] = new FloatDistribution(-50, 50), ["x1"] = new FloatDistribution(-50, 50), ["x2"] = new FloatDistribution(-50, 50) };
        var outside = FrozenTrial.Create(new Dictionary<string, object?> { ["x0"] = 40.0, ["x1"] = 40.0, ["x2"] = 40.0 }, d, [0.0]);
        var cma = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 6, SourceTrials = [outside] });
        var target = Study.Create(new StudyOptions { Sampler = cma });
        target.Optimize(Shifted, new OptimizeOptions { Trials = 2 });
        Assert.Equal([0.5, 0.5, 0.5], cma.StateOf(target).Run!.Mean.ToArray());
    }

    [Fact]
    public void ForeignOrMalformedCmaAttributes_AreIgnored()
    {
        var storage = new InMemoryStorage();
        var phase1 = Study.Create(new StudyOptions { Name = "odd", Storage = storage, Sampler = new RandomSampler(8) });
        phase1.Optimize(Shifted, new OptimizeOptions { Trials = 30 });
        foreach (var t in phase1.Trials.Take(10))
        {
            phase1.SetTrialSystemAttr(t, "cma:generation", "zero");
            phase1.SetTrialSystemAttr(t, "cma:index", JsonSerializer.SerializeToElement(-1));
            phase1.SetTrialSystemAttr(t, "cma:space", 1.5);
        }

        var cma = new CmaEsSampler(new CmaEsSamplerOptions { Seed = 9, WarmStart = true });
        var phase2 = Study.Load(new StudyOptions { Name = "odd", Storage = storage, Sampler = cma });
        phase2.Optimize(Shifted, new OptimizeOptions { Trials = 50 });
        Assert.Equal(80, phase2.Trials.Count(t => t.State == TrialState.Complete));
        Assert.True(cma.StateOf(phase2).Generation >= 6);
    }

    [Fact]
    public void BadWarmStartGamma_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new CmaEsSampler(new CmaEsSamplerOptions { WarmStartGamma = 0 }));
        Assert.Contains("WarmStartGamma is 0", e.Message, StringComparison.Ordinal);
    }
}
