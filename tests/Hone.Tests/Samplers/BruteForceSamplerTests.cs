using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers;

public class BruteForceSamplerTests
{
    private static double Conditional(Trial t)
    {
        var kind = t.SuggestCategorical("kind", ["a", "b"]);
        return kind == "a"
            ? t.SuggestInt("n", 0, 4, step: 2)
            : (t.SuggestCategorical("flag", [true, false]) ? 1 : 0) + t.SuggestFloat("w", 0, 1, step: 0.5);
    }

    [Fact]
    public void VisitsEveryPointOfAConditionalSpace_ThenStops()
    {
        var study = Study.Create(new StudyOptions { Sampler = new BruteForceSampler(seed: 1) });
        study.Optimize(Conditional, new OptimizeOptions { Trials = 100 });
        Assert.Equal(3 + 6, study.Trials.Count);
        Assert.Equal(9, study.Trials.Select(t => string.Join(",", t.Params.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))).Distinct().Count());
    }

    [Fact]
    public void ContinuousParameter_IsAClearError()
    {
        var study = Study.Create(new StudyOptions { Sampler = new BruteForceSampler() });
        var e = Assert.Throws<SamplerException>(() => study.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 5 }));
        Assert.Contains("needs finite parameters", e.Message);
        Assert.Contains("needs finite parameters", Assert.Single(study.Trials).SystemAttrs["fail_reason"].GetString());
    }
}
