using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers;

public class PartialFixedSamplerTests
{
    [Fact]
    public void FixesSomeParams_AndDelegatesTheRest()
    {
        var sampler = new PartialFixedSampler(new Dictionary<string, object?> { ["x"] = 0.5, ["c"] = "b" }, new RandomSampler(1));
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        study.Optimize(t => t.SuggestFloat("x", 0, 1) + t.SuggestFloat("y", 0, 1) + t.SuggestCategorical("c", ["a", "b"]).Length,
            new OptimizeOptions { Trials = 20 });
        Assert.All(study.Trials, t => Assert.Equal(0.5, t.Params["x"]));
        Assert.All(study.Trials, t => Assert.Equal("b", t.Params["c"]));
        Assert.True(study.Trials.Select(t => t.Params["y"]).Distinct().Count() > 15);
    }

    [Fact]
    public void FixedValueOutsideTheDistribution_FailsWithReason()
    {
        var study = Study.Create(new StudyOptions { Sampler = new PartialFixedSampler(new Dictionary<string, object?> { ["x"] = 3.0 }, new RandomSampler()) });
        Assert.Throws<SamplerException>(() => study.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 5 }));
        Assert.Contains("outside", Assert.Single(study.Trials).SystemAttrs["fail_reason"].GetString());
    }
}
