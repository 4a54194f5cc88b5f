using Hone.Distributions;
using Hone.Pruners;
using Hone.Samplers;
using Hone.Samplers.Auto;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers.Auto;

public sealed class AutoSamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) => new AutoSampler(new AutoSamplerOptions { Seed = seed });
}

/// <summary>The contract again with a short Gaussian-process phase, so the hand-over to the next algorithm is exercised too.</summary>
public sealed class ShortGpAutoSamplerContractTests : SamplerContractTests
{
    protected override ISampler NewSampler(long seed) => new AutoSampler(new AutoSamplerOptions { Seed = seed, GaussianProcessTrials = 12 });
}

public class AutoSamplerTests
{
    private static double Sphere(Trial t) =>
        Math.Pow(t.SuggestFloat("x", -5, 5) - 1, 2) + Math.Pow(t.SuggestFloat("y", -5, 5) + 2, 2) + Math.Pow(t.SuggestInt("k", 0, 10) - 3, 2);

    private static string ChoiceOf(FrozenTrial t) => t.SystemAttrs[AutoSampler.ChoiceKey].GetString()!;

    [Fact]
    public void DefaultSampler_OfANewStudy_IsTheAutoSampler()
    {
        var study = Study.Create();
        Assert.IsType<AutoSampler>(study.Sampler);
    }

    [Fact]
    public void NumericSpace_GaussianProcessWhileTrialsAreFew_ThenCmaEs_EveryChoiceRecorded()
    {
        var study = Study.Create(new StudyOptions { Sampler = new AutoSampler(new AutoSamplerOptions { Seed = 1, GaussianProcessTrials = 15 }) });
        study.Optimize(Sphere, new OptimizeOptions { Trials = 40 });
        var choices = study.Trials.Select(ChoiceOf).ToList();
        Assert.All(choices.Take(15), c => Assert.Equal("gp", c));
        Assert.All(choices.Skip(15), c => Assert.Equal("cmaes", c));
        Assert.All(study.Trials.Skip(15), t => Assert.True(t.SystemAttrs.ContainsKey("cma:generation"), $"trial #{t.Number} was not proposed by CMA-ES"));
    }

    [Fact]
    public void CmaEsAfterTheGaussianProcess_StartsNearTheBestRegion()
    {
        var study = Study.Create(new StudyOptions { Sampler = new AutoSampler(new AutoSamplerOptions { Seed = 2, GaussianProcessTrials = 30, GaussianProcessPatience = 1000 }) });
        study.Optimize(t => Math.Pow(t.SuggestFloat("x", -50, 50) - 20, 2) + Math.Pow(t.SuggestFloat("y", -50, 50) + 30, 2),
            new OptimizeOptions { Trials = 30 });
        var bestBefore = study.BestValue;
        study.Optimize(t => Math.Pow(t.SuggestFloat("x", -50, 50) - 20, 2) + Math.Pow(t.SuggestFloat("y", -50, 50) + 30, 2),
            new OptimizeOptions { Trials = 10 });
        var cma = study.Trials.Where(t => ChoiceOf(t) == "cmaes").ToList();
        Assert.Equal(10, cma.Count);

        // A cold CMA-ES would start at the box's centre (0, 0): value 1,300, with a spread of 1/6 of the range.
        var median = cma.Select(t => t.Value!.Value).Order().ElementAt(cma.Count / 2);
        Assert.True(median < 400, $"median of the first CMA-ES trials {median} (best before {bestBefore}): not warm-started");
    }

    [Fact]
    public void StalledGaussianProcess_HandsOverToCmaEs()
    {
        var study = Study.Create(new StudyOptions { Sampler = new AutoSampler(new AutoSamplerOptions { Seed = 11, GaussianProcessPatience = 5 }) });
        study.Optimize(t => Math.Round(t.SuggestFloat("x", 0, 1) + t.SuggestFloat("y", 0, 1)) > 0 ? 1 : 0, new OptimizeOptions { Trials = 40 });
        var choices = study.Trials.Select(ChoiceOf).ToList();
        var firstCma = choices.IndexOf("cmaes");
        Assert.True(firstCma > 10 && firstCma <= 25, $"first CMA-ES trial #{firstCma}: {string.Join(",", choices)}");
        Assert.All(choices.Skip(firstCma), c => Assert.Equal("cmaes", c));
    }

