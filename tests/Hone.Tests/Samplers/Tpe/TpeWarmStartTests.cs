using Hone.Samplers.Auto;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers.Tpe;

/// <summary>TPE and the AutoSampler started from an earlier study's trials, and <see cref="WarmStart"/>'s queue of its best configurations.</summary>
public class TpeWarmStartTests
{
    private static double Objective(Trial t) => Math.Pow(t.SuggestFloat("x", 0, 1) - 0.8, 2) + Math.Pow(t.SuggestFloat("y", 0, 1) - 0.3, 2);

    private static Study Source(int seed, int trials = 40)
    {
        var source = Study.Create(new StudyOptions { Name = $"source-{seed}", Sampler = new TpeSampler(new() { Seed = seed }) });
        source.Optimize(Objective, new OptimizeOptions { Trials = trials });
        return source;
    }

    private static double MeanOfFirst(Study study, int n) => study.Trials.Take(n).Average(t => t.Values![0]);

    [Fact]
    public void The_first_trials_follow_the_source_study_and_beat_a_cold_start()
    {
        var warm = 0.0;
        var cold = 0.0;
        for (var seed = 1; seed <= 5; seed++)
        {
            var prior = WarmStart.TrialsOf(StudyDirection.Minimize, [Source(seed)]);
            var warmStudy = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = 100 + seed, WarmStartTrials = prior }) });
            warmStudy.Optimize(Objective, new OptimizeOptions { Trials = 5 });
            var coldStudy = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = 100 + seed }) });
            coldStudy.Optimize(Objective, new OptimizeOptions { Trials = 5 });
            warm += MeanOfFirst(warmStudy, 5);
            cold += MeanOfFirst(coldStudy, 5);
        }

        // A cold start samples at random for its 10 startup trials (mean about 0.17 here); the warm one samples near the source's best.
        Assert.True(warm < cold / 3, $"warm {warm / 5:0.0000} vs cold {cold / 5:0.0000}");
    }

    [Fact]
    public void Source_trials_whose_parameters_do_not_fit_are_ignored()
    {
        var other = Study.Create(new StudyOptions { Name = "other" });
        other.Optimize(t => t.SuggestCategorical("x", ["a", "b"]) == "a" ? 0 : 1, new OptimizeOptions { Trials = 15 });
        var outside = Study.Create(new StudyOptions { Name = "outside" });
        outside.Optimize(t => t.SuggestFloat("x", 5, 6) + t.SuggestFloat("y", 5, 6), new OptimizeOptions { Trials = 15 });
        var prior = WarmStart.TrialsOf(StudyDirection.Minimize, [other, outside]);

        var study = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = 3, WarmStartTrials = prior }) });
        study.Optimize(Objective, new OptimizeOptions { Trials = 20 });

        Assert.All(study.Trials, t =>
        {
            Assert.Equal(TrialState.Complete, t.State);
            Assert.InRange((double)t.Params["x"]!, 0, 1);
            Assert.InRange((double)t.Params["y"]!, 0, 1);
        });
    }

    [Fact]
    public void A_source_optimizing_the_other_way_is_refused_by_name()
    {
        var source = Study.Create(new StudyOptions { Name = "accuracy", Direction = StudyDirection.Maximize });
        var e = Assert.Throws<ArgumentException>(() => WarmStart.TrialsOf(StudyDirection.Minimize, [source]));
        Assert.Contains("Study \"accuracy\" is to maximize its objective and this one to minimize it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnqueueBest_queues_the_best_distinct_configurations_once()
    {
        var source = Source(7, trials: 20);
        var prior = WarmStart.TrialsOf(StudyDirection.Minimize, [source]);
        var best = prior.OrderBy(t => t.Values![0]).Take(3).Select(t => (double)t.Params["x"]!).ToArray();
        var target = Study.Create(new StudyOptions());

        Assert.Equal(3, WarmStart.EnqueueBest(target, prior));
        Assert.Equal(0, WarmStart.EnqueueBest(target, prior));
        target.Optimize(Objective, new OptimizeOptions { Trials = 3 });

        Assert.Equal(best, target.Trials.Select(t => (double)t.Params["x"]!).ToArray());
        Assert.All(target.Trials, t => Assert.True(t.UserAttrs.ContainsKey("warm_start_value")));
    }

    [Fact]
    public void The_auto_sampler_uses_tpe_with_the_prior_from_the_first_trial()
    {
        var prior = WarmStart.TrialsOf(StudyDirection.Minimize, [Source(11)]);
        var study = Study.Create(new StudyOptions { Sampler = new AutoSampler(new() { Seed = 5, WarmStartTrials = prior }) });
        study.Optimize(Objective, new OptimizeOptions { Trials = 4 });

        Assert.All(study.Trials, t => Assert.Equal("tpe", t.SystemAttrs[AutoSampler.ChoiceKey].GetString()));
        Assert.True(MeanOfFirst(study, 4) < 0.05, $"mean {MeanOfFirst(study, 4):0.0000}");
    }

    [Fact]
    public void WarmStartWeight_outside_zero_to_one_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new TpeSampler(new() { WarmStartWeight = 2 }));
        Assert.Contains("WarmStartWeight must be in (0, 1], got 2", e.Message, StringComparison.Ordinal);
    }
}
