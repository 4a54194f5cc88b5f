using Hone.Samplers;
using Hone.Samplers.CostAware;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers.CostAware;

public class CostAwareSamplerTests
{
    private static readonly string[] Arms = ["cheap", "dear"];

    /// <summary>Two arms with the same objective; "dear" costs 20 times as much per trial. The cost is recorded, not slept.</summary>
    private static double Objective(Trial trial, double dearOffset)
    {
        var arm = trial.SuggestCategorical("arm", Arms);
        var x = trial.SuggestFloat("x", 0, 1);
        trial.SetUserAttr("cost", arm == "dear" ? 20.0 : 1.0);
        return ((x - 0.3) * (x - 0.3)) + (arm == "dear" ? dearOffset : 0.0);
    }

    private static Study Run(ISampler sampler, double dearOffset, int trials = 60)
    {
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        study.Optimize(t => Objective(t, dearOffset), new OptimizeOptions { Trials = trials });
        return study;
    }

    private static double? RecordedCost(FrozenTrial t) => t.UserAttrs.TryGetValue("cost", out var c) ? c.GetDouble() : null;

    private static CostAwareSampler CostAware(long seed, ISampler? inner = null) =>
        new(inner ?? new TpeSampler(new TpeSamplerOptions { Seed = seed }), new CostAwareSamplerOptions { ChoiceParameter = "arm", TrialCost = RecordedCost, Seed = seed });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ArmsOfEqualQuality_TheCheapOneGetsMostTrials_AndTheRunCostsLess(long seed)
    {
        var plain = Run(new TpeSampler(new TpeSamplerOptions { Seed = seed }), dearOffset: 0);
        var frugal = Run(CostAware(seed), dearOffset: 0);
        static double Spent(Study s) => s.Trials.Sum(t => RecordedCost(t) ?? 0);
        var dearShare = frugal.Trials.Count(t => (string)t.Params["arm"]! == "dear") / (double)frugal.Trials.Count;
        Assert.True(dearShare < 0.25, $"the dear arm got {dearShare:P0} of the trials");
        Assert.True(Spent(frugal) < 0.6 * Spent(plain), $"cost-aware spent {Spent(frugal)}, plain TPE {Spent(plain)}");
        Assert.True(frugal.BestValue < 0.01, $"best {frugal.BestValue}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ADearArmThatIsClearlyBetter_IsStillFoundAndExploited(long seed)
    {
        var study = Run(CostAware(seed), dearOffset: -1);
        Assert.Equal("dear", study.BestTrial.Params["arm"]);
        Assert.True(study.BestValue < -0.99, $"best {study.BestValue}");
    }

    [Fact]
    public void ACostParameter_GrowsAtMostTwofoldBeyondTheLargestTried()
    {
        var sampler = new CostAwareSampler(new RandomSampler(7), new CostAwareSamplerOptions { CostParameters = ["trees"], Seed = 7 });
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        study.Optimize(t => t.SuggestInt("trees", 10, 1000, log: true) / 1000.0 + t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 40 });
        var largest = 10;
        foreach (var t in study.Trials.OrderBy(t => t.Number))
        {
            var trees = Convert.ToInt32(t.Params["trees"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(trees <= 2 * largest, $"trial {t.Number}: {trees} trees after at most {largest}");
            largest = Math.Max(largest, trees);
        }

        Assert.True(largest > 500, $"never grew past {largest}");
    }

    [Fact]
    public void EnqueuedTrials_KeepTheirValues()
    {
        var sampler = new CostAwareSampler(new RandomSampler(3), new CostAwareSamplerOptions { ChoiceParameter = "arm", CostParameters = ["trees"], Seed = 3 });
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        study.Optimize(t => t.SuggestInt("trees", 10, 1000) + t.SuggestCategorical("arm", Arms).Length, new OptimizeOptions { Trials = 3 });
        study.Enqueue(new Dictionary<string, object?> { ["arm"] = "dear", ["trees"] = 1000 });
        study.Optimize(t => t.SuggestInt("trees", 10, 1000) + t.SuggestCategorical("arm", Arms).Length, new OptimizeOptions { Trials = 1 });
        var last = study.Trials[^1];
        Assert.Equal("dear", last.Params["arm"]);
        Assert.Equal(1000, Convert.ToInt32(last.Params["trees"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void MultiObjectiveStudies_AreLeftToTheWrappedSampler()
    {
        var study = Study.Create(new StudyOptions { Directions = [StudyDirection.Minimize, StudyDirection.Minimize], Sampler = CostAware(5, new RandomSampler(5)) });
        study.Optimize(t => [Objective(t, 0), t.SuggestFloat("y", 0, 1)], new OptimizeOptions { Trials = 20 });
        Assert.Equal(20, study.GetTrials(TrialState.Complete).Count);
    }

    [Fact]
    public void ImprovementCost_FollowsFlamlsDefinition()
    {
        var arm = new ArmCost();
        arm.Add(2, 0.5);
        arm.Add(3, null);
        arm.Add(1, 0.4);

        // Spent 6; best 0.4 found at 6 by a trial costing 1; previous best 0.5 found at 2.
        Assert.Equal(4, arm.ImprovementCost(studyBest: 0.4, worstLoss: 0.9), 9); // max(6-6, 6-2, 2*1)
        Assert.Equal(4, arm.ImprovementCost(studyBest: 0.3, worstLoss: 0.9), 9); // gap 0.1 at 0.1 per 4 s: 4
        Assert.Equal(8, arm.ImprovementCost(studyBest: 0.2, worstLoss: 0.9), 9); // gap 0.2: 8

        var neverCompleted = new ArmCost();
        neverCompleted.Add(5, null);
        Assert.Equal(10, neverCompleted.ImprovementCost(studyBest: 0.1, worstLoss: 0.9), 9);
    }

    [Fact]
    public void InvalidOptions_AreNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => new CostAwareSampler(new RandomSampler(), new CostAwareSamplerOptions { GrowthFactor = 1, Exploration = 2 }));
        Assert.Contains("GrowthFactor", e.Message);
        Assert.Contains("Exploration", e.Message);
    }
}