    [Fact]
    public void ImprovingGaussianProcess_IsNotStopped()
    {
        var study = Study.Create(new StudyOptions { Sampler = new AutoSampler(new AutoSamplerOptions { Seed = 12, GaussianProcessPatience = 3 }) });
        var n = 0;
        study.Optimize(t => { t.SuggestFloat("x", 0, 1); t.SuggestFloat("y", 0, 1); return -n++; }, new OptimizeOptions { Trials = 30 });
        Assert.All(study.Trials, t => Assert.Equal("gp", ChoiceOf(t)));
    }

    [Fact]
    public void ConditionalSpace_GoesToTpe()
    {
        var study = Study.Create(new StudyOptions { Sampler = new AutoSampler(new AutoSamplerOptions { Seed = 3 }) });
        study.Optimize(t =>
        {
            var kind = t.SuggestCategorical("kind", ["a", "b"]);
            return kind == "a" ? t.SuggestFloat("x", 0, 1) : t.SuggestInt("n", 1, 5);
        }, new OptimizeOptions { Trials = 30 });
        var first = study.Trials.First(t => study.Trials.Take(t.Number).Select(p => p.Params.ContainsKey("x")).Distinct().Count() == 2);
        Assert.All(study.Trials.Skip(first.Number), t => Assert.Equal("tpe", ChoiceOf(t)));
        Assert.All(study.Trials.Take(2), t => Assert.Equal("gp", ChoiceOf(t)));
    }

    [Fact]
    public void CategoricalStaticSpace_StaysOnTheGaussianProcess_ThenTpe()
    {
        var study = Study.Create(new StudyOptions { Sampler = new AutoSampler(new AutoSamplerOptions { Seed = 4, GaussianProcessTrials = 10 }) });
        study.Optimize(t => t.SuggestFloat("x", 0, 1) + (t.SuggestCategorical("c", ["u", "v", "w"]) == "v" ? 0 : 1),
            new OptimizeOptions { Trials = 20 });
        Assert.All(study.Trials.Take(10), t => Assert.Equal("gp", ChoiceOf(t)));
        Assert.All(study.Trials.Skip(10), t => Assert.Equal("tpe", ChoiceOf(t)));
    }

