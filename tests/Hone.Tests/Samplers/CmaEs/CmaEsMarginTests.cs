using Hone.Samplers.CmaEs;
using Hone.Studies;

namespace Hone.Tests.Samplers.CmaEs;

public class CmaEsMarginTests
{
    private static (CmaEsSampler Sampler, Study Study) Run(bool margin, long seed = 21)
    {
        // A step size far below one integer's cell: without the margin every candidate rounds to the same integers.
        var sampler = new CmaEsSampler(new CmaEsSamplerOptions { Seed = seed, WithMargin = margin, Sigma0 = 0.002 });
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        study.Optimize(t =>
        {
            var a = t.SuggestInt("a", -20, 20);
            var b = t.SuggestInt("b", -20, 20);
            var c = t.SuggestInt("c", 0, 10);
            return ((a - 7) * (a - 7)) + ((b + 3) * (b + 3)) + ((c - 9) * (c - 9));
        }, new OptimizeOptions { Trials = 400 });
        return (sampler, study);
    }

    [Fact]
    public void IntegerOnlyProblem_DoesNotGetStuck_WithTheMargin()
    {
        var (sampler, study) = Run(margin: true);
        Assert.Equal(0, study.BestValue);
        var run = sampler.StateOf(study).Run!;
        Assert.All(run.MarginFactors.ToArray(), a => Assert.True(a > 0 && double.IsFinite(a), $"A = {a}"));
        Assert.Contains(run.MarginFactors.ToArray(), a => a > 1);
    }

    [Fact]
    public void IntegerOnlyProblem_GetsStuck_WithoutTheMargin()
    {
        var (sampler, study) = Run(margin: false);
        var proposed = study.Trials.Where(t => t.SystemAttrs.ContainsKey("cma:generation"))
            .Select(t => ((int)t.Params["a"]!, (int)t.Params["b"]!, (int)t.Params["c"]!)).Distinct().Count();
        Assert.True(proposed <= 3, $"{proposed} distinct points");
        Assert.True(study.BestValue > 0, $"best {study.BestValue}");
        Assert.All(sampler.StateOf(study).Run!.MarginFactors.ToArray(), a => Assert.Equal(1, a));
    }

    [Fact]
    public void Margin_IsReproducible()
    {
        static object?[] Params(Study s) => [.. s.Trials.Select(t => t.Params["a"])];
        Assert.Equal(Params(Run(margin: true).Study), Params(Run(margin: true).Study));
    }
}
