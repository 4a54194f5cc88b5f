using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.Qmc;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers;

/// <summary>What every general-purpose sampler must do, run unchanged against each of them.</summary>
public abstract class SamplerContractTests
{
    /// <summary>A new sampler with the given seed.</summary>
    protected abstract ISampler NewSampler(long seed);

    /// <summary>How many distinct values of the continuous parameter x 60 trials must at least try.</summary>
    /// <remarks>A genetic sampler copies a parameter from one parent into its child by design, so it repeats values more.</remarks>
    protected virtual int MinimumDistinctX => 51;

    private static double MixedObjective(Trial t)
    {
        var x = t.SuggestFloat("x", -3, 3);
        var lr = t.SuggestFloat("lr", 1e-5, 1, log: true);
        var q = t.SuggestFloat("q", 0, 1, step: 0.1);
        var n = t.SuggestInt("n", -4, 8, step: 2);
        var units = t.SuggestInt("units", 2, 512, log: true);
        var c = t.SuggestCategorical<object?>("c", ["a", 1, null, true]);
        var branch = t.SuggestCategorical("branch", ["left", "right"]);
        var extra = branch == "left" ? t.SuggestFloat("left_w", 0, 1) : t.SuggestInt("right_k", 1, 3);
        var constant = t.SuggestInt("constant", 5, 5);
        return (x * x) + Math.Log(lr) * 0.01 + q + n + Math.Log(units) + (c is null ? 1 : 0) + extra + constant;
    }

    [Fact]
    public void EveryValue_LiesInItsDistribution()
    {
        var study = Study.Create(new StudyOptions { Sampler = NewSampler(1) });
        study.Optimize(MixedObjective, new OptimizeOptions { Trials = 60 });
        Assert.Equal(60, study.GetTrials(TrialState.Complete).Count);
        foreach (var t in study.Trials)
        {
            foreach (var (name, d) in t.Distributions)
            {
                Assert.True(d.Contains(t.InternalParams[name]), $"trial #{t.Number}: {name}={t.InternalParams[name]} outside {d}");
            }

            Assert.Equal(5, t.Params["constant"]);
            Assert.True(t.Params.ContainsKey("left_w") ^ t.Params.ContainsKey("right_k"));
        }

        var distinct = study.Trials.Select(t => t.Params["x"]).Distinct().Count();
        Assert.True(distinct >= MinimumDistinctX, $"only {distinct} distinct values of x in 60 trials");
    }

    [Fact]
    public void SameSeed_SameStudy()
    {
        List<string> Run(long seed)
        {
            var study = Study.Create(new StudyOptions { Sampler = NewSampler(seed) });
            study.Optimize(MixedObjective, new OptimizeOptions { Trials = 40 });
            return [.. study.Trials.Select(t => t.ToString())];
        }

        Assert.Equal(Run(11), Run(11));
    }

    [Fact]
    public void ParallelWorkers_AllTrialsComplete()
    {
        var study = Study.Create(new StudyOptions { Sampler = NewSampler(2) });
        study.Optimize(MixedObjective, new OptimizeOptions { Trials = 200, Parallelism = 8 });
        Assert.Equal(200, study.GetTrials(TrialState.Complete).Count);
    }

    [Fact]
    public void FailedAndPrunedTrials_DoNotBreakSampling()
    {
        var study = Study.Create(new StudyOptions { Sampler = NewSampler(3) });
        Func<Trial, double> objective = t =>
        {
            var v = MixedObjective(t);
            t.Report(v, 0);
            return (t.Number % 3) switch
            {
                0 => throw new InvalidOperationException("fails"),
                1 => throw new TrialPrunedException(),
                _ => v,
            };
        };
        study.Optimize(objective, new OptimizeOptions { Trials = 45 });
        Assert.Equal(15, study.GetTrials(TrialState.Fail).Count);
        Assert.Equal(15, study.GetTrials(TrialState.Pruned).Count);
        Assert.Equal(15, study.GetTrials(TrialState.Complete).Count);
    }

    [Fact]
    public void MultiObjective_Works()
    {
        var study = Study.Create(new StudyOptions { Directions = [StudyDirection.Minimize, StudyDirection.Maximize], Sampler = NewSampler(4) });
        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            var y = t.SuggestFloat("y", 0, 1);
            return [x + y, x - y];
        }, new OptimizeOptions { Trials = 30 });
        Assert.Equal(30, study.GetTrials(TrialState.Complete).Count);
        Assert.NotEmpty(study.BestTrials);
    }

    [Fact]
    public void WarmStartedTrials_AreAccepted()
    {
        var study = Study.Create(new StudyOptions { Sampler = NewSampler(5) });
        var d = new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(-3, 3) };
        for (var i = 0; i < 20; i++)
        {
            var x = -3 + (6.0 * i / 19);
            study.AddTrial(FrozenTrial.Create(new Dictionary<string, object?> { ["x"] = x }, d, [x * x]));
        }

        study.Optimize(t => Math.Pow(t.SuggestFloat("x", -3, 3), 2), new OptimizeOptions { Trials = 10 });
        Assert.Equal(30, study.GetTrials(TrialState.Complete).Count);
    }
}

public sealed class RandomSamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) => new RandomSampler(seed);
}

public sealed class PartialFixedSamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) =>
        new PartialFixedSampler(new Dictionary<string, object?> { ["q"] = 0.3 }, new RandomSampler(seed));
}

public sealed class SobolSamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) => new QmcSampler(new QmcSamplerOptions { Seed = seed });
}

public sealed class HaltonSamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) => new QmcSampler(new QmcSamplerOptions { Seed = seed, QmcType = QmcType.Halton });
}