    [Fact]
    public void MostlyPrunedStudy_GoesToTpe()
    {
        var study = Study.Create(new StudyOptions { Sampler = new AutoSampler(new AutoSamplerOptions { Seed = 5 }) });
        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            t.Report(x, 1);
            return t.Number % 3 == 0 ? x : throw new TrialPrunedException();
        }, new OptimizeOptions { Trials = 12 });
        var trials = study.Trials;
        Assert.Equal("tpe", ChoiceOf(trials[^1]));
        Assert.Equal("gp", ChoiceOf(trials[1]));
    }

    [Fact]
    public void LargeNumericSpace_SkipsTheGaussianProcess()
    {
        var study = Study.Create(new StudyOptions { Sampler = new AutoSampler(new AutoSamplerOptions { Seed = 6 }) });
        study.Optimize(t => Enumerable.Range(0, 9).Sum(i => Math.Pow(t.SuggestFloat($"x{i}", -1, 1), 2)), new OptimizeOptions { Trials = 8 });
        Assert.Equal("gp", ChoiceOf(study.Trials[0]));
        Assert.All(study.Trials.Skip(1), t => Assert.Equal("cmaes", ChoiceOf(t)));
    }

    [Fact]
    public void MultiObjective_IsMultiObjectiveTpe_WhichModelsTheFrontAfterItsStartupTrials()
    {
        var study = Study.Create(new StudyOptions
        {
            Directions = [StudyDirection.Minimize, StudyDirection.Minimize],
            Sampler = new AutoSampler(new AutoSamplerOptions { Seed = 7 }),
        });
        // A front at y = 0: once TPE models it, proposals crowd near y = 0; random draws put 6 of 30 below 0.2 on average
        // (12 or more has probability 0.003).
        study.Optimize(t => { var x = t.SuggestFloat("x", 0, 1); var y = t.SuggestFloat("y", 0, 1); return [x + y, 1 - x + y]; },
            new OptimizeOptions { Trials = 60 });
        Assert.All(study.Trials, t => Assert.Equal("tpe", ChoiceOf(t)));
        var late = study.Trials.Skip(30).Count(t => (double)t.Params["y"]! < 0.2);
        Assert.True(late >= 12, $"{late} of the last 30 trials have y < 0.2");
    }

    [Fact]
    public void ResumedStudy_WithANewSampler_MakesTheSameChoices()
    {
        var storage = new InMemoryStorage();
        AutoSampler New() => new(new AutoSamplerOptions { Seed = 8, GaussianProcessTrials = 10 });
        var first = Study.Create(new StudyOptions { Name = "auto", Storage = storage, Sampler = New() });
        first.Optimize(Sphere, new OptimizeOptions { Trials = 12 });
        var resumed = Study.Load(new StudyOptions { Name = "auto", Storage = storage, Sampler = New() });
        Assert.Equal(AutoSamplerChoice.CmaEs, ((AutoSampler)resumed.Sampler).Choose(resumed));
        resumed.Optimize(Sphere, new OptimizeOptions { Trials = 6 });
        Assert.All(resumed.Trials.Skip(10), t => Assert.Equal("cmaes", ChoiceOf(t)));
    }

    [Fact]
    public void ParallelWorkers_OnANumericSpace_AllComplete_AndGaussianProcessProposalsDiffer()
    {
        var study = Study.Create(new StudyOptions { Sampler = new AutoSampler(new AutoSamplerOptions { Seed = 9, GaussianProcessTrials = 40 }) });
        study.Optimize(Sphere, new OptimizeOptions { Trials = 60, Parallelism = 4 });
        Assert.Equal(60, study.GetTrials(TrialState.Complete).Count);
        // A point is all three parameters: the GP may well revisit a corner of (x, y) with another k.
        var repeated = study.Trials.GroupBy(t => (t.Params["x"], t.Params["y"], t.Params["k"])).Where(g => g.Count() > 1)
            .Select(g => string.Join(", ", g.Select(t => $"#{t.Number} {ChoiceOf(t)} ({t.Params["x"]}, {t.Params["y"]}, {t.Params["k"]})")));
        Assert.True(!repeated.Any(), "same point proposed twice: " + string.Join("; ", repeated));
    }

    [Fact]
    public void SameSeed_SameChoicesAndValues_OnANumericSpace()
    {
        List<string> Run()
        {
            var study = Study.Create(new StudyOptions { Sampler = new AutoSampler(new AutoSamplerOptions { Seed = 10, GaussianProcessTrials = 12 }) });
            study.Optimize(Sphere, new OptimizeOptions { Trials = 25 });
            return [.. study.Trials.Select(t => $"{ChoiceOf(t)} {t}")];
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void InvalidOptions_AreNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => new AutoSampler(new AutoSamplerOptions { GaussianProcessTrials = -1, GaussianProcessMaxDimensions = 0 }));
        Assert.Contains("GaussianProcessTrials", e.Message, StringComparison.Ordinal);
        Assert.Contains("GaussianProcessMaxDimensions", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StudyShape_Incremental_MatchesAFreshScan()
    {
        var rng = new Random(12);
        var shape = new StudyShape();
        var trials = new List<FrozenTrial>();
        var x = new FloatDistribution(0, 1);
        var n = new IntDistribution(1, 9);
        for (var step = 0; step < 300; step++)
        {
            // Append a running trial, or finish a random running one.
            var running = trials.Where(t => t.State == TrialState.Running).ToList();
            if (running.Count == 0 || rng.NextDouble() < 0.5)
            {
                var withN = rng.NextDouble() < 0.1;
                var d = new Dictionary<string, Distribution> { ["x"] = x };
                var p = new Dictionary<string, object?> { ["x"] = rng.NextDouble() };
                if (withN)
                {
                    d["n"] = n;
                    p["n"] = 3L;
                }

                trials.Add(FrozenTrial.Create(p, d, null, TrialState.Running) with { Number = trials.Count });
            }
            else
            {
                var t = running[rng.Next(running.Count)];
                var state = rng.NextDouble() switch { < 0.6 => TrialState.Complete, < 0.8 => TrialState.Pruned, _ => TrialState.Fail };
                trials[t.Number] = t with { State = state, Values = state == TrialState.Complete ? [1.0] : null };
            }

            shape.Update(trials);
            var fresh = new StudyShape();
            fresh.Update(trials);
            Assert.Equal(fresh.Complete, shape.Complete);
            Assert.Equal(fresh.Pruned, shape.Pruned);
            Assert.Equal(fresh.Conditional, shape.Conditional);
            Assert.Equal(fresh.Space.Keys.Order(), shape.Space.Keys.Order());
        }

        Assert.True(shape.Conditional);
        Assert.Equal(["x"], shape.Space.Keys);
    }
}
